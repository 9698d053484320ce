package io.routeagent.cli;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.Printable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "check",
    description = {
      "Validate the routes file and its routes.d drop-ins without touching the kernel.",
      "Guard rails that need the kernel's view (connected subnets) are checked by plan and apply."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:the files are valid", "1:a file is not valid (its problems are listed)", ExitStatus.USAGE_LINE})
final class CheckCommand implements Callable<Integer> {
  @ParentCommand RootCommand root;
  @Spec CommandSpec spec;
  @Mixin HelpOption help;

  @Option(names = "--all", description = "Print every problem of an invalid file; without it, the first "
      + ProblemReport.SHOWN + " and a count of the rest by kind.")
  boolean all;

  @Override
  public Integer call() throws Exception {
    root.allProblems = all;
    DesiredConfig config = root.loadConfig();
    // Without picocli (QuickLine) there is no spec: the same writer it would have given.
    (spec != null ? spec.commandLine().getOut() : QuickLine.stdout()).printf(
        "%s: valid, %d route%s%s%s%n",
        // The drop-ins' names are the user's: shown with control characters escaped.
        Printable.escape(String.join(", ", config.files().stream().map(Object::toString).toList())),
        config.routes().size(),
        config.routes().size() == 1 ? "" : "s",
        config.rules().isEmpty() ? "" : ", " + config.rules().size() + " rule" + (config.rules().size() == 1 ? "" : "s"),
        config.policy().file().map(p -> ", within the policy " + Printable.escape(p)).orElse(""));
    return ExitStatus.OK;
  }
}
