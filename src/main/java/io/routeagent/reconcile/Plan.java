package io.routeagent.reconcile;

import java.util.List;
import java.util.Map;

/**
 * The desired routes' and rules' states against one kernel snapshot, the changes that converge
 * them, and the snapshot's interface names by index (for words about the routes).
 */
public record Plan(
    List<RouteStatus> statuses, List<Change> changes, RulePlan rules, Map<Integer, String> interfaceNames) {
  public Plan {
    statuses = List.copyOf(statuses);
    changes = List.copyOf(changes);
    interfaceNames = Map.copyOf(interfaceNames);
  }

  /** The interface's name, or "if#N" for an index the snapshot did not have. */
  public String interfaceName(int index) {
    String name = interfaceNames.get(index);
    return name != null ? name : "if#" + index;
  }

  public boolean inSync() {
    return changes.isEmpty() && rules.changes().isEmpty();
  }

  public long count(RouteState state) {
    return statuses.stream().filter(s -> s.state() == state).count();
  }
}
