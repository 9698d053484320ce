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
 * <p>The daemon keeps every entry for as long as it runs, so where the entry starts is kept here as
 * its three values, not as a {@link Location} (24 bytes more an entry); {@link #location} makes one.
 *
 * @param file the file of the entry, or null when it stands nowhere (see {@link #location})
 * @param line the line where the entry starts (from 1)
 * @param column the column where the entry starts (from 1)
 * @param to the destination
 * @param via the gateway, or null (always for a multipath entry)
 * @param dev the interface: a name or a selector; or null (then {@code via} is an address, or the
 *     entry is multipath)
 * @param metric RTA_PRIORITY when given; absent is not 0 to the kernel for IPv6 (it picks 1024)
 * @param table the routing table number (254 main unless given; never 0 or 255)
 * @param type the route type
 * @param src the preferred source address (RTA_PREFSRC), or null
 * @param mtu RTAX_MTU when given
 * @param onlink RTNH_F_ONLINK: the gateway is on the link even if no subnet says so
 * @param override the entry passes the guard rails on purpose
 * @param nexthops a multipath entry's next hops (two or more, in the file's order); empty for a
 *     single path
 */
public record RouteSpec(
    String file,
    int line,
    int column,
    IpPrefix to,
    Gateway via,
    DeviceSelector dev,
    OptionalInt metric,
    long table,
    RouteType type,
    InetAddress src,
    OptionalInt mtu,
    boolean onlink,
    boolean override,
    List<NextHopSpec> nexthops) {

  public static final long TABLE_MAIN = 254;

  public RouteSpec {
    nexthops = List.copyOf(nexthops);
    if (!nexthops.isEmpty() && (via != null || dev != null || onlink)) {
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
        location == null ? 0 : location.column(), to, via, dev, metric, table, type, src, mtu, onlink, override,
        nexthops);
  }

  /** Where the entry starts, for messages; null for an entry that stands nowhere. */
  public Location location() {
    return file == null ? null : new Location(file, line, column);
  }

  public boolean multipath() {
    return !nexthops.isEmpty();
  }

  /**
   * The paths of the entry: its next hops, or its own via, dev and onlink as one path of weight 1;
   * empty for a reject route. What the policy checks, path by path.
   */
  public List<NextHopSpec> paths() {
    if (multipath()) {
      return nexthops;
    }
    return via == null && dev == null ? List.of() : List.of(new NextHopSpec(via, dev, 1, onlink));
  }

  public int family() {
    return to.family();
  }

  /** The kernel's key of this entry's route: two entries with one key would overwrite each other. */
  public RouteKey key() {
    return RouteKey.of(family(), table, to, metric);
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
    if (table != TABLE_MAIN) {
      sb.append(" table ").append(table);
    }
    metric.ifPresent(m -> sb.append(" metric ").append(Integer.toUnsignedString(m)));
    if (src != null) {
      sb.append(" src ").append(io.routeagent.net.IpAddresses.format(src));
    }
    mtu.ifPresent(m -> sb.append(" mtu ").append(m));
    if (onlink) {
      sb.append(" onlink");
    }
    for (NextHopSpec hop : nexthops) {
      sb.append(' ').append(hop.describe());
    }
    return sb.toString();
  }

  private Gateway firstGateway() {
    return multipath() ? nexthops.get(0).via() : via;
  }
}
