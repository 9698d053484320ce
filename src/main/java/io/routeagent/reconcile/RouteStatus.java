package io.routeagent.reconcile;

import io.routeagent.config.RouteSpec;
import io.routeagent.netlink.RouteMessage;
import java.util.List;

/**
 * A desired route's state with the reason when it is not installed.
 *
 * @param spec the entry of the routes file
 * @param state its state
 * @param reason why it waits, drifted, was refused or failed; for a multipath route, which of its
 *     next hops are down and why (degraded; missing: those it will be installed without), or a next
 *     hop the kernel holds that could not be added again; otherwise null when installed or missing
 * @param route the route as the kernel should have it, resolved against the interfaces; null
 *     while waiting or refused
 * @param down a multipath route's next hops that are down, or will be once it is installed: those
 *     the entry cannot install now and those the kernel marks dead; empty for any other route
 */
public record RouteStatus(RouteSpec spec, RouteState state, String reason, RouteMessage route, List<DownNextHop> down) {
  public RouteStatus {
    down = List.copyOf(down);
  }

  /** A route without next hops down. */
  public RouteStatus(RouteSpec spec, RouteState state, String reason, RouteMessage route) {
    this(spec, state, reason, route, List.of());
  }

  public RouteStatus withState(RouteState newState, String newReason) {
    return new RouteStatus(spec, newState, newReason, route, down);
  }

  /**
   * Once the kernel took the route: installed, or degraded with the next hops it was installed
   * without, and why.
   */
  RouteStatus installed() {
    return down.isEmpty()
        ? new RouteStatus(spec, RouteState.INSTALLED, null, route, down)
        : new RouteStatus(spec, RouteState.DEGRADED, DownNextHop.reason(spec, down, List.of()), route, down);
  }
}
