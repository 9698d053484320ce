package io.routeagent.cli;

import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.ChangeResult;
import io.routeagent.reconcile.ErrnoPolicy;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RouteStatus;
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
    for (RouteStatus status : result.plan().statuses()) {
      if (status.state() == RouteState.WAITING || status.state() == RouteState.REFUSED) {
        out.println(Output.statusLine(status));
      }
    }
    out.println(Output.applySummary(result));
    if (result.failed()) {
      return ExitStatus.ERROR;
    }
    return result.count(RouteState.WAITING) > 0 || result.count(ErrnoPolicy.Verdict.WAITING) > 0
        ? ExitStatus.WAITING
        : ExitStatus.OK;
  }
}
