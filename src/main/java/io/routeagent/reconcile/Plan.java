package io.routeagent.reconcile;

import java.util.List;

/** The desired routes' states against one kernel snapshot, and the changes that converge them. */
public record Plan(List<RouteStatus> statuses, List<Change> changes) {
  public Plan {
    statuses = List.copyOf(statuses);
    changes = List.copyOf(changes);
  }

  public boolean inSync() {
    return changes.isEmpty();
  }

  public long count(RouteState state) {
    return statuses.stream().filter(s -> s.state() == state).count();
  }
}
