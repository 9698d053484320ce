package io.routeagent.cli;

import io.routeagent.config.DesiredConfig;
import io.routeagent.daemon.DaemonLock;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.reconcile.Change;
import io.routeagent.reconcile.Plan;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RuleState;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "plan",
    description = {
      "Print what apply would change, and change nothing."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:in sync",
      "1:error: the file is not valid, a route is unreachable or a route or rule refused (it can never be installed as written), or the kernel cannot be read",
      "2:changes pending",
      ExitStatus.USAGE_LINE
    })
final class PlanCommand extends KernelCommand {
  @Mixin HelpOption help;
  @Mixin LockDirOption lockDir;

  @Override
  int run(DesiredConfig config, Reconciler reconciler, KernelSnapshot snapshot, PrintWriter out)
      throws Exception {
    DaemonLock.holder(lockDir.path()).ifPresent(daemon ->
        System.err.println("route-agent: warning: " + DaemonCheck.describe(daemon) + ": apply would refuse;"
            + " to change what it applies, edit " + DaemonCheck.watched(daemon)));
    Plan plan = reconciler.plan(config, snapshot);
    for (Change change : plan.changes()) {
      out.println(Output.changeLine(change));
    }
    plan.rules().changes().forEach(change -> out.println(Output.ruleChangeLine(change)));
    Output.printUnready(plan.statuses(), out);
    Output.printRefusedRules(plan.rules().statuses(), out);
    out.println(Output.planSummary(plan));
    // Something that can never be installed as written is an error, not a change pending.
    if (plan.statuses().stream().anyMatch(s -> s.state().blocked()) || plan.rules().count(RuleState.REFUSED) > 0) {
      return ExitStatus.ERROR;
    }
    return plan.inSync() ? ExitStatus.OK : ExitStatus.PENDING;
  }
}
