package io.routeagent.cli;

import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.reconcile.Plan;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RouteStatus;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    description = {
      "List each desired route with its state: installed, missing, drifted, waiting or refused.",
      "Reading routes needs no privilege."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:every route and rule is installed",
      "1:error: the file is not valid, or the kernel cannot be read",
      "2:not everything is installed",
      ExitStatus.USAGE_LINE
    })
final class StatusCommand extends KernelCommand {
  @Mixin HelpOption help;

  @Option(names = "--json", description = "One JSON document, for machines.")
  boolean json;

  @Override
  int run(DesiredConfig config, Reconciler reconciler, KernelSnapshot snapshot, PrintWriter out)
      throws Exception {
    Plan plan = reconciler.plan(config, snapshot);
    if (json) {
      out.println(Output.statusJson(plan, config.policy()));
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
