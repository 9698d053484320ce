package io.routeagent.reconcile;

import io.routeagent.config.RuleSpec;

/**
 * A desired rule's state ({@link RuleState}: installed, missing, drifted, refused or failed).
 *
 * @param reason why it drifted, was refused or failed; null otherwise
 */
public record RuleStatus(RuleSpec spec, RuleState state, String reason) {}
