package io.routeagent.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The capabilities this process holds, as the kernel reports them in /proc/self/status ({@code
 * CapEff:}, a hexadecimal mask). Read from /proc rather than asked with capget(2): the unit's
 * {@code ProcSubset=pid} leaves /proc/self in place.
 */
public final class Capabilities {
  /** {@code #define CAP_NET_ADMIN 12} (include/uapi/linux/capability.h). */
  static final int CAP_NET_ADMIN = 12;

  private Capabilities() {}

  /**
   * Whether this process holds CAP_NET_ADMIN in its effective set; empty when that cannot be told
   * (no /proc). Holding it is necessary to change routes, not sufficient: a capability held in a
   * user namespace of its own does not count in the host's network namespace.
   */
  public static Optional<Boolean> netAdmin() {
    return netAdmin(Path.of("/proc/self/status"));
  }

  static Optional<Boolean> netAdmin(Path status) {
    String text;
    try {
      text = Files.readString(status);
    } catch (IOException e) {
      return Optional.empty();
    }
    return effective(text).map(mask -> (mask >>> CAP_NET_ADMIN & 1) == 1);
  }

  /** The CapEff: mask of a /proc/PID/status text, if it has one. */
  static Optional<Long> effective(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("CapEff:")) {
        try {
          return Optional.of(Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
