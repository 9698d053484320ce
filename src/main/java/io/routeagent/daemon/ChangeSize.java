package io.routeagent.daemon;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.RouteSpec;
import io.routeagent.netlink.RouteKey;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a new config would change against the one in force, counted by the kernel's identity of a
 * route: how long the change waits for the files to settle depends on it.
 *
 * @param cutLine a file whose last line has no end of line and declares a route that would be
 *     added or replaced: a file cut while it is written looks like that; or null
 */
record ChangeSize(int added, int replaced, int removed, Path cutLine) {

  /** All three: the routes that would be added, replaced or removed. */
  int routes() {
    return added + replaced + removed;
  }

  /** @param inForce the config in force, or null for none */
  static ChangeSize of(DesiredConfig inForce, DesiredConfig loaded) {
    Map<RouteKey, RouteSpec> before = byKey(inForce == null ? List.of() : inForce.routes());
    Map<RouteKey, RouteSpec> after = byKey(loaded.routes());
    int added = 0;
    int replaced = 0;
    Map<RouteKey, RouteSpec> touched = new HashMap<>();
    for (Map.Entry<RouteKey, RouteSpec> entry : after.entrySet()) {
      RouteSpec old = before.get(entry.getKey());
      if (old == null) {
        added++;
        touched.put(entry.getKey(), entry.getValue());
      } else if (!unlocated(old).equals(unlocated(entry.getValue()))) {
        replaced++;
        touched.put(entry.getKey(), entry.getValue());
      }
    }
    int removed = 0;
    for (RouteKey key : before.keySet()) {
      if (!after.containsKey(key)) {
        removed++;
      }
    }
    return new ChangeSize(added, replaced, removed, cutLine(loaded, touched.values()));
  }

  /** The first unterminated file whose last route is among {@code touched}. */
  private static Path cutLine(DesiredConfig loaded, java.util.Collection<RouteSpec> touched) {
    for (Path file : loaded.unterminated()) {
      String name = file.toString();
      RouteSpec last = null;
      for (RouteSpec spec : loaded.routes()) {
        if (spec.location() != null && spec.location().file().equals(name)
            && (last == null || spec.location().line() >= last.location().line())) {
          last = spec;
        }
      }
      if (last != null && touched.contains(last)) {
        return file;
      }
    }
    return null;
  }

  private static Map<RouteKey, RouteSpec> byKey(List<RouteSpec> routes) {
    Map<RouteKey, RouteSpec> map = new HashMap<>(routes.size() * 2);
    for (RouteSpec spec : routes) {
      map.put(spec.key(), spec);
    }
    return map;
  }

  /** The entry without where it stands in the file: moving a line changes no route. */
  private static RouteSpec unlocated(RouteSpec s) {
    return new RouteSpec(null, s.to(), s.via(), s.dev(), s.metric(), s.table(), s.type(), s.src(), s.mtu(),
        s.onlink(), s.override(), s.nexthops());
  }
}
