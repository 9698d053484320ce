package io.routeagent.config;

import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/** Parsers for single values of a route, shared by the mapping and the one-line form. */
final class Values {
  private Values() {}

  static final long MAX_U32 = 0xffff_ffffL;

  /** {@code RT_TABLE_UNSPEC}: "no table" to the kernel. */
  static final long TABLE_UNSPEC = 0;

  /** {@code RT_TABLE_LOCAL}: the kernel's own table of local and broadcast addresses. */
  static final long TABLE_LOCAL = 255;

  /** {@code #define IFNAMSIZ 16}: names are at most 15 bytes plus the terminating NUL. */
  static final int IFNAMSIZ = 16;

  private static final List<String> TYPES =
      Arrays.stream(RouteType.values()).map(RouteType::keyword).toList();

  /** A CIDR or a bare address (a host route); "default" is the caller's business. */
  static IpPrefix prefix(String text) {
    IpPrefix.Result result = IpPrefix.parse(text);
    if (!result.isOk()) {
      throw new BadValue(
          Quoted.of(text) + " is not a valid destination: " + result.error(),
          "Write a CIDR such as 10.0.0.0/16, a bare address for a single host, or default.");
    }
    return result.prefix();
  }

  static Gateway gateway(String text) {
    if (text.equals("subnet-router")) {
      return new Gateway.SubnetRouter();
    }
    return new Gateway.Address(address(text));
  }

  /** An address literal; host names are refused because resolving them needs DNS at boot. */
  static InetAddress address(String text) {
    return IpAddresses.parse(text)
        .orElseThrow(
            () ->
                new BadValue(
                    Quoted.of(text) + " is not an IP address",
                    "Write an IPv4 address such as 172.31.64.1 or an IPv6 address such as"
                        + " fe80::1; host names are not resolved."));
  }

  /** The prefixes that make a {@code dev} value a selector; interface names never hold ':'. */
  static final String MAC_PREFIX = "mac:";

  static final String SUBNET_PREFIX = "subnet:";

  /**
   * A {@code dev} value: "mac:0a:1b:2c:3d:4e:5f", "subnet:172.31.0.0/16", or an interface name.
   * The prefixes cannot be mistaken for names, which the kernel refuses to hold ':'.
   */
  static DeviceSelector device(String text) {
    if (text.startsWith(MAC_PREFIX)) {
      return mac(text.substring(MAC_PREFIX.length()));
    }
    if (text.startsWith(SUBNET_PREFIX)) {
      return subnet(text.substring(SUBNET_PREFIX.length()));
    }
    return new DeviceSelector.Name(interfaceName(text));
  }

  /** A MAC address as {@code ip link} shows it: six two-digit hex octets joined by ':'. */
  static DeviceSelector.Mac mac(String text) {
    boolean ok = text.length() == 17;
    for (int i = 0; ok && i < text.length(); i++) {
      char c = text.charAt(i);
      ok = i % 3 == 2 ? c == ':' : Character.digit(c, 16) >= 0 && c < 128;
    }
    if (!ok) {
      throw new BadValue(
          Quoted.of(text) + " is not a MAC address",
          "Write six two-digit hex octets joined by colons, as `ip link` shows it:"
              + " 0a:1b:2c:3d:4e:5f.");
    }
    return new DeviceSelector.Mac(text);
  }

  /** A range of addresses, IPv4 or IPv6, for the interface that holds one of them. */
  static DeviceSelector.Subnet subnet(String text) {
    IpPrefix.Result result = IpPrefix.parse(text);
    if (!result.isOk()) {
      throw new BadValue(
          Quoted.of(text) + " is not a valid subnet: " + result.error(),
          "Write a CIDR such as 172.31.0.0/16 or 2001:db8::/56.");
    }
    return new DeviceSelector.Subnet(result.prefix());
  }

  /**
   * An interface name the kernel would accept, checked as {@code dev_valid_name()} in
   * net/core/dev.c does: not empty, shorter than IFNAMSIZ bytes, not "." or "..", and without '/',
   * ':' or whitespace (the kernel's isspace(), which includes byte 0xA0).
   */
  static String interfaceName(String name) {
    String hint = "Use the name `ip link` shows: at most 15 bytes, without '/', ':' or spaces.";
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0) {
      throw new BadValue("the interface name is empty", hint);
    }
    if (bytes.length >= IFNAMSIZ) {
      throw new BadValue(
          "interface name "
              + Quoted.of(name)
              + " is "
              + bytes.length
              + " bytes long; the kernel allows at most "
              + (IFNAMSIZ - 1),
          hint);
    }
    if (name.equals(".") || name.equals("..")) {
      throw new BadValue(Quoted.of(name) + " cannot be an interface name", hint);
    }
    for (byte b : bytes) {
      if (b == '/' || b == ':') {
        throw new BadValue("interface name " + Quoted.of(name) + " contains '" + (char) b + "'", hint);
      }
      if (isKernelSpace(b) || b == 0) {
        throw new BadValue("interface name " + Quoted.of(name) + " contains whitespace", hint);
      }
    }
    return name;
  }

  /** lib/ctype.c marks as space: \t \n \v \f \r, ' ', and 0xA0 (Latin-1 no-break space). */
  private static boolean isKernelSpace(byte b) {
    return (b >= 0x09 && b <= 0x0d) || b == ' ' || b == (byte) 0xa0;
  }

  /**
   * A decimal number in {@code min..max}. Leading zeros are refused: iproute2 would read "010" as
   * octal 8.
   */
  static long number(String text, String what, long min, long max) {
    String range = min + " to " + max;
    boolean negative = text.startsWith("-");
    String digits = negative ? text.substring(1) : text;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new BadValue(
          what + " " + Quoted.of(text) + " is not a whole number",
          "Write a decimal number from " + range + ".");
    }
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      throw new BadValue(
          what + " " + Quoted.of(text) + " has a leading zero",
          "Write it without the leading zero: iproute2 would read it as octal.");
    }
    boolean fits = digits.length() <= 18;
    long value = fits ? Long.parseLong(text) : 0;
    if (!fits || value < min || value > max) {
      throw new BadValue(what + " " + Quoted.cut(text) + " is out of range", "It must be from " + range + ".");
    }
    return value;
  }

  /** A table number or name; never 0 (unspec), 255 (local) or one of ec2-net-utils' tables. */
  static long table(String text, TableNames names) {
    boolean numeric =
        !text.isEmpty() && text.chars().allMatch(c -> c == '-' || (c >= '0' && c <= '9'));
    long id;
    String label;
    if (numeric) {
      id = number(text, "table", 0, MAX_U32);
      label = "table " + id;
    } else {
      OptionalLong named = names.lookup(text);
      if (named.isEmpty()) {
        throw new BadValue(
            "unknown table name " + Quoted.of(text),
            "Use main, a table number, or name the table in a file in /etc/iproute2/rt_tables.d/"
                + " (a line such as \"100 "
                + Quoted.cut(text)
                + "\").");
      }
      id = named.getAsLong();
      label = "table " + text + " (" + id + ")";
    }
    if (id == TABLE_UNSPEC) {
      throw new BadValue(
          label + " is RT_TABLE_UNSPEC, which is not a routing table",
          "Use main, or a table number from 1 to " + MAX_U32 + " other than 255.");
    }
    if (id == TABLE_LOCAL) {
      throw new BadValue(
          label + " is the kernel's local table, which only the kernel maintains",
          "Use main, or another table number.");
    }
    if (RuleSpec.isEc2NetUtils(id)) {
      throw new BadValue(
          label + " is in the range " + RuleSpec.EC2_NET_UTILS_FIRST + "-" + RuleSpec.EC2_NET_UTILS_LAST
              + " that ec2-net-utils uses for its per-interface tables",
          "Pick a table outside it: route-agent never touches ec2-net-utils' tables; declare the"
              + " routes you need in a table of your own.");
    }
    return id;
  }

  static RouteType type(String text) {
    return RouteType.fromKeyword(text)
        .orElseThrow(
            () ->
                new BadValue(
                    "unknown route type " + Quoted.of(text),
                    Suggestions.hint(text, TYPES, "The types are")));
  }
}
