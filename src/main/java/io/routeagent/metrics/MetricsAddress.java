package io.routeagent.metrics;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of {@code --metrics-address}: {@code HOST:PORT}, where HOST is a literal IPv4 address,
 * an IPv6 address in brackets ({@code [::1]:9469}) or {@code localhost} (127.0.0.1); or {@code
 * none}. Never a name to look up: the daemon runs privileged and starts before the network, and
 * what it listens on must not depend on a resolver.
 */
public final class MetricsAddress {
  private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");
  /** Hex digits, colons and dots (an embedded IPv4 address), then an optional zone: fe80::1%eth0. */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]{1,15})?");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final int SHOWN = 64;

  private MetricsAddress() {}

  /**
   * The address to listen on, or empty for {@code none}.
   *
   * @throws IllegalArgumentException with a message for the user, naming the option
   */
  public static Optional<InetSocketAddress> parse(String text) {
    if (text.equals("none")) {
      return Optional.empty();
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0 || !PORT.matcher(text.substring(colon + 1)).matches()
        || Integer.parseInt(text.substring(colon + 1)) > 65535) {
      throw invalid(text, "expected HOST:PORT (e.g. 127.0.0.1:9469, [::1]:9469) or none");
    }
    int port = Integer.parseInt(text.substring(colon + 1));
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
      String literal = host.substring(1, host.length() - 1);
      if (IPV6.matcher(literal).matches()) {
        try {
          // In brackets, InetAddress takes an IPv6 literal or throws: it never asks a resolver.
          return Optional.of(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException e) {
          // Below.
        }
      }
      throw invalid(text, "[" + cut(literal) + "] is not an IPv6 address");
    }
    if (host.contains(":")) {
      throw invalid(text, "write an IPv6 address in brackets, e.g. [::1]:9469");
    }
    if (host.equals("localhost")) {
      return Optional.of(new InetSocketAddress(loopback(), port));
    }
    Matcher m = IPV4.matcher(host);
    if (m.matches()) {
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int part = Integer.parseInt(m.group(i + 1));
        if (part > 255) {
          throw invalid(text, cut(host) + " is not an IPv4 address");
        }
        bytes[i] = (byte) part;
      }
      try {
        return Optional.of(new InetSocketAddress(InetAddress.getByAddress(bytes), port));
      } catch (UnknownHostException e) {
        throw new IllegalStateException("four bytes are an IPv4 address", e);
      }
    }
    throw invalid(text, "HOST must be an IP address (127.0.0.1, [::1], 0.0.0.0) or localhost;"
        + " names are not looked up");
  }

  /** {@code 127.0.0.1:9469}, {@code [::1]:9469}. */
  public static String format(InetSocketAddress address) {
    InetAddress host = address.getAddress();
    String literal = host.getHostAddress();
    return (host instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + address.getPort();
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("--metrics-address " + cut(text) + ": " + why);
  }

  /** A long value cut, so that an error line stays one line. */
  private static String cut(String text) {
    String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() <= SHOWN ? printable : printable.substring(0, SHOWN) + "…";
  }
}
