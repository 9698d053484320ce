package io.routeagent.reconcile;

import java.util.List;

/**
 * The outcome of one reconcile: the plan it made, what each change became, and the desired
 * routes' states after it.
 */
public record ApplyResult(Plan plan, List<ChangeResult> results, List<RouteStatus> statuses) {
  public ApplyResult {
    results = List.copyOf(results);
    statuses = List.copyOf(statuses);
  }

  public long count(ErrnoPolicy.Verdict verdict) {
    return results.stream().filter(r -> r.verdict() == verdict).count();
  }

  public long count(RouteState state) {
    return statuses.stream().filter(s -> s.state() == state).count();
  }

  /** Everything desired is installed, or waits for an interface; nothing failed or was refused. */
  public boolean failed() {
    return count(ErrnoPolicy.Verdict.FAILED) > 0
        || count(RouteState.REFUSED) > 0
        || count(RouteState.FAILED) > 0;
  }
}
