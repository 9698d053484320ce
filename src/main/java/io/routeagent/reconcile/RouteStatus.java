package io.routeagent.reconcile;

import io.routeagent.config.RouteSpec;

/**
 * A desired route's state with the reason when it is not installed.
 *
 * @param spec the entry of the routes file
 * @param state its state
 * @param reason why it waits, drifted, was refused or failed; null when installed or missing
 */
public record RouteStatus(RouteSpec spec, RouteState state, String reason) {
  public RouteStatus withState(RouteState newState, String newReason) {
    return new RouteStatus(spec, newState, newReason);
  }
}
