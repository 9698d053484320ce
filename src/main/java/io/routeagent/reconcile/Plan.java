package io.routeagent.reconcile;

import java.util.List;

/**
 * The desired routes' and rules' states against one kernel snapshot, the changes that converge
 * them, and the snapshot's interfaces (for words about the routes, and for repairs until the next
 * snapshot).
 */
public record Plan(List<RouteStatus> statuses, List<Change> changes, RulePlan rules, InterfaceView interfaces) {
  public Plan {
    statuses = List.copyOf(statuses);
    changes = List.copyOf(changes);
  }

  /** The interface's name, or "if#N" for an index the snapshot did not have. */
  public String interfaceName(int index) {
    return interfaces.name(index);
  }

  public boolean inSync() {
    return changes.isEmpty() && rules.changes().isEmpty();
  }

  public long count(RouteState state) {
    return statuses.stream().filter(s -> s.state() == state).count();
  }
}
