package io.routeagent.reconcile;

import io.routeagent.config.RuleSpec;

/**
 * A desired rule's state: installed, missing, drifted, or failed (rules never wait: the kernel
 * takes a rule naming an absent interface, and it applies once the interface appears).
 *
 * @param reason why it drifted or failed; null otherwise
 */
public record RuleStatus(RuleSpec spec, RouteState state, String reason) {}
