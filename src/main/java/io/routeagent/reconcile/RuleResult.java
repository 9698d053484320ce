package io.routeagent.reconcile;

import io.routeagent.kernel.ErrnoPolicy;
/**
 * What became of one rule change.
 *
 * @param message for a failure: the errno name, the rule and the kernel's words
 */
public record RuleResult(RuleChange change, ErrnoPolicy.Verdict verdict, String message) {}
