package io.routeagent.cli;

import io.routeagent.kernel.RouteKernel;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/** Entry point: runs the command line and exits with its status. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return run(UnaryOperator.identity(), args);
  }

  /**
   * Runs the command line with the kernel seen through {@code kernelView}: a test's entry point
   * wraps the socket in an emulation (of a kernel before 4.17, say).
   */
  public static int run(UnaryOperator<RouteKernel> kernelView, String... args) {
    RootCommand root = new RootCommand();
    root.kernelView = kernelView;
    // The usual lines of check, plan, apply and status without picocli's start-up; the rest by picocli.
    Callable<Integer> quick = QuickLine.parse(root, args);
    if (quick != null) {
      return QuickLine.run(root, quick);
    }
    return commandLine(root).execute(args);
  }

  /** The command line as it runs: also what the man page and the completion are made from. */
  static CommandLine commandLine(RootCommand root) {
    return Picocli.commandLine(root);
  }

  /**
   * Apart, so that verifying {@code Main} loads none of picocli's classes (the handlers' types):
   * {@link QuickLine}'s commands run without them.
   */
  private static final class Picocli {
    static CommandLine commandLine(RootCommand root) {
      CommandLine cli = new CommandLine(root);
      cli.setExecutionExceptionHandler(new FailureHandler(root));
      cli.setParameterExceptionHandler(new UsageErrorHandler());
      cli.setCaseInsensitiveEnumValuesAllowed(true);
      return cli;
    }
  }
}
