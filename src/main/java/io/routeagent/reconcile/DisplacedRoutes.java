package io.routeagent.reconcile;

import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.NextHop;
import io.routeagent.netlink.RouteKey;
import io.routeagent.netlink.RouteMessage;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The routes of other owners that the agent displaced when it adopted their key (same family,
 * table, destination, TOS and metric, other attributes or protocol), each as the kernel dumped it,
 * with its interface's name: what the agent puts back, as it was, when the entry that displaced it
 * leaves the routes file. Immutable; {@link #format} and {@link #parse} are its file's text, one
 * route a line:
 *
 * <pre>
 * route-agent displaced routes 1
 * inet table=254 to=0.0.0.0/0 tos=0 proto=16 scope=0 type=1 flags=0x0 via=172.31.64.1 oif=2 dev=eth2 metric= src= mtu=9001
 * inet table=254 to=10.0.0.0/16 tos=0 proto=4 scope=0 type=1 flags=0x0 via= oif=0 dev= metric= src= mtu= nexthop=172.31.64.1/eth2/2/1/0x0 nexthop=172.31.80.1/eth3/4/3/0x0
 * </pre>
 *
 * An empty value is an absent attribute; numbers are the kernel's (RTPROT_*, RT_SCOPE_*, RTN_*).
 * A multipath route adds one {@code nexthop=via/dev/oif/weight/flags} a next hop (an interface's
 * name has no '/'); a line without them, as every line before multipath routes, is a single path.
 */
public final class DisplacedRoutes {
  public static final DisplacedRoutes EMPTY = new DisplacedRoutes(Map.of());
  static final String HEADER = "route-agent displaced routes 1";
  private static final List<String> FIELDS = List.of(
      "table", "to", "tos", "proto", "scope", "type", "flags", "via", "oif", "dev", "metric", "src", "mtu");

  /**
   * One displaced route.
   *
   * @param route the route as the kernel dumped it
   * @param dev the name of its interface then, or null: a restore looks the index up again by
   *     name, since an interface re-created (an ENI attached again) comes back with a new index
   */
  public record Displaced(RouteMessage route, String dev, List<String> nextHopDevs) {
    /**
     * @param nextHopDevs for a multipath route, the name of each next hop's interface then, in
     *     the order of its next hops ("" for none): looked up again as {@code dev} is
     */
    public Displaced {
      nextHopDevs = List.copyOf(nextHopDevs);
      if (nextHopDevs.size() != route.nextHops().size()) {
        throw new IllegalArgumentException("one interface name a next hop");
      }
    }

    public Displaced(RouteMessage route, String dev) {
      this(route, dev, route.nextHops().stream().map(hop -> "").toList());
    }

    public RouteKey key() {
      return RouteKey.of(route);
    }
  }

  private final Map<RouteKey, Displaced> routes;

  private DisplacedRoutes(Map<RouteKey, Displaced> routes) {
    this.routes = routes;
  }

  public static DisplacedRoutes of(Collection<Displaced> routes) {
    Map<RouteKey, Displaced> byKey = new LinkedHashMap<>();
    for (Displaced d : routes) {
      byKey.put(d.key(), d);
    }
    return byKey.isEmpty() ? EMPTY : new DisplacedRoutes(Map.copyOf(byKey));
  }

  public Displaced get(RouteKey key) {
    return routes.get(key);
  }

  public boolean contains(RouteKey key) {
    return routes.containsKey(key);
  }

  public Collection<Displaced> routes() {
    return routes.values();
  }

  public int size() {
    return routes.size();
  }

  public boolean isEmpty() {
    return routes.isEmpty();
  }

  /** This record with {@code added} (replacing a record of the same key) and without {@code removed}. */
  public DisplacedRoutes with(Collection<Displaced> added, Collection<RouteKey> removed) {
    if (added.isEmpty() && removed.stream().noneMatch(routes::containsKey)) {
      return this;
    }
    Map<RouteKey, Displaced> next = new HashMap<>(routes);
    for (Displaced d : added) {
      next.put(d.key(), d);
    }
    removed.forEach(next::remove);
    return next.isEmpty() ? EMPTY : new DisplacedRoutes(Map.copyOf(next));
  }

  /** The file's text; the same record always gives the same text (sorted), ending in a newline. */
  public String format() {
    List<String> lines = new ArrayList<>(routes.size());
    for (Displaced d : routes.values()) {
      RouteMessage r = d.route();
      lines.add((r.family() == Family.INET6 ? "inet6" : "inet")
          + " table=" + r.table()
          + " to=" + IpAddresses.format(r.destination().address()) + "/" + r.destination().length()
          + " tos=" + r.tos()
          + " proto=" + r.protocol()
          + " scope=" + r.scope()
          + " type=" + r.type()
          + " flags=0x" + Integer.toHexString(r.flags())
          + " via=" + (r.gateway() == null ? "" : IpAddresses.format(r.gateway()))
          + " oif=" + r.outputInterface()
          + " dev=" + (d.dev() == null ? "" : d.dev())
          + " metric=" + (r.priority().isPresent() ? Integer.toUnsignedString(r.priority().getAsInt()) : "")
          + " src=" + (r.preferredSource() == null ? "" : IpAddresses.format(r.preferredSource()))
          + " mtu=" + (r.mtu().isPresent() ? Integer.toUnsignedString(r.mtu().getAsInt()) : "")
          + nextHops(d));
    }
    lines.sort(Comparator.naturalOrder());
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    lines.forEach(line -> sb.append(line).append('\n'));
    return sb.toString();
  }

  private static String nextHops(Displaced d) {
    StringBuilder sb = new StringBuilder();
    List<NextHop> hops = d.route().nextHops();
    for (int i = 0; i < hops.size(); i++) {
      NextHop hop = hops.get(i);
      sb.append(" nexthop=").append(hop.gateway() == null ? "" : IpAddresses.format(hop.gateway()))
          .append('/').append(d.nextHopDevs().get(i))
          .append('/').append(hop.interfaceIndex())
          .append('/').append(hop.weight())
          .append("/0x").append(Integer.toHexString(hop.flags()));
    }
    return sb.toString();
  }

  /**
   * Reads the file's text.
   *
   * @throws IllegalArgumentException naming the line and what is wrong with it
   */
  public static DisplacedRoutes parse(String text) {
    String[] lines = text.split("\n", -1);
    if (!lines[0].equals(HEADER)) {
      throw new IllegalArgumentException("line 1: expected \"" + HEADER + "\"");
    }
    List<Displaced> routes = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty() && i == lines.length - 1) {
        break;
      }
      try {
        routes.add(line(lines[i]));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("the last line is cut short");
    }
    return of(routes);
  }

  private static Displaced line(String line) {
    String[] words = line.split(" ", -1);
    if (words.length < FIELDS.size() + 1) {
      throw new IllegalArgumentException("expected a family and " + FIELDS.size() + " fields");
    }
    int family = switch (words[0]) {
      case "inet" -> Family.INET;
      case "inet6" -> Family.INET6;
      default -> throw new IllegalArgumentException("unknown family");
    };
    Map<String, String> f = new HashMap<>();
    for (int i = 0; i < FIELDS.size(); i++) {
      String name = FIELDS.get(i);
      if (!words[i + 1].startsWith(name + "=")) {
        throw new IllegalArgumentException("expected " + name + "= as field " + (i + 1));
      }
      f.put(name, words[i + 1].substring(name.length() + 1));
    }
    IpPrefix.Result to = IpPrefix.parse(f.get("to"));
    if (!to.isOk() || to.prefix().family() != family) {
      throw new IllegalArgumentException("to= is not a prefix of the route's family");
    }
    long table = Long.parseLong(f.get("table"));
    if (table < 0 || table > 0xffffffffL) {
      throw new IllegalArgumentException("table out of range");
    }
    List<NextHop> hops = new ArrayList<>();
    List<String> hopDevs = new ArrayList<>();
    for (int i = FIELDS.size() + 1; i < words.length; i++) {
      if (!words[i].startsWith("nexthop=")) {
        throw new IllegalArgumentException("expected nexthop= as field " + i);
      }
      String[] parts = words[i].substring("nexthop=".length()).split("/", -1);
      if (parts.length != 5) {
        throw new IllegalArgumentException("nexthop= is not via/dev/oif/weight/flags");
      }
      int weight = Integer.parseInt(parts[3]);
      if (weight < 1 || weight > 256) {
        throw new IllegalArgumentException("a next hop's weight is out of range");
      }
      hops.add(new NextHop(Integer.parseUnsignedInt(hex(parts[4]), 16), weight, Integer.parseInt(parts[2]),
          address(family, parts[0])));
      hopDevs.add(parts[1]);
    }
    if (hops.size() == 1) {
      throw new IllegalArgumentException("a multipath route of one next hop");
    }
    int flags = Integer.parseUnsignedInt(hex(f.get("flags")), 16);
    RouteMessage route = hops.isEmpty()
        ? new RouteMessage(family, to.prefix(), u8(f.get("tos")), table, u8(f.get("proto")),
            u8(f.get("scope")), u8(f.get("type")), flags, address(family, f.get("via")),
            Integer.parseInt(f.get("oif")), optional(f.get("metric")), address(family, f.get("src")),
            optional(f.get("mtu")), false, false, List.of())
        : new RouteMessage(family, to.prefix(), u8(f.get("tos")), table, u8(f.get("proto")),
            u8(f.get("scope")), u8(f.get("type")), flags, null, 0, optional(f.get("metric")),
            address(family, f.get("src")), optional(f.get("mtu")), false, true, List.copyOf(hops));
    return new Displaced(route, f.get("dev").isEmpty() ? null : f.get("dev"), hopDevs);
  }

  private static int u8(String text) {
    int n = Integer.parseInt(text);
    if (n < 0 || n > 255) {
      throw new IllegalArgumentException(n + " is out of range for a byte");
    }
    return n;
  }

  private static String hex(String text) {
    if (!text.startsWith("0x")) {
      throw new IllegalArgumentException("flags= is not a 0x number");
    }
    return text.substring(2);
  }

  private static OptionalInt optional(String text) {
    return text.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseUnsignedInt(text));
  }

  private static InetAddress address(int family, String text) {
    if (text.isEmpty()) {
      return null;
    }
    InetAddress address = IpAddresses.parse(text)
        .orElseThrow(() -> new IllegalArgumentException("not an address"));
    if (IpAddresses.family(address) != family) {
      throw new IllegalArgumentException("an address of another family");
    }
    return address;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DisplacedRoutes other && routes.equals(other.routes);
  }

  @Override
  public int hashCode() {
    return routes.hashCode();
  }

  @Override
  public String toString() {
    return "DisplacedRoutes" + routes.values();
  }
}
