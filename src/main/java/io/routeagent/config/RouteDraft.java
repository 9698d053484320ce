package io.routeagent.config;

import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A route entry being read, in either form: values are set one by one as written (each parsed and
 * checked on its own), then {@link #build} checks how they fit together. Once any value was bad,
 * {@code build} reports nothing more, so that one mistake does not come back as several.
 */
final class RouteDraft extends EntryDraft {
  private static final int IPV4_MIN_MTU = 68;
  private static final int IPV6_MIN_MTU = 1280;
  private static final int MAX_MTU = 65535;

  private final Location[] where = new Location[RouteField.values().length];

  private IpPrefix to;
  private boolean toDefault;
  private Gateway via;
  private DeviceSelector dev;
  private OptionalInt metric = OptionalInt.empty();
  private long table = RouteSpec.TABLE_MAIN;
  private RouteType type = RouteType.UNICAST;
  private InetAddress src;
  private long mtu = -1;
  private boolean onlink;
  private boolean override;

  private final SharedValues shared;

  RouteDraft(Location entry, TableNames tables, Problems problems, SharedValues shared) {
    super(entry, tables, problems);
    this.shared = shared;
  }

  /** Sets a field from its text ("true"/"false" for flags), reporting a bad value at {@code at}. */
  void set(RouteField field, String text, Location at) {
    Location first = where[field.ordinal()];
    if (first != null) {
      fail(at, "`" + field.key + "` is given twice (first at " + first + ")", "Keep only one.");
      return;
    }
    where[field.ordinal()] = at;
    try {
      switch (field) {
        case TO -> {
          toDefault = text.equals("default");
          to = toDefault ? null : Values.prefix(text);
        }
        case VIA -> via = shared.gateway(text);
        case DEV -> dev = shared.device(text);
        case METRIC ->
            metric = OptionalInt.of((int) Values.number(text, "metric", 0, Values.MAX_U32));
        case TABLE -> table = Values.table(text, tables);
        case TYPE -> type = Values.type(text);
        case SRC -> src = Values.address(text);
        case MTU -> mtu = Values.number(text, "mtu", 0, MAX_MTU);
        case ONLINK -> onlink = Boolean.parseBoolean(text);
        case OVERRIDE -> override = Boolean.parseBoolean(text);
      }
    } catch (BadValue e) {
      fail(at, e.getMessage(), e.hint());
    }
  }

  /** Sets {@code dev} to a selector read from a mapping, where {@code at} is the mapping. */
  void setDevice(DeviceSelector selector, Location at) {
    Location first = where[RouteField.DEV.ordinal()];
    if (first != null) {
      fail(at, "`dev` is given twice (first at " + first + ")", "Keep only one.");
      return;
    }
    where[RouteField.DEV.ordinal()] = at;
    dev = selector;
  }

  /** The route, or empty after its problems were reported. */
  Optional<RouteSpec> build() {
    if (failed) {
      return Optional.empty();
    }
    if (where[RouteField.TO.ordinal()] == null) {
      fail(entry, "the route has no destination", "Add `to:` with a CIDR, an address or default.");
      return Optional.empty();
    }
    IpPrefix destination = toDefault ? IpPrefix.defaultRoute(defaultFamily()) : to;
    checkFamilies(destination.family());
    checkType();
    checkMtu(destination.family());
    if (failed) {
      return Optional.empty();
    }
    RouteSpec spec =
        new RouteSpec(
            entry,
            destination,
            via,
            dev,
            metric,
            table,
            type,
            src,
            mtu < 0 ? OptionalInt.empty() : OptionalInt.of((int) mtu),
            onlink,
            override);
    GuardRails.staticConflict(spec)
        .ifPresent(why -> fail(at(RouteField.TO), why, GuardRails.OVERRIDE_HINT));
    return failed ? Optional.empty() : Optional.of(spec);
  }

  /** "default" is IPv4 unless the gateway or source says IPv6, as with {@code ip route}. */
  private int defaultFamily() {
    if (via instanceof Gateway.Address a) {
      return IpAddresses.family(a.address());
    }
    return src != null ? IpAddresses.family(src) : Family.INET;
  }

  private void checkFamilies(int family) {
    if (via instanceof Gateway.Address a && IpAddresses.family(a.address()) != family) {
      fail(
          at(RouteField.VIA),
          mismatch("gateway", a.address(), family),
          "Use a gateway of the destination's family.");
    }
    if (src != null && IpAddresses.family(src) != family) {
      fail(
          at(RouteField.SRC),
          mismatch("source", src, family),
          "Use a source address of the destination's family.");
    }
    if (via instanceof Gateway.SubnetRouter) {
      if (dev == null) {
        fail(
            at(RouteField.VIA),
            "subnet-router needs `dev`: it is the first host of that" + " interface's IPv4 subnet",
            "Add `dev`, or give the router's address.");
      }
      if (family != Family.INET) {
        fail(
            at(RouteField.VIA),
            "subnet-router is the VPC router of an IPv4 subnet and cannot"
                + " serve an IPv6 destination",
            "Give the IPv6 gateway's address instead.");
      }
    }
  }

  private static String mismatch(String what, InetAddress address, int family) {
    return what
        + " "
        + IpAddresses.format(address)
        + " is "
        + familyName(IpAddresses.family(address))
        + " but the destination is "
        + familyName(family);
  }

  private static String familyName(int family) {
    return family == Family.INET ? "IPv4" : "IPv6";
  }

  private void checkType() {
    if (!type.isReject()) {
      if (via == null && dev == null) {
        fail(
            entry,
            "a unicast route needs `via` or `dev`",
            "Give the gateway (via) or the interface (dev), or a type such as blackhole.");
      }
      return;
    }
    String hint = "Remove it: a " + type.keyword() + " route does not forward traffic anywhere.";
    if (via != null) {
      fail(at(RouteField.VIA), "a " + type.keyword() + " route takes no `via`", hint);
    }
    if (dev != null) {
      fail(at(RouteField.DEV), "a " + type.keyword() + " route takes no `dev`", hint);
    }
    if (src != null) {
      fail(at(RouteField.SRC), "a " + type.keyword() + " route takes no `src`", hint);
    }
    if (onlink) {
      fail(at(RouteField.ONLINK), "a " + type.keyword() + " route takes no `onlink`", hint);
    }
  }

  private void checkMtu(int family) {
    int min = family == Family.INET ? IPV4_MIN_MTU : IPV6_MIN_MTU;
    if (mtu >= 0 && mtu < min) {
      fail(
          at(RouteField.MTU),
          "mtu " + mtu + " is too small for " + familyName(family),
          "It must be from " + min + " to " + MAX_MTU + ".");
    }
  }

  private Location at(RouteField field) {
    return where[field.ordinal()];
  }
}
