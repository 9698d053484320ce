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
 * daemon's whole life; this holds a reference per slot (128 KB).
 */
final class SpecsByKey {
  private final RouteSpec[] slots;
  private final int size;

  /** @param specs entries with distinct keys, as a validated routes file has them */
  SpecsByKey(Collection<RouteSpec> specs) {
    // At most half full, so that a probe ends after a slot or two.
    int capacity = Integer.highestOneBit(Math.max(2, specs.size()) * 2 - 1) << 1;
    slots = new RouteSpec[capacity];
    for (RouteSpec spec : specs) {
      RouteKey key = spec.key();
      int i = slot(key);
      while (slots[i] != null) {
        if (slots[i].key().equals(key)) {
          throw new IllegalArgumentException("two entries for the route of " + spec.describe());
        }
        i = (i + 1) & (slots.length - 1);
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
    for (int i = slot(key); ; i = (i + 1) & (slots.length - 1)) {
      RouteSpec spec = slots[i];
      if (spec == null || spec.key().equals(key)) {
        return spec;
      }
    }
  }

  private int slot(RouteKey key) {
    int h = key.hashCode();
    h ^= h >>> 16; // the table's size is a power of two: mix the high bits into the index
    return h & (slots.length - 1);
  }
}
