package io.routeagent.kernel;

/**
 * An errno value with its symbolic name ("EEXIST") and the C library's description, taken from
 * jnr-constants for the running platform.
 */
public record Errno(int value, String name, String description) {

  /** The errnos this system knows, by value: the daemon's loop meets EAGAIN at every wake-up. */
  private static final Errno[] KNOWN = known();

  public static Errno of(int value) {
    if (value >= 0 && value < KNOWN.length && KNOWN[value] != null) {
      return KNOWN[value];
    }
    return new Errno(value, "errno " + value, "unknown error " + value);
  }

  private static Errno[] known() {
    Errno[] known = new Errno[256];
    for (int value = 0; value < known.length; value++) {
      jnr.constants.platform.Errno constant = jnr.constants.platform.Errno.valueOf(value);
      if (constant != null && constant != jnr.constants.platform.Errno.__UNKNOWN_CONSTANT__) {
        known[value] = new Errno(value, constant.name(), constant.description());
      }
    }
    return known;
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
