package io.routeagent.reconcile;

import io.routeagent.config.RouteSpec;
import io.routeagent.netlink.RouteKey;
import io.routeagent.netlink.RouteMessage;
import java.util.List;

/**
 * The entries of a routes file by the kernel's identity of their route ({@link RouteKey}: family,
 * table, destination, TOS, metric), and their positions in it: what the planner asks of every
 * route of ours in the kernel (is it still desired?), and the daemon of every route notification.
 * A kernel route the planner does not judge ({@link Planner#isJudged}) finds no entry.
 *
 * <p>An open-addressing table of the entries' positions, not a {@code HashMap<RouteKey,
 * RouteSpec>}: that one holds a key and a node per entry, 640 KB for 10,000 entries, for the
 * daemon's whole life; this holds an int per slot, two slots for three entries (60 KB). Its size is
 * no power of two (which would leave it between a half and a quarter full: 1 MB for 100,000
 * entries, not 600 KB); a slot is the hash's remainder.
 */
final class SpecsByKey {
  static final SpecsByKey NONE = new SpecsByKey(List.of());

  private final List<RouteSpec> specs;
  /** 1 + the position in {@link #specs} of the entry in each slot; 0 for an empty slot. */
  private final int[] slots;

  /** @param specs entries with distinct keys, as a validated routes file has them; a list of random access */
  SpecsByKey(List<RouteSpec> specs) {
    this.specs = specs;
    // Two thirds full at most: a lookup reads two slots on average, one that finds nothing five.
    slots = new int[specs.size() + specs.size() / 2 + 1];
    for (int position = 0; position < specs.size(); position++) {
      RouteSpec spec = specs.get(position);
      RouteKey key = spec.key();
      int i = slot(key);
      while (slots[i] != 0) {
        if (specs.get(slots[i] - 1).key().equals(key)) {
          throw new IllegalArgumentException("two entries for the route of " + spec.describe());
        }
        i = next(i);
      }
      slots[i] = position + 1;
    }
  }

  /** The entries, in the order given. */
  List<RouteSpec> specs() {
    return specs;
  }

  int size() {
    return specs.size();
  }

  RouteSpec spec(int position) {
    return specs.get(position);
  }

  /**
   * The position of the entry whose route has this route's key, or -1 (always for a route the
   * planner does not judge).
   */
  int positionOf(RouteMessage route) {
    return Planner.isJudged(route) ? positionOf(RouteKey.of(route)) : -1;
  }

  boolean contains(RouteKey key) {
    return positionOf(key) >= 0;
  }

  private int positionOf(RouteKey key) {
    for (int i = slot(key); ; i = next(i)) {
      int taken = slots[i];
      if (taken == 0) {
        return -1;
      }
      if (specs.get(taken - 1).key().equals(key)) {
        return taken - 1;
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
