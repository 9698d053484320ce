package io.routeagent.reconcile;

import java.util.List;

/**
 * The desired rules' states against one snapshot, and the changes that converge them.
 *
 * @param lacksProtocol the kernel does not keep FRA_PROTOCOL (before 4.17): ownership came from
 *     the record of owned rules, which must be kept up to date
 * @param owned the recorded rules that still exist, when {@code lacksProtocol}; else empty
 */
public record RulePlan(List<RuleStatus> statuses, List<RuleChange> changes, boolean lacksProtocol, OwnedRules owned) {
  public static final RulePlan EMPTY = new RulePlan(List.of(), List.of());

  public RulePlan {
    statuses = List.copyOf(statuses);
    changes = List.copyOf(changes);
  }

  /** A plan on a kernel that keeps FRA_PROTOCOL. */
  public RulePlan(List<RuleStatus> statuses, List<RuleChange> changes) {
    this(statuses, changes, false, OwnedRules.EMPTY);
  }

  public long count(RuleState state) {
    return statuses.stream().filter(s -> s.state() == state).count();
  }
}
