package io.routeagent.status;

import io.routeagent.config.RouteSpec;
import io.routeagent.reconcile.DownNextHop;
import io.routeagent.reconcile.RouteState;
import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The routes of a {@link StatusReport}, immutable, in columns rather than a {@link
 * StatusReport.Route} each: the daemon keeps its last report until the next reconcile, for months
 * when nothing changes, and a record per route (32 bytes and its slot) is most of that at 100,000
 * routes. Here a route costs its entry's reference, a byte for its state and its device's name
 * (one shared string per interface); the reasons only while some route has one, each text once
 * (a link going down under 100,000 routes gives them all "interface eth2 is down", made for each:
 * 6 MB kept for as long as it stays down), and the down next hops of the few multipath routes in a
 * map. {@link #get} builds the record on demand.
 */
final class RouteStates extends AbstractList<StatusReport.Route> implements RandomAccess {
  private static final RouteState[] STATES = RouteState.values();

  private final RouteSpec[] specs;
  private final byte[] states;
  private final String[] devices;
  /** Null when no route has a reason. */
  private final String[] reasons;
  /** By index; only routes with next hops down. */
  private final Map<Integer, List<DownNextHop>> down;

  private RouteStates(List<StatusReport.Route> routes) {
    int n = routes.size();
    specs = new RouteSpec[n];
    states = new byte[n];
    devices = new String[n];
    String[] why = null;
    Map<String, String> texts = new HashMap<>();
    Map<Integer, List<DownNextHop>> hops = new HashMap<>();
    for (int i = 0; i < n; i++) {
      StatusReport.Route route = routes.get(i);
      specs[i] = route.spec();
      states[i] = (byte) route.state().ordinal();
      devices[i] = route.device();
      if (route.reason() != null) {
        if (why == null) {
          why = new String[n];
        }
        why[i] = texts.computeIfAbsent(route.reason(), text -> text);
      }
      if (!route.down().isEmpty()) {
        hops.put(i, route.down());
      }
    }
    reasons = why;
    down = hops.isEmpty() ? Map.of() : Map.copyOf(hops);
  }

  /** These routes, kept so; the same list when it already is. */
  static RouteStates of(List<StatusReport.Route> routes) {
    return routes instanceof RouteStates kept ? kept : new RouteStates(routes);
  }

  @Override
  public StatusReport.Route get(int index) {
    return new StatusReport.Route(specs[index], STATES[states[index]], reasons == null ? null : reasons[index],
        devices[index], down.getOrDefault(index, List.of()));
  }

  @Override
  public int size() {
    return specs.length;
  }

  /** How many routes are in this state, without a record each. */
  long count(RouteState state) {
    long n = 0;
    for (byte s : states) {
      if (s == state.ordinal()) {
        n++;
      }
    }
    return n;
  }
}
