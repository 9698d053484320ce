package io.routeagent.cli;

import io.routeagent.config.ConfigException;
import io.routeagent.config.Printable;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.NativeLoadException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one or a few lines a user can act on, and exit status 1. A stack trace
 * only with --debug.
 */
final class FailureHandler implements IExecutionExceptionHandler {
  private final RootCommand root;

  FailureHandler(RootCommand root) {
    this.root = root;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    return report(e, root, cli.getErr());
  }

  /** The same without picocli, for {@link QuickLine}: static, so that no picocli class is loaded. */
  static int report(Exception e, RootCommand root, PrintWriter err) {
    if (e instanceof ConfigException config) {
      ProblemReport.lines(config, root.allProblems).forEach(err::println);
      err.println(config.failClosed()
          ? "route-agent: the policy is not trusted or not valid; nothing was changed"
          : "route-agent: the routes file is not valid; nothing was changed");
    } else if (e instanceof KernelException kernel) {
      err.println("route-agent: " + Printable.escape(String.valueOf(kernel.getMessage())));
      String hint = hint(kernel);
      if (hint != null) {
        err.println("  " + Printable.escape(hint));
      }
    } else if (e instanceof NativeLoadException) {
      err.println("route-agent: " + Printable.escape(String.valueOf(e.getMessage())));
    } else {
      err.println("route-agent: internal error: " + Printable.escape(e.toString())
          + (root.debug ? "" : " (run with --debug for details)"));
    }
    if (root.debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitStatus.ERROR;
  }

  static String hint(KernelException e) {
    if (ErrnoPolicy.denied(e.errno())) {
      return "changing routes needs root or CAP_NET_ADMIN";
    }
    if (ErrnoPolicy.noRtnetlink(e.errno())) {
      return "this kernel has no rtnetlink (not Linux?)";
    }
    return null;
  }
}
