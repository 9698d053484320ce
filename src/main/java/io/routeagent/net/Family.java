package io.routeagent.net;

/** Address families as numbered in the kernel's {@code linux/socket.h}. */
public final class Family {
  private Family() {}

  /** {@code #define AF_UNSPEC 0} */
  public static final int UNSPEC = 0;
  /** {@code #define AF_INET 2} */
  public static final int INET = 2;
  /** {@code #define AF_INET6 10} */
  public static final int INET6 = 10;

  public static String name(int family) {
    return switch (family) {
      case INET -> "inet";
      case INET6 -> "inet6";
      default -> "family " + family;
    };
  }
}
