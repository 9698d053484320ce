package io.routeagent.cli;

import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.reconcile.Plan;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RouteStatus;
import io.routeagent.status.StatusReport;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    description = {
      "List each desired route with its state: installed, missing, drifted, waiting or refused.",
      "Reading routes needs no privilege. Exit status 0 when all are installed, 2 otherwise, 1 on error."
    })
final class StatusCommand extends KernelCommand {
  @Option(names = "--json", description = "One JSON document, for machines.")
  boolean json;

  @Override
  int run(DesiredConfig config, Reconciler reconciler, KernelSnapshot snapshot, PrintWriter out)
      throws Exception {
    Plan plan = reconciler.plan(config, snapshot);
    if (json) {
      out.println(StatusReport.of(plan, config.policy()).json());
    } else {
      config.policy().file().ifPresent(p -> out.println(Output.policyLine(p)));
      for (RouteStatus status : plan.statuses()) {
        out.println(Output.statusLine(status));
      }
      plan.rules().statuses().forEach(status -> out.println(Output.ruleStatusLine(status)));
      out.println(Output.statusSummary(plan));
    }
    return plan.count(RouteState.INSTALLED) == plan.statuses().size()
            && plan.rules().count(RouteState.INSTALLED) == plan.rules().statuses().size()
        ? ExitStatus.OK
        : ExitStatus.PENDING;
  }
}
