package io.routeagent.kernel;

/**
 * An errno value with its symbolic name ("EEXIST") and the C library's description, taken from
 * jnr-constants for the running platform.
 */
public record Errno(int value, String name, String description) {

  public static Errno of(int value) {
    jnr.constants.platform.Errno known = jnr.constants.platform.Errno.valueOf(value);
    if (known == null || known == jnr.constants.platform.Errno.__UNKNOWN_CONSTANT__) {
      return new Errno(value, "errno " + value, "unknown error " + value);
    }
    return new Errno(value, known.name(), known.description());
  }

  public static final Errno EINTR = of(jnr.constants.platform.Errno.EINTR.intValue());
  public static final Errno EAGAIN = of(jnr.constants.platform.Errno.EAGAIN.intValue());
  public static final Errno ENOBUFS = of(jnr.constants.platform.Errno.ENOBUFS.intValue());

  public boolean is(jnr.constants.platform.Errno constant) {
    return value == constant.intValue();
  }

  @Override
  public String toString() {
    return name;
  }
}
