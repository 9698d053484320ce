package io.routeagent.reconcile;

import io.routeagent.config.RuleSpec;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.RequestOutcome;
import io.routeagent.kernel.RuleRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges the kernel's answers to a rule plan's requests: a change is as good as the worst answer
 * to its requests (a replace is deletes then an add), and a desired rule takes its changes' verdict.
 *
 * @param owned the record of owned rules after the changes, request by request: a rule added is
 *     recorded, a rule deleted (or found gone) is forgotten, a failed request changes nothing
 */
record RuleOutcomes(List<RuleResult> results, List<RuleStatus> statuses, OwnedRules owned) {

  static RuleOutcomes judge(RulePlan plan, List<RequestOutcome> outcomes) {
    List<RuleResult> results = new ArrayList<>(plan.changes().size());
    Map<RuleSpec, RuleResult> bySpec = new IdentityHashMap<>();
    Set<RuleIdentity> owned = new HashSet<>(plan.owned().rules());
    int next = 0;
    for (RuleChange change : plan.changes()) {
      ErrnoPolicy.Verdict verdict = ErrnoPolicy.Verdict.DONE;
      String message = null;
      for (RuleRequest request : change.toRequests()) {
        RequestOutcome outcome = outcomes.get(next++);
        Change.Op op = request.kind() == RuleRequest.Kind.DELETE ? Change.Op.DELETE : Change.Op.ADD;
        ErrnoPolicy.Verdict v = ErrnoPolicy.ofChange(op == Change.Op.DELETE, outcome.errno());
        if (v == ErrnoPolicy.Verdict.DONE && op == Change.Op.ADD) {
          owned.add(RuleIdentity.of(request.rule()));
        } else if (v == ErrnoPolicy.Verdict.DONE) {
          owned.remove(RuleIdentity.of(request.rule()));
        }
        if (v.compareTo(verdict) > 0) {
          verdict = v;
          message = new KernelException(outcome.errno(), op.gerund() + " rule " + RulePlanner.describe(request.rule()),
              true, outcome.kernelMessage()).getMessage();
        }
      }
      RuleResult result = new RuleResult(change, verdict, message);
      results.add(result);
      if (change.spec() != null) {
        bySpec.merge(change.spec(), result, (a, b) -> a.verdict().compareTo(b.verdict()) >= 0 ? a : b);
      }
    }
    List<RuleStatus> statuses = new ArrayList<>(plan.statuses().size());
    for (RuleStatus status : plan.statuses()) {
      RuleResult result = bySpec.get(status.spec());
      if (result == null) {
        statuses.add(status);
      } else if (result.verdict() == ErrnoPolicy.Verdict.DONE) {
        statuses.add(new RuleStatus(status.spec(), RuleState.INSTALLED, null));
      } else {
        statuses.add(new RuleStatus(status.spec(), RuleState.FAILED, result.message()));
      }
    }
    return new RuleOutcomes(results, statuses, OwnedRules.of(owned));
  }
}
