package io.routeagent.cli;

import io.routeagent.config.DesiredConfig;
import io.routeagent.daemon.DaemonLock;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.ChangeResult;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RouteState;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
      ExitStatus.DAEMON_RUNNING + ":a daemon (route-agent run) manages this network namespace: nothing was changed; edit the"
          + " routes file it applies, or use --force",
      ExitStatus.USAGE_LINE
    })
final class ApplyCommand extends KernelCommand {
  @Mixin HelpOption help;
  @Mixin LockDirOption lockDir;

  @Option(names = "--force",
      description = "Apply even while a daemon manages this network namespace (for emergencies: the"
          + " daemon puts back what its own routes file says at its next reconcile).")
  boolean force;

  @Override
  int run(DesiredConfig config, Reconciler reconciler, KernelSnapshot snapshot, PrintWriter out)
      throws Exception {
    var daemon = DaemonLock.holder(lockDir.path());
    if (daemon.isPresent() && !force) {
      System.err.println("route-agent: refusing to apply: " + DaemonCheck.describe(daemon.get())
          + "; to change what it applies, edit " + DaemonCheck.watched(daemon.get())
          + " (or apply anyway with --force)");
      return ExitStatus.DAEMON_RUNNING;
    }
    if (daemon.isPresent()) {
      System.err.println("route-agent: warning: --force: applying while " + DaemonCheck.describe(daemon.get())
          + "; it will put back what that file says at its next reconcile");
    }
    // Each result is put into words while the kernel works on the next chunk (100,000 lines take
    // a tenth of a second or more), and printed only once the apply is done, as before.
    StringBuilder words = new StringBuilder();
    int[] worded = {0};
    ApplyResult result = reconciler.apply(config, snapshot, change -> {
      words.append(Output.resultLine(change)).append(System.lineSeparator());
      worded[0]++;
    });
    out.append(words);
    for (ChangeResult change : result.results().subList(worded[0], result.results().size())) {
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
