package io.routeagent.reconcile;

import io.routeagent.config.RouteSpec;
import io.routeagent.netlink.RouteKey;
import io.routeagent.netlink.RouteMessage;
import java.util.Collection;

/**
 * Entries of the routes file by the kernel's identity of their route ({@link RouteKey}: family,
 * table, destination, TOS, metric), for the daemon's lookups of every route notification. A
 * kernel route the planner does not judge ({@link Planner#isJudged}) finds no entry.
 *
 * <p>An open-addressing table of the entries themselves, not a {@code HashMap<RouteKey,
 * RouteSpec>}: that one holds a key and a node per entry, 640 KB for 10,000 entries, for the
 * daemon's whole life; this holds a reference per slot, two slots for three entries (60 KB). Its
 * size is no power of two (which would leave it between a half and a quarter full: 1 MB for
 * 100,000 entries, not 600 KB); a slot is the hash's remainder.
 */
final class SpecsByKey {
  private final RouteSpec[] slots;
  private final int size;

  /** @param specs entries with distinct keys, as a validated routes file has them */
  SpecsByKey(Collection<RouteSpec> specs) {
    // Two thirds full at most: a lookup reads two slots on average, one that finds nothing five.
    slots = new RouteSpec[specs.size() + specs.size() / 2 + 1];
    for (RouteSpec spec : specs) {
      RouteKey key = spec.key();
      int i = slot(key);
      while (slots[i] != null) {
        if (slots[i].key().equals(key)) {
          throw new IllegalArgumentException("two entries for the route of " + spec.describe());
        }
        i = next(i);
      }
      slots[i] = spec;
    }
    size = specs.size();
  }

  int size() {
    return size;
  }

  /** The entry whose route has this route's key, or null (always for a route the planner does not judge). */
  RouteSpec get(RouteMessage route) {
    if (!Planner.isJudged(route)) {
      return null;
    }
    RouteKey key = RouteKey.of(route);
    for (int i = slot(key); ; i = next(i)) {
      RouteSpec spec = slots[i];
      if (spec == null || spec.key().equals(key)) {
        return spec;
      }
    }
  }

  private int slot(RouteKey key) {
    return Integer.remainderUnsigned(key.hashCode(), slots.length);
  }

  private int next(int slot) {
    return slot + 1 == slots.length ? 0 : slot + 1;
  }
}
