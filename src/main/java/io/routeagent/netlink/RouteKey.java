package io.routeagent.netlink;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import java.util.OptionalInt;

/**
 * The kernel's identity of a route, its FIB key: family, table, destination, TOS and metric
 * (priority). Two routes with the same key cannot both exist; one with a different key is another
 * route. The one key of the agent: duplicates in the routes file, the planner, the repair lookup
 * and the status all go by it.
 */
public record RouteKey(int family, long table, IpPrefix destination, int tos, int metric) {

  /**
   * {@code #define IP6_RT_PRIO_USER 1024} (linux/ipv6_route.h): the metric the kernel gives an
   * IPv6 route created without RTA_PRIORITY.
   */
  public static final int IP6_RT_PRIO_USER = 1024;

  /**
   * The metric the kernel gives a route created without RTA_PRIORITY: 0 for IPv4, {@link
   * #IP6_RT_PRIO_USER} for IPv6.
   */
  public static int effectiveMetric(int family, OptionalInt metric) {
    return metric.orElse(family == Family.INET6 ? IP6_RT_PRIO_USER : 0);
  }

  /** The key of a route asked for with this metric (or none), TOS 0: an entry of the routes file. */
  public static RouteKey of(int family, long table, IpPrefix destination, OptionalInt metric) {
    return new RouteKey(family, table, destination, 0, effectiveMetric(family, metric));
  }

  /** The key of a route as the kernel reports it. */
  public static RouteKey of(RouteMessage route) {
    return new RouteKey(
        route.family(),
        route.table(),
        route.destination(),
        route.tos(),
        effectiveMetric(route.family(), route.priority()));
  }

  @Override
  public int hashCode() {
    return ((destination.hashCode() * 31 + Long.hashCode(table)) * 31 + metric) * 31 + tos * 7 + family;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteKey k
        && k.family == family
        && k.table == table
        && k.tos == tos
        && k.metric == metric
        && k.destination.equals(destination);
  }
}
