package io.routeagent.config;

import io.routeagent.net.Family;
import io.routeagent.netlink.RouteKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds entries that name the same kernel route ({@link RouteKey}: family, table, destination,
 * metric; TOS is always 0 here), which would overwrite each other.
 */
final class DuplicateRoutes {
  private DuplicateRoutes() {}

  static void check(List<RouteSpec> routes, Problems problems) {
    Map<RouteKey, RouteSpec> seen = new HashMap<>(routes.size() * 2);
    for (RouteSpec spec : routes) {
      RouteKey key = spec.key();
      RouteSpec first = seen.putIfAbsent(key, spec);
      if (first != null) {
        if (spec.location().equals(first.location())) {
          // One node read twice: only a YAML alias (*name) repeats an entry at its own position.
          problems.add(spec.location(), "route " + spec.to() + " is listed twice, the second time through a YAML"
              + " alias", "Remove the alias: an entry is declared once.");
          continue;
        }
        boolean implied =
            spec.family() == Family.INET6 && (spec.metric().isEmpty() || first.metric().isEmpty());
        problems.add(
            spec.location(),
            "duplicate route "
                + spec.to()
                + " (table "
                + RouteSpec.tableWords(spec.table())
                + ", metric "
                + Integer.toUnsignedString(key.metric())
                + "): already declared at "
                + first.location(),
            "Remove one, or give them different metrics"
                + (implied ? " (an IPv6 route without a metric gets " + RouteKey.IP6_RT_PRIO_USER + ")." : "."));
      }
    }
  }
}
