package io.routeagent.cli;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.Printable;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.reconcile.Plan;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RouteStatus;
import io.routeagent.reconcile.RuleState;
import io.routeagent.daemon.DaemonLock;
import io.routeagent.status.HeldChange;
import io.routeagent.status.MetricsNote;
import io.routeagent.status.StatusReport;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    description = {
      "List each desired route and rule with its state and why: installed, degraded (a multipath route"
          + " with some next hops down: which, and why), missing, drifted, waiting, unreachable or refused.",
      "When a daemon manages this network namespace and holds a change of the routes file (a large"
          + " upload waits for the files to settle), the first line says until when; when its"
          + " --metrics-address could not be bound (another process holds the port), a line 'metrics:' says so.",
      "Reading routes needs no privilege."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:every route and rule is installed",
      "1:error: the file is not valid, or the kernel cannot be read",
      "2:not everything is installed (degraded, missing, drifted, waiting...)",
      ExitStatus.USAGE_LINE
    })
final class StatusCommand extends KernelCommand {
  @Mixin HelpOption help;
  @Mixin LockDirOption lockDir;

  @Option(names = "--json", description = "One JSON document, for machines.")
  boolean json;

  @Override
  int run(DesiredConfig config, Reconciler reconciler, KernelSnapshot snapshot, PrintWriter out)
      throws Exception {
    Plan plan = reconciler.plan(config, snapshot);
    // What the file declares may not be what the daemon applies yet: it may hold the change.
    Optional<DaemonLock.Holder> daemon = DaemonLock.holder(lockDir.path());
    Optional<HeldChange> held = daemon.flatMap(d -> HeldChange.read(HeldChange.besideLock(d.lockFile())));
    // Its HTTP server may not be serving: its address was taken when it started (it keeps trying).
    Optional<String> metrics = daemon.flatMap(d -> MetricsNote.read(MetricsNote.besideLock(d.lockFile())));
    if (json) {
      out.println(StatusReport.of(plan, config.policy()).withHeld(held).json());
    } else {
      held.ifPresent(change -> out.println("held: " + Printable.escape(change.describe())));
      metrics.ifPresent(line -> out.println("metrics: " + Printable.escape(line)));
      config.policy().file().ifPresent(p -> out.println(Output.policyLine(p)));
      for (RouteStatus status : plan.statuses()) {
        out.println(Output.statusLine(status));
      }
      plan.rules().statuses().forEach(status -> out.println(Output.ruleStatusLine(status)));
      out.println(Output.statusSummary(plan));
    }
    return plan.count(RouteState.INSTALLED) == plan.statuses().size()
            && plan.rules().count(RuleState.INSTALLED) == plan.rules().statuses().size()
        ? ExitStatus.OK
        : ExitStatus.PENDING;
  }
}
