package io.routeagent.cli;

import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.ChangeResult;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RouteState;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(
    name = "apply",
    description = {
      "Make the kernel's routes match the routes file once, and exit.",
      "Routes whose interface is absent or down wait; the rest are applied.",
      "Exit status 0 when converged, 3 when some routes wait, 1 on error."
    })
final class ApplyCommand extends KernelCommand {
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
    if (result.results().stream().anyMatch(r -> r.errno() != null && ErrnoPolicy.denied(r.errno()))) {
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
