package io.routeagent.cli;

import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.ChangeResult;
import io.routeagent.reconcile.ErrnoPolicy;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RouteState;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "apply",
    description = {
      "Make the kernel's routes match the routes file once, and exit.",
      "Routes whose interface is absent or down wait; the rest are applied."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:converged",
      "1:error: the file is not valid, or the kernel refused a change",
      "3:some routes wait for their interface",
      ExitStatus.USAGE_LINE
    })
final class ApplyCommand extends KernelCommand {
  @Mixin HelpOption help;

  @Override
  int run(DesiredConfig config, Reconciler reconciler, KernelSnapshot snapshot, PrintWriter out)
      throws Exception {
    ApplyResult result = reconciler.apply(config, snapshot);
    for (ChangeResult change : result.results()) {
      out.println(Output.resultLine(change));
    }
    result.ruleResults().forEach(rule -> out.println(Output.ruleResultLine(rule)));
    Output.printUnready(result.plan().statuses(), out);
    Output.printRefusedRules(result.ruleStatuses(), out);
    out.println(Output.applySummary(result));
    if (result.results().stream().anyMatch(r -> r.errno() != null && r.errno().name().equals("EPERM"))) {
      out.println("route-agent: changing routes needs root or CAP_NET_ADMIN");
    }
    if (result.failed()) {
      return ExitStatus.ERROR;
    }
    return result.count(RouteState.WAITING) > 0 || result.count(ErrnoPolicy.Verdict.WAITING) > 0
        ? ExitStatus.WAITING
        : ExitStatus.OK;
  }
}
