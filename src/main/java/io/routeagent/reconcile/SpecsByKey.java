package io.routeagent.reconcile;

import io.routeagent.config.RouteSpec;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.RouteMessage;
import java.util.Collection;

/**
 * Entries of the routes file by the kernel's identity of their route ({@link RouteKey}: family,
 * table, destination, TOS, metric), for the daemon's lookups of every route notification.
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
      int i = slot(spec.family(), spec.table(), spec.to(), metric(spec));
      while (slots[i] != null) {
        if (sameKey(slots[i], spec.family(), spec.table(), spec.to(), metric(spec))) {
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

  /** The entry whose route has this route's key, or null. */
  RouteSpec get(RouteMessage route) {
    if (route.tos() != 0) {
      return null; // the routes file has no TOS: its routes have 0
    }
    int metric = RouteKey.effectiveMetric(route.family(), route.priority());
    for (int i = slot(route.family(), route.table(), route.destination(), metric); ; i = (i + 1) & (slots.length - 1)) {
      RouteSpec spec = slots[i];
      if (spec == null || sameKey(spec, route.family(), route.table(), route.destination(), metric)) {
        return spec;
      }
    }
  }

  private static int metric(RouteSpec spec) {
    return RouteKey.effectiveMetric(spec.family(), spec.metric());
  }

  private static boolean sameKey(RouteSpec spec, int family, long table, IpPrefix destination, int metric) {
    return spec.family() == family && spec.table() == table && metric(spec) == metric && spec.to().equals(destination);
  }

  private int slot(int family, long table, IpPrefix destination, int metric) {
    int h = ((destination.hashCode() * 31 + Long.hashCode(table)) * 31 + metric) * 31 + family;
    h ^= h >>> 16; // the table's size is a power of two: mix the high bits into the index
    return h & (slots.length - 1);
  }
}
