package io.routeagent.config;

import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code dev} of a route: an interface name, or a selector that the planner resolves against
 * the kernel's interfaces on every plan, so that a renamed or re-created interface is found again.
 */
public sealed interface DeviceSelector {
  /**
   * The selector in {@code ip route} words, as the one-line form of the routes file takes it:
   * "eth2", "mac:0a:1b:2c:3d:4e:5f", "subnet:172.31.0.0/16".
   */
  String describe();

  /**
   * What the selector looks for, for messages: "interface eth2", "the interface with MAC
   * 0a:1b:2c:3d:4e:5f", "the interface holding an address in 172.31.0.0/16".
   */
  String what();

  /** Why nothing matches, for a waiting route. */
  String noMatch();

  /**
   * An interface name or alternative name (IFLA_IFNAME, IFLA_ALT_IFNAME).
   *
   * @param name a name the kernel would accept
   */
  record Name(String name) implements DeviceSelector {
    /**
     * Why the kernel would refuse {@code name} as an interface name, and what to do, or empty:
     * the routes file's check, for a name given elsewhere (import's --dev).
     */
    public static Optional<String> problem(String name) {
      try {
        Values.interfaceName(name);
        return Optional.empty();
      } catch (BadValue e) {
        return Optional.of(e.getMessage() + ". " + e.hint());
      }
    }

    @Override
    public String describe() {
      return name;
    }

    @Override
    public String what() {
      return "interface " + name;
    }

    @Override
    public String noMatch() {
      return "interface " + name + " is absent";
    }
  }

  /**
   * The interface whose IFLA_ADDRESS is this MAC.
   *
   * @param mac six octets, lower case, colon-separated: "0a:1b:2c:3d:4e:5f"
   */
  record Mac(String mac) implements DeviceSelector {
    public Mac {
      mac = mac.toLowerCase(Locale.ROOT);
    }

    @Override
    public String describe() {
      return "mac:" + mac;
    }

    @Override
    public String what() {
      return "the interface with MAC " + mac;
    }

    @Override
    public String noMatch() {
      return "no interface has MAC " + mac;
    }
  }

  /**
   * The interface holding an address inside this range (IPv4 or IPv6).
   *
   * @param range the range
   */
  record Subnet(IpPrefix range) implements DeviceSelector {
    @Override
    public String describe() {
      return "subnet:" + rangeText();
    }

    @Override
    public String what() {
      return "the interface holding an address in " + rangeText();
    }

    @Override
    public String noMatch() {
      return "no interface holds an address in " + rangeText();
    }

    private String rangeText() {
      return IpAddresses.format(range.address()) + "/" + range.length();
    }
  }
}
