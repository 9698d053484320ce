package io.routeagent.reconcile;

import java.util.List;

/** The desired rules' states against one snapshot, and the changes that converge them. */
public record RulePlan(List<RuleStatus> statuses, List<RuleChange> changes) {
  public static final RulePlan EMPTY = new RulePlan(List.of(), List.of());

  public RulePlan {
    statuses = List.copyOf(statuses);
    changes = List.copyOf(changes);
  }

  public long count(RouteState state) {
    return statuses.stream().filter(s -> s.state() == state).count();
  }
}
