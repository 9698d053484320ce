package io.routeagent.reconcile;

import io.routeagent.kernel.Errno;
import io.routeagent.kernel.ErrnoPolicy;

/**
 * What became of one change.
 *
 * @param change the change
 * @param verdict done, waiting, or failed
 * @param errno the kernel's answer when it was not plain success, else null
 * @param message for waiting and failed: the errno name, the route and the kernel's words
 */
public record ChangeResult(Change change, ErrnoPolicy.Verdict verdict, Errno errno, String message) {}
