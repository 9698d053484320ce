package io.routeagent.reconcile;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.RouteSpec;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.kernel.RequestOutcome;
import io.routeagent.kernel.RouteKernel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Reads the kernel, plans, and applies the plan in batches, judging each answer by {@link ErrnoPolicy}. */
public final class Reconciler {
  private final RouteKernel kernel;
  private final Planner planner;

  public Reconciler(RouteKernel kernel, Planner planner) {
    this.kernel = kernel;
    this.planner = planner;
  }

  public Plan plan(DesiredConfig config) throws KernelException {
    return plan(config, kernel.snapshot());
  }

  /** Plans against a snapshot the caller took, for example while it was reading the config. */
  public Plan plan(DesiredConfig config, KernelSnapshot snapshot) {
    return planner.plan(config, snapshot);
  }

  public ApplyResult apply(DesiredConfig config) throws KernelException {
    return execute(plan(config));
  }

  /** Applies a plan made against {@code snapshot}, a recent read of this kernel. */
  public ApplyResult apply(DesiredConfig config, KernelSnapshot snapshot) throws KernelException {
    return execute(plan(config, snapshot));
  }

  ApplyResult execute(Plan plan) throws KernelException {
    List<Change> changes = plan.changes();
    List<RequestOutcome> outcomes = kernel.execute(changes.stream().map(Change::toRequest).toList());
    List<ChangeResult> results = new ArrayList<>(changes.size());
    Map<RouteSpec, ChangeResult> bySpec = new IdentityHashMap<>(changes.size());
    for (int i = 0; i < changes.size(); i++) {
      Change change = changes.get(i);
      RequestOutcome outcome = outcomes.get(i);
      ErrnoPolicy.Verdict verdict = ErrnoPolicy.classify(change.op(), outcome.errno());
      String message = verdict == ErrnoPolicy.Verdict.DONE
          ? null
          : new KernelException(
                  outcome.errno(), change.op().gerund() + " " + change.description(), true, outcome.kernelMessage())
              .getMessage();
      ChangeResult result = new ChangeResult(change, verdict, message);
      results.add(result);
      if (change.spec() != null) {
        bySpec.put(change.spec(), result);
      }
    }
    List<RouteStatus> statuses = new ArrayList<>(plan.statuses().size());
    for (RouteStatus status : plan.statuses()) {
      ChangeResult result = bySpec.get(status.spec());
      if (result == null) {
        statuses.add(status);
        continue;
      }
      statuses.add(switch (result.verdict()) {
        case DONE -> status.withState(RouteState.INSTALLED, null);
        case WAITING -> status.withState(RouteState.WAITING, result.message());
        case FAILED -> status.withState(RouteState.FAILED, result.message());
      });
    }
    return new ApplyResult(plan, results, statuses);
  }
}
