package io.routeagent.reconcile;

import java.util.List;

/**
 * What a repair ({@link Reconciler#repair}) did: the changes that put back the routes someone
 * else deleted or changed, and what each became; or why none could be sent.
 *
 * @param changes the changes the notifications called for, in their order; empty when they were
 *     our own changes echoing back, or about routes that are not ours to repair
 * @param results what each change became (in the order they were sent; those not sent last)
 * @param failure the kernel's error that stopped the repair, or null
 */
public record RepairResult(List<Change> changes, List<ChangeResult> results, String failure) {
  /** Nothing to repair. */
  public static final RepairResult NOTHING = new RepairResult(List.of(), List.of(), null);

  /** Whether there was nothing to repair. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** Why a repair's change was made, for the log: "deleted-externally" or "changed-externally". */
  public static String cause(Change change) {
    return change.op() == Change.Op.ADD ? "deleted-externally" : "changed-externally";
  }
}
