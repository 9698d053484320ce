package io.routeagent.cli;

import picocli.CommandLine;

/** Entry point: runs the command line and exits with its status. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return commandLine(new RootCommand()).execute(args);
  }

  /** The command line as it runs: also what the man page and the completion are made from. */
  static CommandLine commandLine(RootCommand root) {
    CommandLine cli = new CommandLine(root);
    cli.setExecutionExceptionHandler(new FailureHandler(root));
    cli.setParameterExceptionHandler(new UsageErrorHandler());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }
}
