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

  // Loops, not streams: the daemon counts after every reconcile, its start-up's in the interpreter.
  public long count(ErrnoPolicy.Verdict verdict) {
    long n = 0;
    for (ChangeResult result : results) {
      n += result.verdict() == verdict ? 1 : 0;
    }
    for (RuleResult result : ruleResults) {
      n += result.verdict() == verdict ? 1 : 0;
    }
    return n;
  }

  public long count(RouteState state) {
    long n = 0;
    for (RouteStatus status : statuses) {
      n += status.state() == state ? 1 : 0;
    }
    return n;
  }

  /** Everything desired is installed, or waits for an interface; nothing failed or was refused. */
  public boolean failed() {
    for (RouteStatus status : statuses) {
      if (status.state().blocked() || status.state() == RouteState.FAILED) {
        return true;
      }
    }
    return count(ErrnoPolicy.Verdict.FAILED) > 0
        || ruleStatuses.stream().anyMatch(s -> s.state() == RuleState.FAILED || s.state() == RuleState.REFUSED);
  }
}
