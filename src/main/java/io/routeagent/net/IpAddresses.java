package io.routeagent.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Strict parsing of IP address literals. {@link InetAddress#getByName} is not used on unchecked
 * text because it resolves host names through DNS and accepts BSD forms such as "10.1" that
 * iproute2 rejects.
 */
public final class IpAddresses {
  private IpAddresses() {}

  /** Parses a dotted-quad IPv4 or an RFC 4291 IPv6 literal, or returns empty. */
  public static Optional<InetAddress> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return Optional.empty();
    }
    if (text.indexOf(':') >= 0) {
      return parseIpv6(text);
    }
    return parseIpv4(text).map(IpAddresses::fromBytes);
  }

  /**
   * As {@link #parse}, to the address's network-order bytes (4 or 16), or null: for callers that
   * keep bytes, such as {@link IpPrefix}, without building an InetAddress.
   */
  static byte[] parseToBytes(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      return null;
    }
    if (text.indexOf(':') >= 0) {
      return parseIpv6(text).map(InetAddress::getAddress).orElse(null);
    }
    return parseIpv4(text).orElse(null);
  }

  private static Optional<byte[]> parseIpv4(String text) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || part == 4) {
          return Optional.empty();
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        // A leading zero would be octal to inet_aton: refuse the ambiguity.
        if (digits == 1 && value == 0) {
          return Optional.empty();
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        digits++;
        if (value > 255) {
          return Optional.empty();
        }
      } else {
        return Optional.empty();
      }
    }
    return part == 4 ? Optional.of(out) : Optional.empty();
  }

  private static Optional<InetAddress> parseIpv6(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
              || c == '.';
      if (!ok) {
        return Optional.empty(); // also refuses zone ids ("%eth0") and brackets
      }
    }
    try {
      // With only hex digits, colons and dots the JDK parses a literal and never does a lookup.
      InetAddress parsed = InetAddress.getByName(text);
      if (parsed instanceof Inet6Address) {
        return Optional.of(parsed);
      }
      // "::ffff:1.2.3.4" comes back as Inet4Address: keep it IPv6 as written.
      return Optional.of(Inet6Address.getByAddress(null, mapped(parsed.getAddress()), null));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static byte[] mapped(byte[] v4) {
    byte[] v6 = new byte[16];
    v6[10] = (byte) 0xff;
    v6[11] = (byte) 0xff;
    System.arraycopy(v4, 0, v6, 12, 4);
    return v6;
  }

  /** Builds an address from 4 or 16 network-order bytes; IPv4-mapped IPv6 stays IPv6. */
  public static InetAddress fromBytes(byte[] bytes) {
    try {
      if (bytes.length == 16) {
        return Inet6Address.getByAddress(null, bytes, null);
      }
      if (bytes.length == 4) {
        return InetAddress.getByAddress(bytes);
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException("unreachable: length was checked", e);
    }
    throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
  }

  /** The address family as the kernel numbers it: AF_INET (2) or AF_INET6 (10). */
  public static int family(InetAddress address) {
    return address instanceof Inet4Address ? Family.INET : Family.INET6;
  }

  /** Text as iproute2 prints it: dotted quad, or compressed IPv6. */
  public static String format(InetAddress address) {
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    return formatIpv6(address.getAddress());
  }

  private static String formatIpv6(byte[] b) {
    int[] words = new int[8];
    for (int i = 0; i < 8; i++) {
      words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    // RFC 5952 section 5 (and inet_ntop, hence iproute2): an IPv4-mapped address ends in a
    // dotted quad.
    if (words[0] == 0 && words[1] == 0 && words[2] == 0 && words[3] == 0 && words[4] == 0
        && words[5] == 0xffff) {
      return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "."
          + (b[15] & 0xff);
    }
    // RFC 5952: compress the longest run of two or more zero words, the first if tied.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (words[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && words[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(words[i]));
    }
    return sb.toString();
  }
}
