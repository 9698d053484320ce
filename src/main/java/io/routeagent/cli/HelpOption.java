package io.routeagent.cli;

import picocli.CommandLine.Option;

/** -h and --help on every subcommand (the root has picocli's standard help options). */
final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;
}
