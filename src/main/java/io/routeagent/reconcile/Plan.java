package io.routeagent.reconcile;

import io.routeagent.netlink.RouteKey;
import java.util.List;
import java.util.Set;

/**
 * The desired routes' and rules' states against one kernel snapshot, the changes that converge
 * them, and the snapshot's interfaces (for words about the routes, and for repairs until the next
 * snapshot).
 *
 * @param displaced the record of displaced routes the plan was made with
 * @param forgotten keys of that record that no longer need putting back: another owner holds the
 *     key again, so the record of them is dropped without a change to the kernel
 */
public record Plan(List<RouteStatus> statuses, List<Change> changes, RulePlan rules, InterfaceView interfaces,
    DisplacedRoutes displaced, Set<RouteKey> forgotten) {
  public Plan {
    statuses = List.copyOf(statuses);
    changes = List.copyOf(changes);
    forgotten = Set.copyOf(forgotten);
  }

  public Plan(List<RouteStatus> statuses, List<Change> changes, RulePlan rules, InterfaceView interfaces) {
    this(statuses, changes, rules, interfaces, DisplacedRoutes.EMPTY, Set.of());
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
