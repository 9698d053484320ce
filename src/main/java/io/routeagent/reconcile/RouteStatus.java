package io.routeagent.reconcile;

import io.routeagent.config.RouteSpec;
import io.routeagent.netlink.RouteMessage;

/**
 * A desired route's state with the reason when it is not installed.
 *
 * @param spec the entry of the routes file
 * @param state its state
 * @param reason why it waits, drifted, was refused or failed; for a multipath route installed (or
 *     to be) without some of its next hops, or with some the kernel marks down, "degraded: " and
 *     which; otherwise null when installed or missing
 * @param route the route as the kernel should have it, resolved against the interfaces; null
 *     while waiting or refused
 */
public record RouteStatus(RouteSpec spec, RouteState state, String reason, RouteMessage route) {
  public RouteStatus withState(RouteState newState, String newReason) {
    return new RouteStatus(spec, newState, newReason, route);
  }
}
