package io.routeagent.daemon;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.routeagent.config.ConfigException;
import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.Capabilities;
import io.routeagent.kernel.EventSocket;
import io.routeagent.kernel.FileAccessException;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.RouteKernel;
import io.routeagent.metrics.AgentMetrics;
import io.routeagent.metrics.MetricsServer;
import io.routeagent.reconcile.Planner;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.status.HeldChange;
import io.routeagent.status.MetricsNote;
import io.routeagent.status.StatusBoard;
import io.routeagent.status.StatusPage;
import io.routeagent.status.StatusReport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the daemon: lock, sockets, metrics, config watcher, signals; then runs its loop. */
public final class Service {
  private static final Logger log = LoggerFactory.getLogger("route-agent");

  /**
   * The exit status of {@code run} without the privilege to change routes (sysexits.h's
   * EX_NOPERM): nothing would ever be applied, so the unit does not restart it
   * (RestartPreventExitStatus=77) and it does not report READY. Told before anything starts when
   * the process lacks CAP_NET_ADMIN, else by the first reconcile ({@link Daemon#NO_PRIVILEGE}).
   */
  public static final int NO_PRIVILEGE = Daemon.NO_PRIVILEGE;

  private Service() {}

  /**
   * @param configFile the routes file
   * @param dropIns its routes.d
   * @param policyFile the administrator's policy, watched like the routes file
   * @param metricsAddress where to serve /metrics and /healthz, or empty for nowhere
   * @param lockDirectory where the per-namespace lock lives
   * @param eventReceiveBuffer the event socket's receive buffer in bytes, or empty for the default
   *     (tests shrink it to provoke overruns)
   * @param stateDirectory where the records of owned rules (used on kernels before 4.17) and of
   *     displaced routes live, or null to keep them in memory only
   * @param kernelView the kernel as the reconciler sees it: {@link UnaryOperator#identity()} but in
   *     tests
   */
  public record Options(
      Path configFile,
      Path dropIns,
      Path policyFile,
      Daemon.ConfigSource configSource,
      int protocol,
      Optional<InetSocketAddress> metricsAddress,
      Duration resyncInterval,
      Path lockDirectory,
      OptionalInt eventReceiveBuffer,
      Path stateDirectory,
      UnaryOperator<RouteKernel> kernelView) {}

  /**
   * Damping of link, address and rule bursts: the longest their full reconcile waits for the rest
   * of the burst, short against a flap.
   */
  private static final Duration DAMPING = Duration.ofMillis(5);
  /**
   * A burst has ended when no notification came for this long. A veth's link-up sends its link
   * messages, the kernel's routes for its addresses and its IPv6 link-local address within 0.6-0.9
   * ms, the connected route 0.4-0.75 ms after the link's message (bench/README.md). Rounded up to
   * the loop's millisecond wait.
   */
  private static final Duration BURST_QUIET = Duration.ofMillis(1);
  /**
   * Quiet time after a full reconcile before the heap is compacted: a full collection (about 20 ms
   * with 10,000 routes) that the launcher's heap flags for `run` turn into memory given back.
   */
  private static final Duration COMPACTION_QUIET = Duration.ofSeconds(1);
  /** Quiet time before a changed routes file is read. */
  private static final long CONFIG_QUIET_MILLIS = 200;

  public static int run(Options options) throws KernelException, IOException, InterruptedException {
    if (!Capabilities.netAdmin().orElse(true)) {
      log.error("no privilege to change routes: this process lacks CAP_NET_ADMIN; run it as root or as the"
          + " unit does (AmbientCapabilities=CAP_NET_ADMIN), and in a container give the container that"
          + " capability (systemd-nspawn --capability=CAP_NET_ADMIN); not starting");
      return NO_PRIVILEGE;
    }
    LockFile lock;
    try {
      lock = LockFile.acquire(options.lockDirectory(), options.configFile());
    } catch (LockFile.AlreadyRunningException e) {
      log.error("{}", e.getMessage());
      return 1;
    } catch (FileAccessException e) {
      log.error("cannot take the lock that keeps a second agent off this network namespace: {}", e.getMessage());
      return 1;
    }
    // What the JVM sized itself by: under the unit's ProcSubset=pid it cannot read /proc/meminfo or
    // /proc/cgroups, and the launcher states both (agent/route-agent).
    log.info("starting pid={} max-heap-mib={} processors={}", ProcessHandle.current().pid(),
        Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
    StatusBoard board = new StatusBoard(java.time.Clock.systemUTC());
    DesiredConfig initial = null;
    boolean closed = false;
    try {
      initial = options.configSource().load();
      Daemon.logPolicy(initial);
    } catch (ConfigException e) {
      closed = e.failClosed();
      for (var problem : e.problems()) {
        log.error(e.failClosed()
            ? "policy not trusted or not valid, nothing is applied or pruned until it is fixed: {}"
            : "invalid config, nothing is applied until it is fixed: {}", problem);
      }
      board.refused(e.problems().stream().map(Object::toString).toList());
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    AgentMetrics metrics = new AgentMetrics(registry);
    metrics.configReloaded(initial != null);
    Planner planner = new Planner(options.protocol());
    try (lock;
        JvmGcMetrics gc = new JvmGcMetrics();
        Wiring.Opened requests = Wiring.openKernel(options.kernelView());
        // Subscribed before the first dump, so that no change after it goes unseen.
        EventSocket events = options.eventReceiveBuffer().isPresent()
            ? EventSocket.open(options.eventReceiveBuffer().getAsInt())
            : EventSocket.open()) {
      gc.bindTo(registry);
      try {
        events.ignoreChangesBy(requests.client().portId());
      } catch (KernelException e) {
        // The loop handles its own echoes (they match what it wants): slower, not wrong.
        log.warn("cannot filter the agent's own changes out of the kernel's notifications: {}", e.getMessage());
      }
      Optional<SystemdNotifier> notifier = SystemdNotifier.fromEnvironment();
      Daemon daemon = new Daemon(options.configSource(), initial,
          Wiring.reconciler(requests.kernel(), planner, options.stateDirectory(), warning -> log.warn("{}", warning),
              Reconciler.keptSendingThread()),
          events, metrics, notifier,
          new Daemon.Settings(options.resyncInterval(), DAMPING, BURST_QUIET, watchdogInterval(), COMPACTION_QUIET,
              System::gc));
      if (closed) {
        daemon.failClosed();
      }
      daemon.showStatusOn(board);
      daemon.reportHeldChangesIn(HeldChange.besideLock(LockFile.path(options.lockDirectory())));
      Path directory = options.configFile().toAbsolutePath().getParent();
      if (!java.nio.file.Files.isDirectory(directory)) {
        log.error("cannot watch {}: the routes file's directory does not exist; create it and put"
            + " routes.yaml in it", directory);
        return 1;
      }
      ConfigWatcher watcher = new ConfigWatcher(options.configFile(), options.dropIns(), options.policyFile(),
          CONFIG_QUIET_MILLIS, quiet -> {
            if (quiet) {
              daemon.configChanged();
            } else {
              daemon.configStillWritten();
            }
          }, daemon::directoryLost);
      daemon.watchConfig(watcher::alive);
      MetricsBinding<MetricsServer> metricsServer = null;
      // An earlier daemon's note goes, whatever this one's address: it may have been killed while
      // it could not bind, and this one may serve no HTTP at all.
      Path note = MetricsNote.besideLock(LockFile.path(options.lockDirectory()));
      noteMetrics(note, null);
      if (options.metricsAddress().isPresent()) {
        // An address that cannot be bound now (another process holds the port) is tried again in
        // the background: the routes are reconciled and repaired without the server meanwhile.
        metricsServer = MetricsBinding.start(options.metricsAddress().get(),
            address -> MetricsServer.start(address, registry, daemon::health, statusDocuments(daemon, board)),
            MetricsBinding.Scheduler.thread(), line -> noteMetrics(note, line), java.time.Clock.systemUTC());
      }
      watcher.start();
      int status = runUntilSignalled(daemon);
      watcher.close();
      if (metricsServer != null) {
        metricsServer.close();
      }
      notifier.ifPresent(SystemdNotifier::close);
      return status;
    }
  }

  /** Keeps the note for `route-agent status` (null: removes it); a failure to write it is only logged. */
  private static void noteMetrics(Path file, String line) {
    try {
      MetricsNote.write(file, line);
    } catch (IOException e) {
      log.warn("cannot write {} for route-agent status: {}", file, FileAccessException.describe(e));
    }
  }

  /** The status page and its data, served beside /metrics (see {@link StatusPage}). */
  private static Map<String, MetricsServer.Document> statusDocuments(Daemon daemon, StatusBoard board) {
    return Map.of(
        "/", new MetricsServer.Document("text/html; charset=utf-8", () -> {
          MetricsServer.Health health = daemon.health();
          return StatusPage.render(board.snapshot(), health.unhealthy(), health.notes());
        }),
        "/status.json", new MetricsServer.Document("application/json", () -> board.report()
            .map(report -> report.withHeld(daemon.held()).json())
            .orElse("{\"error\":\"no valid routes file in force: nothing is applied until one is\"}")));
  }

  /**
   * SIGTERM and SIGINT start the JVM's shutdown hooks; ours stops the loop, waits for it, and
   * halts with the loop's status, so that a SIGTERM ends in 0 (routes stay in place).
   */
  private static int runUntilSignalled(Daemon daemon) throws InterruptedException {
    CountDownLatch finished = new CountDownLatch(1);
    AtomicInteger status = new AtomicInteger(0);
    Thread hook = new Thread(() -> {
      daemon.stop();
      try {
        finished.await(900, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(status.get());
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      status.set(daemon.run());
      return status.get();
    } finally {
      finished.countDown();
    }
  }

  /** Half of WATCHDOG_USEC when systemd asks for pings (and WATCHDOG_PID is ours or unset). */
  private static Optional<Duration> watchdogInterval() {
    String usec = System.getenv("WATCHDOG_USEC");
    String pid = System.getenv("WATCHDOG_PID");
    if (usec == null || (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid())))) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofNanos(Long.parseLong(usec) * 1000 / 2));
    } catch (NumberFormatException e) {
      log.warn("ignoring WATCHDOG_USEC={}: not a number", usec);
      return Optional.empty();
    }
  }
}
