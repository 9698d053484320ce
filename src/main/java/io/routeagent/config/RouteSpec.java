package io.routeagent.config;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.RouteKey;
import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;

/**
 * One validated entry of the routes file.
 *
 * <p>The daemon keeps every entry for as long as it runs, 100,000 of them on a large host, so an
 * entry is kept small: where it starts is its three values, not a {@link Location} object (which
 * {@link #location} makes), and the attributes most entries leave at their default are apart, in
 * {@link Extras}, one shared {@link Extras#NONE} for all the entries that give none of them. The
 * accessors {@link #table}, {@link #metric}, {@link #src}, {@link #mtu}, {@link #onlink}, {@link
 * #override} and {@link #nexthops} read them there.
 *
 * @param file the file of the entry, or null when it stands nowhere (see {@link #location})
 * @param line the line where the entry starts (from 1)
 * @param column the column where the entry starts (from 1)
 * @param to the destination
 * @param via the gateway, or null (always for a multipath entry)
 * @param dev the interface: a name or a selector; or null (then {@code via} is an address, or the
 *     entry is multipath)
 * @param type the route type
 * @param extras the table, metric, src, mtu, onlink, override and next hops
 */
public record RouteSpec(
    String file,
    int line,
    int column,
    IpPrefix to,
    Gateway via,
    DeviceSelector dev,
    RouteType type,
    Extras extras) {

  public static final long TABLE_MAIN = 254;

  /** A table as messages name it: {@code main}, or its number. */
  public static String tableWords(long table) {
    return table == TABLE_MAIN ? "main" : Long.toString(table);
  }

  /**
   * The attributes of an entry that most entries leave at their default.
   *
   * @param table the routing table number (254 main unless given; never 0 or 255)
   * @param metric RTA_PRIORITY when given; absent is not 0 to the kernel for IPv6 (it picks 1024)
   * @param src the preferred source address (RTA_PREFSRC), or null
   * @param mtu RTAX_MTU when given
   * @param onlink RTNH_F_ONLINK: the gateway is on the link even if no subnet says so
   * @param override the entry passes the guard rails on purpose
   * @param nexthops a multipath entry's next hops (two or more, in the file's order); empty for a
   *     single path
   */
  public record Extras(long table, OptionalInt metric, InetAddress src, OptionalInt mtu, boolean onlink,
      boolean override, List<NextHopSpec> nexthops) {
    /** None of them given. */
    public static final Extras NONE =
        new Extras(TABLE_MAIN, OptionalInt.empty(), null, OptionalInt.empty(), false, false, List.of());

    public Extras {
      nexthops = List.copyOf(nexthops);
    }

    // equals and hashCode written out: a record's own are bootstrapped (ObjectMethods) at their
    // first call, ~20 ms of every one-shot command, which the bundle's AOT cache does not hold.
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Extras e && table == e.table && metric.equals(e.metric)
          && java.util.Objects.equals(src, e.src) && mtu.equals(e.mtu) && onlink == e.onlink
          && override == e.override && nexthops.equals(e.nexthops);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(table, metric, src, mtu, onlink, override, nexthops);
    }

    /** These, or {@link #NONE} when they are its: one instance for every entry that gives none. */
    static Extras of(long table, OptionalInt metric, InetAddress src, OptionalInt mtu, boolean onlink,
        boolean override, List<NextHopSpec> nexthops) {
      Extras extras = new Extras(table, metric, src, mtu, onlink, override, nexthops);
      return extras.equals(NONE) ? NONE : extras;
    }
  }

  public RouteSpec {
    java.util.Objects.requireNonNull(extras, "extras");
    if (!extras.nexthops().isEmpty() && (via != null || dev != null || extras.onlink())) {
      throw new IllegalArgumentException("a multipath entry has its via, dev and onlink in its next hops");
    }
  }

  /**
   * @param location where the entry starts, for messages; null for an entry that stands nowhere
   *     (compared by what it declares alone)
   */
  public RouteSpec(Location location, IpPrefix to, Gateway via, DeviceSelector dev, OptionalInt metric, long table,
      RouteType type, InetAddress src, OptionalInt mtu, boolean onlink, boolean override, List<NextHopSpec> nexthops) {
    this(location == null ? null : location.file(), location == null ? 0 : location.line(),
        location == null ? 0 : location.column(), to, via, dev, type,
        Extras.of(table, metric, src, mtu, onlink, override, nexthops));
  }

  /** The routing table number (254 main unless given; never 0 or 255). */
  public long table() {
    return extras.table();
  }

  /** RTA_PRIORITY when given; absent is not 0 to the kernel for IPv6 (it picks 1024). */
  public OptionalInt metric() {
    return extras.metric();
  }

  /** The preferred source address (RTA_PREFSRC), or null. */
  public InetAddress src() {
    return extras.src();
  }

  /** RTAX_MTU when given. */
  public OptionalInt mtu() {
    return extras.mtu();
  }

  /** RTNH_F_ONLINK: the gateway is on the link even if no subnet says so. */
  public boolean onlink() {
    return extras.onlink();
  }

  /** The entry passes the guard rails on purpose. */
  public boolean override() {
    return extras.override();
  }

  /** A multipath entry's next hops (two or more, in the file's order); empty for a single path. */
  public List<NextHopSpec> nexthops() {
    return extras.nexthops();
  }

  /** Where the entry starts, for messages; null for an entry that stands nowhere. */
  public Location location() {
    return file == null ? null : new Location(file, line, column);
  }

  public boolean multipath() {
    return !nexthops().isEmpty();
  }

  /**
   * The paths of the entry: its next hops, or its own via, dev and onlink as one path of weight 1;
   * empty for a reject route. What the policy checks, path by path.
   */
  public List<NextHopSpec> paths() {
    if (multipath()) {
      return nexthops();
    }
    return via == null && dev == null ? List.of() : List.of(new NextHopSpec(via, dev, 1, onlink()));
  }

  public int family() {
    return to.family();
  }

  /** The kernel's key of this entry's route: two entries with one key would overwrite each other. */
  public RouteKey key() {
    return RouteKey.of(family(), table(), to, metric());
  }

  /** The route as {@code ip route} syntax, e.g. "10.0.0.0/16 via 172.31.64.1 dev eth2". */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (type != RouteType.UNICAST) {
      sb.append(type.keyword()).append(' ');
    }
    // Read back, a bare "default" is IPv4 unless the gateway says otherwise: spell out ::/0.
    boolean ipv6Default = to.isDefault() && to.family() == Family.INET6 && !(firstGateway() instanceof Gateway.Address);
    sb.append(ipv6Default ? "::/0" : to);
    if (via != null) {
      sb.append(" via ").append(via);
    }
    if (dev != null) {
      sb.append(" dev ").append(dev.describe());
    }
    if (table() != TABLE_MAIN) {
      sb.append(" table ").append(table());
    }
    metric().ifPresent(m -> sb.append(" metric ").append(Integer.toUnsignedString(m)));
    if (src() != null) {
      sb.append(" src ").append(io.routeagent.net.IpAddresses.format(src()));
    }
    mtu().ifPresent(m -> sb.append(" mtu ").append(m));
    if (onlink()) {
      sb.append(" onlink");
    }
    for (NextHopSpec hop : nexthops()) {
      sb.append(' ').append(hop.describe());
    }
    return sb.toString();
  }

  private Gateway firstGateway() {
    return multipath() ? nexthops().get(0).via() : via;
  }
}
