package io.routeagent.cli;

import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.reconcile.Change;
import io.routeagent.reconcile.Plan;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RouteState;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(
    name = "plan",
    description = {
      "Print what apply would change, and change nothing.",
      "Exit status 0 when in sync, 2 when changes are pending, 1 on error."
    })
final class PlanCommand extends KernelCommand {
  @Override
  int run(DesiredConfig config, Reconciler reconciler, KernelSnapshot snapshot, PrintWriter out)
      throws Exception {
    Plan plan = reconciler.plan(config, snapshot);
    for (Change change : plan.changes()) {
      out.println(Output.changeLine(change));
    }
    plan.rules().changes().forEach(change -> out.println(Output.ruleChangeLine(change)));
    Output.printUnready(plan.statuses(), out);
    Output.printRefusedRules(plan.rules().statuses(), out);
    out.println(Output.planSummary(plan));
    // Something that can never be installed as written is an error, not a change pending.
    if (plan.statuses().stream().anyMatch(s -> s.state().blocked()) || plan.rules().count(RouteState.REFUSED) > 0) {
      return ExitStatus.ERROR;
    }
    return plan.inSync() ? ExitStatus.OK : ExitStatus.PENDING;
  }
}
