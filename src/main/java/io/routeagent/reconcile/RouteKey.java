package io.routeagent.reconcile;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.RouteMessage;
import java.util.OptionalInt;

/**
 * The kernel's identity of a route: family, table, destination, TOS and metric (priority). Two
 * routes with the same key cannot both exist; one with a different key is another route.
 */
public record RouteKey(int family, long table, IpPrefix destination, int tos, int metric) {

  /**
   * The metric the kernel gives a route created without RTA_PRIORITY: 0 for IPv4, 1024
   * (IP6_RT_PRIO_USER) for IPv6.
   */
  public static int effectiveMetric(int family, OptionalInt metric) {
    return metric.orElse(family == Family.INET6 ? 1024 : 0);
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

  public static RouteKey of(RouteMessage route) {
    return new RouteKey(
        route.family(),
        route.table(),
        route.destination(),
        route.tos(),
        effectiveMetric(route.family(), route.priority()));
  }
}
