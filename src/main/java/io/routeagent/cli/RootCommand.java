package io.routeagent.cli;

import io.routeagent.config.ConfigException;
import io.routeagent.config.ConfigLoader;
import io.routeagent.config.DesiredConfig;
import io.routeagent.config.PolicyFile;
import io.routeagent.config.Printable;
import io.routeagent.config.TableNames;
import io.routeagent.kernel.RouteKernel;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(
    name = "route-agent",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      RunCommand.class, CheckCommand.class, PlanCommand.class, ApplyCommand.class, StatusCommand.class,
      ImportCommand.class, HelpCommand.class
    },
    description = {
      "Keeps a declared set of Linux routes in place through rtnetlink.",
      "",
      "The routes file lists the routes that must exist; route-agent adds what is missing, replaces"
          + " a route whose gateway or interface drifted, and deletes the routes it installed that"
          + " the file no longer lists. It marks its routes with its own protocol number and never"
          + " deletes anyone else's."
    },
    exitCodeListHeading = "%nExit status (each command's help lists its own):%n",
    exitCodeList = {
      "0:success: valid, in sync, converged, all installed",
      "1:error: the file is invalid, the kernel refused, or plan: a route can never be installed as written",
      "2:plan: changes pending; status: not everything installed",
      "3:apply: some routes wait for their interface",
      ExitStatus.DAEMON_RUNNING + ":apply: a daemon manages this network namespace; nothing was changed",
      ExitStatus.USAGE_LINE,
      ExitStatus.DIRECTORY_LOST + ":run: the unit's bound routes directory was moved or deleted; restarted with the new one",
      ExitStatus.NO_PRIVILEGE + ":run: without the privilege to change routes (CAP_NET_ADMIN)"
    },
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  ROUTE_AGENT_CONFIG  the routes file when --config is not given",
      "  ROUTE_AGENT_POLICY  the administrator's policy when --policy is not given",
      "  STATE_DIRECTORY     the state directory when --state-dir is not given (systemd sets it)",
      "",
      "Files:",
      "  " + RootCommand.DEFAULT_CONFIG,
      "      the default routes file; every routes.d/*.yaml beside it is merged in",
      "  /etc/route-agent/policy.yaml",
      "      the administrator's policy, when it exists: what the routes file may declare",
      "  " + RootCommand.DEFAULT_STATE_DIRECTORY + "/net-*.owned-rules",
      "      the rules the agent installed, kept only on kernels before 4.17 (no FRA_PROTOCOL)",
    })
public final class RootCommand {
  static final String DEFAULT_CONFIG = "/home/ec2-user/SageMaker/route-agent/routes.yaml";
  /** Our rtnetlink protocol number: unassigned in the kernel's list and iproute2's rt_protos. */
  static final int DEFAULT_PROTOCOL = 157;
  static final String DEFAULT_STATE_DIRECTORY = "/var/lib/route-agent";

  @Option(
      names = "--config",
      paramLabel = "PATH",
      scope = ScopeType.INHERIT,
      description = "The routes file (default: $ROUTE_AGENT_CONFIG, else " + DEFAULT_CONFIG + ").",
      converter = PathConverter.class)
  Path config;

  @Option(
      names = "--policy",
      paramLabel = "PATH",
      scope = ScopeType.INHERIT,
      description = "The administrator's policy, which limits what the routes file may declare; it"
          + " must be a regular file owned by root and writable by root alone (default:"
          + " $ROUTE_AGENT_POLICY, else /etc/route-agent/policy.yaml when it exists).",
      converter = PathConverter.class)
  Path policy;

  @Option(
      names = "--protocol",
      paramLabel = "N",
      scope = ScopeType.INHERIT,
      description = "The rtnetlink protocol number that marks our routes, one no other program uses"
          + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_PROTOCOL,
      converter = ProtocolConverter.class)
  int protocol;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "Where the agent keeps the routes of other owners it displaced (to put them back)"
          + " and, on kernels before 4.17, the record of its rules (default: $STATE_DIRECTORY, else "
          + DEFAULT_STATE_DIRECTORY + ").",
      converter = PathConverter.class)
  Path stateDir;

  /** The kernel as the commands see it: the socket itself but in tests ({@link Main#run(UnaryOperator, String...)}). */
  UnaryOperator<RouteKernel> kernelView = UnaryOperator.identity();

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Show stack traces of internal errors.")
  boolean debug;

  /** Set by {@code check --all}: load and print every problem, not the first few. */
  boolean allProblems;

  Path configPath() {
    if (config != null) {
      return config;
    }
    String fromEnv = System.getenv("ROUTE_AGENT_CONFIG");
    return Path.of(fromEnv != null && !fromEnv.isEmpty() ? fromEnv : DEFAULT_CONFIG);
  }

  /** The policy: given on purpose (then it must exist), or the default one if it exists. */
  PolicyFile policyFile(TableNames tables) {
    if (policy != null) {
      return new PolicyFile(policy, true, tables);
    }
    String fromEnv = System.getenv("ROUTE_AGENT_POLICY");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return new PolicyFile(Path.of(fromEnv), true, tables);
    }
    return new PolicyFile(PolicyFile.DEFAULT, false, tables);
  }

  Path stateDirectory() {
    if (stateDir != null) {
      return stateDir;
    }
    String fromEnv = System.getenv("STATE_DIRECTORY");
    // systemd may list several, separated by colons; ours is the first.
    return Path.of(fromEnv != null && !fromEnv.isEmpty() ? fromEnv.split(":")[0] : DEFAULT_STATE_DIRECTORY);
  }

  /**
   * The routes file and its drop-ins. With no configuration in force to compare with, an empty
   * drop-in is skipped with a notice on stderr: nothing was there.
   */
  DesiredConfig loadConfig() throws ConfigException {
    TableNames tables = TableNames.system();
    ConfigLoader loader = new ConfigLoader(tables, policyFile(tables));
    DesiredConfig config = (allProblems ? loader.everyProblem() : loader).load(configPath());
    for (Path skipped : config.skipped()) {
      System.err.println("route-agent: notice: skipped " + Printable.escape(skipped.toString())
          + ": the file is empty, it declares nothing");
    }
    return config;
  }
}
