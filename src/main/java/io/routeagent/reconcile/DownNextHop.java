package io.routeagent.reconcile;

import io.routeagent.config.RouteSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A next hop of a multipath entry that carries no traffic now, and why: the kernel marks it dead
 * or linkdown, or it is not installed (its interface is absent, down or has no address yet; its
 * gateway is on none of its interface's subnets). What {@code status}, {@code status --json} and the
 * status page list for a {@link RouteState#DEGRADED} route.
 *
 * @param via its gateway ("172.31.80.1", "subnet-router"), or null when it has none
 * @param dev its interface's name, or the entry's selector when none matches; null when it has none
 * @param reason why it is down
 */
public record DownNextHop(String via, String dev, String reason) {
  /** "via 172.31.80.1 dev eth3 (interface eth3 is down; the kernel keeps it dead linkdown)". */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (via != null) {
      sb.append("via ").append(via);
    }
    if (dev != null) {
      sb.append(sb.length() > 0 ? " " : "").append("dev ").append(dev);
    }
    return sb.append(" (").append(reason).append(')').toString();
  }

  /**
   * The reason of a multipath entry's state: which of its next hops are down and why, then what
   * else is worth knowing about the others ({@code notes}); null when there is nothing to say.
   */
  static String reason(RouteSpec spec, List<DownNextHop> down, List<String> notes) {
    if (down.isEmpty() && notes.isEmpty()) {
      return null; // every single-path entry: no list made for nothing, 100,000 times a link flap
    }
    List<String> parts = new ArrayList<>(1 + notes.size());
    if (!down.isEmpty()) {
      List<String> hops = new ArrayList<>(down.size());
      for (DownNextHop hop : down) {
        hops.add(hop.describe());
      }
      parts.add(down.size() + " of " + spec.nexthops().size() + " next hops down: " + String.join("; ", hops));
    }
    parts.addAll(notes);
    return String.join("; ", parts);
  }
}
