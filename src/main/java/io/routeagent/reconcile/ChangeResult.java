package io.routeagent.reconcile;

/**
 * What became of one change.
 *
 * @param change the change
 * @param verdict done, waiting, or failed
 * @param message for waiting and failed: the errno name, the route and the kernel's words
 */
public record ChangeResult(Change change, ErrnoPolicy.Verdict verdict, String message) {}
