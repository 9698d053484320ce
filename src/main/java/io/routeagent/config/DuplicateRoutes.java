package io.routeagent.config;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds entries that name the same kernel route: the kernel keys a route by family, table,
 * destination and metric (tos is always 0 here), so two such entries would overwrite each other.
 */
final class DuplicateRoutes {
  private DuplicateRoutes() {}

  /** Metric the kernel gives an IPv6 route without RTA_PRIORITY ({@code IP6_RT_PRIO_USER}). */
  static final int IPV6_DEFAULT_METRIC = 1024;

  private record Key(int family, long table, IpPrefix to, int metric) {}

  static void check(List<RouteSpec> routes, Problems problems) {
    Map<Key, RouteSpec> seen = new HashMap<>(routes.size() * 2);
    for (RouteSpec spec : routes) {
      Key key = new Key(spec.family(), spec.table(), spec.to(), effectiveMetric(spec));
      RouteSpec first = seen.putIfAbsent(key, spec);
      if (first != null) {
        boolean implied =
            spec.family() == Family.INET6 && (spec.metric().isEmpty() || first.metric().isEmpty());
        problems.add(
            spec.location(),
            "duplicate route "
                + spec.to()
                + " (table "
                + (spec.table() == RouteSpec.TABLE_MAIN ? "main" : spec.table())
                + ", metric "
                + Integer.toUnsignedString(key.metric())
                + "): already declared at "
                + first.location(),
            "Remove one, or give them different metrics"
                + (implied ? " (an IPv6 route without a metric gets 1024)." : "."));
      }
    }
  }

  private static int effectiveMetric(RouteSpec spec) {
    return spec.metric().orElse(spec.family() == Family.INET6 ? IPV6_DEFAULT_METRIC : 0);
  }
}
