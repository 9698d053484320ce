package io.routeagent.reconcile;

import io.routeagent.config.RuleSpec;
import io.routeagent.kernel.RuleRequest;
import io.routeagent.netlink.RuleMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * One planned change to the kernel's rules. The kernel has no rule replace, so a replace is sent
 * as the deletion of the rules it supersedes followed by the add.
 *
 * @param op what to do
 * @param rule the rule to add, or the kernel's rule to delete
 * @param superseded for a replace, the kernel's rules with the key that are deleted first
 * @param spec the desired entry it serves; null for a prune
 * @param description the rule in the routes file's words
 * @param reason why: what drifted, or why it is pruned; null for a plain add
 */
public record RuleChange(
    Change.Op op, RuleMessage rule, List<RuleMessage> superseded, RuleSpec spec, String description,
    String reason) {
  public RuleChange {
    superseded = List.copyOf(superseded);
  }

  List<RuleRequest> toRequests() {
    if (op.deletes()) {
      return List.of(new RuleRequest(RuleRequest.Kind.DELETE, rule));
    }
    List<RuleRequest> requests = new ArrayList<>(superseded.size() + 1);
    superseded.forEach(old -> requests.add(new RuleRequest(RuleRequest.Kind.DELETE, old)));
    requests.add(new RuleRequest(RuleRequest.Kind.ADD, rule));
    return requests;
  }

  @Override
  public String toString() {
    return op.label() + " rule " + description + (reason == null ? "" : " (" + reason + ")");
  }
}
