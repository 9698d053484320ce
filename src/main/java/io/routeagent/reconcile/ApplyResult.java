package io.routeagent.reconcile;

import io.routeagent.kernel.ErrnoPolicy;
import java.util.List;

/**
 * The outcome of one reconcile: the plan it made, what each change became, and the desired
 * routes' and rules' states after it.
 */
public record ApplyResult(
    Plan plan,
    List<ChangeResult> results,
    List<RouteStatus> statuses,
    List<RuleResult> ruleResults,
    List<RuleStatus> ruleStatuses) {
  public ApplyResult {
    results = List.copyOf(results);
    statuses = List.copyOf(statuses);
    ruleResults = List.copyOf(ruleResults);
    ruleStatuses = List.copyOf(ruleStatuses);
  }

  public long count(ErrnoPolicy.Verdict verdict) {
    return results.stream().filter(r -> r.verdict() == verdict).count()
        + ruleResults.stream().filter(r -> r.verdict() == verdict).count();
  }

  public long count(RouteState state) {
    return statuses.stream().filter(s -> s.state() == state).count();
  }

  /** Everything desired is installed, or waits for an interface; nothing failed or was refused. */
  public boolean failed() {
    return count(ErrnoPolicy.Verdict.FAILED) > 0
        || statuses.stream().anyMatch(s -> s.state().blocked())
        || count(RouteState.FAILED) > 0
        || ruleStatuses.stream().anyMatch(s -> s.state() == RuleState.FAILED || s.state() == RuleState.REFUSED);
  }
}
