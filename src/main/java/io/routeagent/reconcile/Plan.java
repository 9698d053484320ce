package io.routeagent.reconcile;

import java.util.List;

/**
 * The desired routes' and rules' states against one kernel snapshot, and the changes that converge
 * them.
 */
public record Plan(List<RouteStatus> statuses, List<Change> changes, RulePlan rules) {
  public Plan {
    statuses = List.copyOf(statuses);
    changes = List.copyOf(changes);
  }

  /** A plan without rules. */
  public Plan(List<RouteStatus> statuses, List<Change> changes) {
    this(statuses, changes, RulePlan.EMPTY);
  }

  public boolean inSync() {
    return changes.isEmpty() && rules.changes().isEmpty();
  }

  public long count(RouteState state) {
    return statuses.stream().filter(s -> s.state() == state).count();
  }
}
