package io.routeagent.cli;

import io.routeagent.config.ConfigException;
import io.routeagent.config.ConfigLoader;
import io.routeagent.config.DesiredConfig;
import io.routeagent.config.PolicyFile;
import io.routeagent.config.TableNames;
import io.routeagent.daemon.Daemon;
import io.routeagent.daemon.FileLog;
import io.routeagent.daemon.Service;
import io.routeagent.metrics.MetricsAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "run",
    description = {
      "The daemon: reconcile, then watch the kernel's notifications and the routes file, and repair"
          + " drift as it happens.",
      "A deleted or changed route is put back at once; link and address changes, a changed routes"
          + " file and a periodic resync take a full reconcile. An invalid routes file is not applied:"
          + " the last good one stays in force. Stopping the daemon leaves the routes in place."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:stopped by SIGTERM",
      "1:it cannot start (another agent manages this network namespace, its lock cannot be taken, or the kernel refused)",
      ExitStatus.USAGE_LINE,
      ExitStatus.NO_PRIVILEGE + ":without the privilege to change routes (CAP_NET_ADMIN); the unit does not restart it",
      ExitStatus.DIRECTORY_LOST + ":the routes directory, bound into the unit's sandbox, was moved or deleted at its source;"
          + " the unit's restart binds the directory that now has its name"
    })
final class RunCommand implements Callable<Integer> {
  @ParentCommand RootCommand root;
  @Spec CommandSpec spec;
  @Mixin HelpOption help;

  static final String DEFAULT_METRICS_ADDRESS = "127.0.0.1:9469";
  static final String DEFAULT_RESYNC_INTERVAL = "60s";

  @Option(names = "--metrics-address", paramLabel = "HOST:PORT", defaultValue = DEFAULT_METRICS_ADDRESS,
      description = "Where to serve /metrics and /healthz (default: ${DEFAULT-VALUE}); HOST is an IP"
          + " address ([::1] for IPv6) or localhost, never looked up; none disables. Any other than"
          + " loopback is reachable from the network: the daemon warns. An address that cannot be bound"
          + " (another process holds the port) does not stop the daemon: it runs without /metrics and"
          + " /healthz, says so, and tries again every 5 s.")
  String metricsAddress;

  @Option(names = "--resync-interval", paramLabel = "DURATION", defaultValue = DEFAULT_RESYNC_INTERVAL,
      description = "Full reconcile at least this often, as a safety net (default: ${DEFAULT-VALUE}); e.g. 30s, 5m, 1h; at least 1s.")
  String resyncInterval;

  @Mixin LockDirOption lockDir;

  @Option(names = "--log-file", paramLabel = "PATH",
      description = "A size-capped copy of the log (default: logs/route-agent.log beside the routes"
          + " file, logs/ made if missing; written only into a real directory owned by the"
          + " agent's user, never through a link); none disables.")
  String logFile;

  /** Hidden, for tests: shrink the event socket's receive buffer to provoke overruns (ENOBUFS). */
  @Option(names = "--event-receive-buffer", paramLabel = "BYTES", hidden = true,
      description = "The netlink event socket's receive buffer in bytes (default: 64 MiB).")
  Integer eventReceiveBuffer;

  @Override
  public Integer call() throws Exception {
    Path config = root.configPath();
    Optional<InetSocketAddress> metrics;
    Duration resync;
    try {
      metrics = parseAddress(metricsAddress);
      resync = parseDuration(resyncInterval);
      if (eventReceiveBuffer != null && eventReceiveBuffer <= 0) {
        throw new IllegalArgumentException(
            "--event-receive-buffer " + eventReceiveBuffer + ": expected a positive number of bytes");
      }
    } catch (IllegalArgumentException e) {
      // QuickLine checked its values before it took the line: only picocli's lines get here.
      throw Usage.error(spec, e.getMessage());
    }
    if (root.debug) {
      FileLog.debug();
    }
    Path log = logFile != null ? (logFile.equals("none") ? null : Path.of(logFile)) : defaultLogFile(config);
    if (log != null) {
      FileLog.attach(log, logFile == null);
    }
    TableNames tables = TableNames.system();
    PolicyFile policy = root.policyFile(tables);
    ConfigLoader loader = new ConfigLoader(tables, policy);
    return Service.run(new Service.Options(
        config,
        ConfigLoader.dropInDirectory(config),
        policy.path(),
        configSource(loader, config),
        root.protocol,
        metrics,
        resync,
        lockDir.path(),
        eventReceiveBuffer != null ? OptionalInt.of(eventReceiveBuffer) : OptionalInt.empty(),
        root.stateDirectory(),
        root.kernelView));
  }

  /**
   * The daemon's loads of {@code config}: each records what it read, so that a reload that finds
   * the same bytes parses nothing (the files' owner may rewrite them as often as they like).
   */
  private static Daemon.ConfigSource configSource(ConfigLoader loader, Path config) {
    ConfigLoader.LastRead last = new ConfigLoader.LastRead();
    return new Daemon.ConfigSource() {
      @Override
      public DesiredConfig load(List<Path> inForce) throws ConfigException {
        last.forget(); // this one parses whatever it reads; it still records for the next
        return loader.loadIfChanged(config, inForce, last).orElseThrow();
      }

      @Override
      public Optional<DesiredConfig> loadIfChanged(List<Path> inForce) throws ConfigException {
        return loader.loadIfChanged(config, inForce, last);
      }
    };
  }

  /**
   * logs/route-agent.log beside the routes file. Not beside the file itself: the daemon watches
   * that directory, and each line written there would wake its watcher.
   */
  private static Path defaultLogFile(Path config) {
    return config.toAbsolutePath().getParent().resolve("logs").resolve("route-agent.log");
  }

  /**
   * Whether {@code call} will take these values without a usage error: {@link QuickLine} leaves a
   * line to picocli otherwise, whose handler reports the error.
   */
  boolean valid() {
    try {
      parseAddress(metricsAddress);
      parseDuration(resyncInterval);
      return eventReceiveBuffer == null || eventReceiveBuffer > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A literal address, never a name to look up: see {@link MetricsAddress}.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  private static Optional<InetSocketAddress> parseAddress(String text) {
    return MetricsAddress.parse(text);
  }

  /**
   * "500ms", "30s", "5m", "1h", or an ISO-8601 duration ("PT30S"); at least 1 s.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  static Duration parseDuration(String text) {
    Duration duration;
    try {
      if (text.startsWith("P") || text.startsWith("p")) {
        duration = Duration.parse(text);
      } else if (text.endsWith("ms")) {
        duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      } else {
        long value = Long.parseLong(text.substring(0, text.length() - 1));
        duration = switch (text.charAt(text.length() - 1)) {
          case 's' -> Duration.ofSeconds(value);
          case 'm' -> Duration.ofMinutes(value);
          case 'h' -> Duration.ofHours(value);
          default -> throw new IllegalArgumentException();
        };
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--resync-interval " + text + ": expected a duration of at least 1s, such as 30s, 5m or 1h");
    }
    if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--resync-interval " + text + ": at least 1s");
    }
    return duration;
  }

  /**
   * picocli's usage error, apart: a line {@link QuickLine} took runs without loading picocli's
   * classes, and the verifier of {@code call} would load the exception's class if it were thrown
   * there.
   */
  private static final class Usage {
    static RuntimeException error(CommandSpec spec, String message) {
      return new ParameterException(spec.commandLine(), message);
    }
  }
}
