package io.routeagent.config;

import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
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

  private static final int FIELDS = RouteField.values().length;

  private final Location[] where = new Location[FIELDS];

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
  /** The next hops as written; {@code where[NEXTHOPS]} says where the list (or the first) starts. */
  private final List<HopDraft> hops = new ArrayList<>();

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
        case WEIGHT ->
            fail(at, "`weight` belongs to a next hop, not to the route",
                "Give the route `nexthops` with a weight each, or write `nexthop via ... weight N`.");
        case NEXTHOPS -> throw new IllegalStateException("nexthops are read with nextHops()");
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

  /** Notes where the next hops start: the `nexthops` key, or the first `nexthop` word. */
  void nextHops(Location at) {
    if (where[RouteField.NEXTHOPS.ordinal()] == null) {
      where[RouteField.NEXTHOPS.ordinal()] = at;
    }
  }

  /** Starts a next hop written at {@code at}; its values are set on what this returns. */
  HopDraft addNextHop(Location at) {
    nextHops(at);
    HopDraft hop = new HopDraft(at);
    hops.add(hop);
    return hop;
  }

  /** One next hop being read: {@code via}, {@code dev}, {@code weight} and {@code onlink}. */
  final class HopDraft {
    final Location at;
    private final Location[] hopWhere = new Location[FIELDS];
    private Gateway hopVia;
    private DeviceSelector hopDev;
    private int weight = NextHopSpec.MIN_WEIGHT;
    private boolean hopOnlink;

    private HopDraft(Location at) {
      this.at = at;
    }

    /** Sets a field of the next hop from its text, reporting a bad value at {@code valueAt}. */
    void set(RouteField field, String text, Location valueAt) {
      if (!given(field, valueAt)) {
        return;
      }
      try {
        switch (field) {
          case VIA -> hopVia = shared.gateway(text);
          case DEV -> hopDev = shared.device(text);
          case WEIGHT -> weight = (int) Values.number(text, "weight", NextHopSpec.MIN_WEIGHT, NextHopSpec.MAX_WEIGHT);
          case ONLINK -> hopOnlink = Boolean.parseBoolean(text);
          default -> throw new IllegalArgumentException(field + " is not a next hop's");
        }
      } catch (BadValue e) {
        fail(valueAt, e.getMessage(), e.hint());
      }
    }

    /** Sets {@code dev} to a selector read from a mapping at {@code valueAt}. */
    void setDevice(DeviceSelector selector, Location valueAt) {
      if (given(RouteField.DEV, valueAt)) {
        hopDev = selector;
      }
    }

    private boolean given(RouteField field, Location valueAt) {
      Location first = hopWhere[field.ordinal()];
      if (first != null) {
        fail(valueAt, "`" + field.key + "` is given twice in a next hop (first at " + first + ")", "Keep only one.");
        return false;
      }
      hopWhere[field.ordinal()] = valueAt;
      return true;
    }

    private NextHopSpec spec() {
      return new NextHopSpec(hopVia, hopDev, weight, hopOnlink);
    }
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
    boolean multipath = at(RouteField.NEXTHOPS) != null;
    checkFamilies(destination.family());
    if (multipath) {
      checkNextHops(destination.family());
    }
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
            override,
            failed || hops.isEmpty() ? List.of() : hops.stream().map(HopDraft::spec).toList());
    GuardRails.staticConflict(spec)
        .ifPresent(why -> fail(at(RouteField.TO), why, GuardRails.OVERRIDE_HINT));
    return failed ? Optional.empty() : Optional.of(spec);
  }

  /** "default" is IPv4 unless the gateway or source says IPv6, as with {@code ip route}. */
  private int defaultFamily() {
    if (via instanceof Gateway.Address a) {
      return IpAddresses.family(a.address());
    }
    for (HopDraft hop : hops) {
      if (hop.hopVia instanceof Gateway.Address a) {
        return IpAddresses.family(a.address());
      }
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
    if (dev == null && family == Family.INET6 && isLinkLocal(via)) {
      fail(
          at(RouteField.VIA),
          "gateway " + via + " is link-local: every link has that address, so it needs `dev`",
          "Add `dev` with the interface the gateway is on.");
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

  /**
   * A multipath entry: two next hops or more, each with a gateway of the destination's family or
   * an interface, none twice; the route's own via, dev and onlink are its next hops'.
   */
  private void checkNextHops(int family) {
    for (RouteField own : List.of(RouteField.VIA, RouteField.DEV, RouteField.ONLINK)) {
      if (at(own) != null) {
        fail(
            at(own),
            "`" + own.key + "` and next hops together: each next hop has its own `" + own.key + "`",
            "Move it into the next hops, or write a single path without them.");
      }
    }
    if (hops.size() > NextHopSpec.MAX_PER_ROUTE) {
      fail(
          hops.get(NextHopSpec.MAX_PER_ROUTE).at,
          "a route takes at most " + NextHopSpec.MAX_PER_ROUTE + " next hops, this one has " + hops.size(),
          "Split the destination, or merge next hops into weights.");
      return;
    }
    if (hops.size() < 2) {
      fail(
          at(RouteField.NEXTHOPS),
          hops.isEmpty() ? "`nexthops` is empty" : "a multipath route needs two next hops or more, not one",
          "Write a single path with `via` and `dev` on the route itself.");
    }
    for (int i = 0; i < hops.size(); i++) {
      HopDraft hop = hops.get(i);
      Location viaAt = hop.hopWhere[RouteField.VIA.ordinal()];
      if (hop.hopVia == null && hop.hopDev == null) {
        fail(hop.at, "a next hop needs `via` or `dev`", "Give its gateway (via), its interface (dev), or both.");
        continue;
      }
      if (hop.hopVia instanceof Gateway.Address a && IpAddresses.family(a.address()) != family) {
        fail(viaAt, mismatch("gateway", a.address(), family),
            "Every next hop's gateway must be of the destination's family.");
      }
      if (hop.hopDev == null && family == Family.INET6 && isLinkLocal(hop.hopVia)) {
        fail(viaAt, "gateway " + hop.hopVia + " is link-local: every link has that address, so its next hop needs"
            + " `dev`", "Add `dev` to the next hop, with the interface the gateway is on.");
      }
      if (hop.hopVia instanceof Gateway.SubnetRouter) {
        if (hop.hopDev == null) {
          fail(viaAt, "subnet-router needs `dev` in its next hop: it is the first host of that interface's IPv4"
              + " subnet", "Add `dev` to the next hop, or give the router's address.");
        } else if (family != Family.INET) {
          fail(viaAt, "subnet-router is the VPC router of an IPv4 subnet and cannot serve an IPv6 destination",
              "Give the IPv6 gateway's address instead.");
        }
      }
      for (int j = 0; j < i; j++) {
        HopDraft first = hops.get(j);
        if (java.util.Objects.equals(first.hopVia, hop.hopVia) && java.util.Objects.equals(first.hopDev, hop.hopDev)) {
          fail(hop.at, "duplicate next hop " + describePath(hop) + " (first at " + first.at + ")",
              "Remove one; to send more flows one way, give that next hop a higher `weight`.");
          break;
        }
      }
    }
  }

  /**
   * An IPv6 link-local gateway (fe80::/10): the kernel refuses it without an interface ("Egress
   * device not specified"), which {@code check} would otherwise find only when the route is sent.
   */
  private static boolean isLinkLocal(Gateway via) {
    return via instanceof Gateway.Address a && a.address() instanceof java.net.Inet6Address v6 && v6.isLinkLocalAddress();
  }

  private static String describePath(HopDraft hop) {
    return (hop.hopVia == null ? "" : "via " + hop.hopVia)
        + (hop.hopVia != null && hop.hopDev != null ? " " : "")
        + (hop.hopDev == null ? "" : "dev " + hop.hopDev.describe());
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
      if (via == null && dev == null && at(RouteField.NEXTHOPS) == null) {
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
    if (at(RouteField.NEXTHOPS) != null) {
      fail(at(RouteField.NEXTHOPS), "a " + type.keyword() + " route takes no next hops", hint);
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
