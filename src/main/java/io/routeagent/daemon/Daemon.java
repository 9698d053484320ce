package io.routeagent.daemon;

import io.routeagent.config.ConfigException;
import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.EventSocket;
import io.routeagent.kernel.EventSource;
import io.routeagent.kernel.KernelEvent;
import io.routeagent.kernel.KernelException;
import io.routeagent.metrics.AgentMetrics;
import io.routeagent.metrics.MetricsServer;
import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.ChangeResult;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RepairResult;
import io.routeagent.status.HeldChange;
import io.routeagent.status.StatusBoard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's one event loop, on one thread. It waits in poll(2) on the kernel's notifications;
 * the config watcher and the signal handler put their word in a queue and wake it through the
 * event socket's eventfd. After each wake-up it drains the socket and the queue and acts on all of
 * it at once, so a burst becomes one reconcile, and a deleted route is repaired by the thread that
 * read the notification, with no hand-off between threads.
 *
 * <p>Two ways to act, on purpose:
 *
 * <ul>
 *   <li>A desired route deleted or changed by someone else is repaired at once from the route the
 *       last reconcile resolved, without reading the table: the notification says exactly what
 *       happened, and a dump of a large table would cost milliseconds.
 *   <li>Link and address changes, overruns, config reloads and the periodic resync take a full
 *       reconcile (dump, plan, apply). The kernel flushes the IPv4 routes of a link that goes down
 *       or loses an address without sending RTM_DELROUTE, so only a dump tells what is left. Link
 *       and address events wait a few milliseconds for the rest of their burst.
 * </ul>
 *
 * <p>Hazards that shaped it: our own changes would echo back as notifications, one per route (the
 * event socket's filter drops them in the kernel; one that came would match what we want, and
 * cause nothing); after ENOBUFS the kernel drops events until its queue is read, so the
 * loop drains the socket before it dumps; a config that fails validation never replaces the last
 * good one; a file being uploaded in chunks is valid after some chunks, so a large change waits for
 * the files to settle ({@link ConfigReload#quietFor}) and a cut last line waits as long.
 *
 * <p>The loop only dispatches: {@link Schedule} says what is due, on the settings' clock; {@link
 * ConfigReload} keeps the configuration in force and the change held; {@link Reconciler} applies
 * and repairs; {@link ReconcileReport} says what each did (log, metrics, systemd).
 */
public final class Daemon {
  private static final Logger log = LoggerFactory.getLogger("route-agent");

  /** Reads and validates the routes file. */
  public interface ConfigSource {
    /**
     * @param inForce the files of the configuration in force, empty when there is none: an empty
     *     drop-in among them is an error, one that is not is skipped (see {@link
     *     io.routeagent.config.ConfigLoader#load(java.nio.file.Path, java.util.Collection)})
     */
    DesiredConfig load(List<Path> inForce) throws ConfigException;

    /** A load with no configuration in force, as at the start. */
    default DesiredConfig load() throws ConfigException {
      return load(List.of());
    }

    /**
     * As {@link #load(List)}, or empty when the files are byte for byte those the last load read
     * (see {@link io.routeagent.config.ConfigLoader#loadIfChanged}): that load's outcome stands.
     */
    default Optional<DesiredConfig> loadIfChanged(List<Path> inForce) throws ConfigException {
      return Optional.of(load(inForce));
    }
  }

  /**
   * @param resyncInterval how often a full reconcile runs when nothing else asks for one
   * @param damping the longest link, address and rule events wait for the rest of their burst
   * @param burstQuiet how long without a notification ends such a burst
   * @param watchdogInterval how often to ping systemd's watchdog, if at all
   * @param compactionQuiet how long the loop waits after a full reconcile (the start-up's
   *     included) before it calls {@code compactHeap}; a following reconcile postpones it, so a
   *     storm of link events compacts once, after the storm, but no longer than {@link
   *     Schedule#COMPACTION_POSTPONED_AT_MOST} quiet periods after the first: a link that keeps
   *     flapping would otherwise grow the heap by every reconcile's promoted garbage until it stopped
   * @param compactHeap gives back the memory a full reconcile used: the start-up parse and
   *     reconcile of a large file grows the heap to a multiple of what stays live, and each resync
   *     of 10,000 routes leaves about 4 MB of dead dump in the old generation; the serial collector
   *     shrinks the heap only in a full collection
   * @param clock the monotonic nanoseconds every timer and deadline of the daemon is read from
   *     ({@link System#nanoTime} but in tests, which move it on instead of waiting); the event
   *     source's batches are stamped on the same clock
   */
  public record Settings(
      Duration resyncInterval,
      Duration damping,
      Duration burstQuiet,
      Optional<Duration> watchdogInterval,
      Duration compactionQuiet,
      Runnable compactHeap,
      LongSupplier clock) {
    public Settings(
        Duration resyncInterval,
        Duration damping,
        Duration burstQuiet,
        Optional<Duration> watchdogInterval,
        Duration compactionQuiet,
        Runnable compactHeap) {
      this(resyncInterval, damping, burstQuiet, watchdogInterval, compactionQuiet, compactHeap, System::nanoTime);
    }
  }

  private enum Signal {
    STOP,
    CONFIG_CHANGED,
    /** The files changed and are still being written: the watcher's cap told it, not their quiet. */
    CONFIG_STILL_WRITTEN,
    DIRECTORY_LOST
  }

  /**
   * The exit status of {@link #run} when the kernel refused every change of the first reconcile
   * with EPERM or EACCES: no privilege to change routes here (sysexits.h's EX_NOPERM).
   */
  public static final int NO_PRIVILEGE = 77;

  /**
   * The exit status of {@link #run} when the routes directory was moved or deleted at the source
   * of its bind mount (sysexits.h's EX_TEMPFAIL): the directory that now has its name can only be
   * seen by a new start, which the unit's Restart= makes, with a new bind.
   */
  public static final int DIRECTORY_LOST = 75;

  private static final Duration STUCK = Duration.ofSeconds(30);
  private static final Duration OVERRUN_LOG_INTERVAL = Duration.ofSeconds(10);
  /** {@link #busySince} while the loop waits. */
  private static final long WAITING = Long.MIN_VALUE;

  private final Reconciler reconciler;
  private final EventSource events;
  private final AgentMetrics metrics;
  private final Settings settings;
  private final Schedule schedule;
  private final ConfigReload reload;
  private final ReconcileReport report;
  private final BlockingQueue<Signal> inbox = new LinkedBlockingQueue<>();

  private volatile String unhealthy = "starting";
  /** When the loop left its wait, on the settings' clock, or {@link #WAITING}: a loop busy for long is stuck. */
  private volatile long busySince = WAITING;
  private long lastOverrunLog;
  private long overrunsUnlogged;
  private BooleanSupplier watcherCheck = () -> true;
  private volatile String directoryLost;
  /** Whether the kernel refused each change of the last full reconcile for want of privilege. */
  private boolean everyChangeDenied;

  public Daemon(
      ConfigSource configSource,
      DesiredConfig initial,
      Reconciler reconciler,
      EventSource events,
      AgentMetrics metrics,
      Optional<SystemdNotifier> notifier,
      Settings settings) {
    this.reconciler = reconciler;
    this.events = events;
    this.metrics = metrics;
    this.settings = settings;
    this.schedule = new Schedule(settings.clock(), settings.resyncInterval(), settings.damping(),
        settings.burstQuiet(), settings.compactionQuiet(), settings.watchdogInterval());
    this.report = new ReconcileReport(metrics, notifier, settings.clock());
    this.reload = new ConfigReload(configSource, initial, metrics, schedule, () -> reconciler.installed().size(),
        () -> report.tell(statusLine()), this::failClosed);
    this.lastOverrunLog = schedule.now() - OVERRUN_LOG_INTERVAL.toNanos() - 1;
  }

  /** Asks the loop to stop; safe from any thread (the SIGTERM handler). */
  public void stop() {
    inbox.add(Signal.STOP);
    events.wakeup();
  }

  /** Tells the loop the routes file may have changed, and has been quiet since; safe from any thread. */
  public void configChanged() {
    inbox.add(Signal.CONFIG_CHANGED);
    events.wakeup();
  }

  /**
   * Tells the loop the routes file changed and is still being written to (the watcher waits for
   * quiet a bounded time only); safe from any thread. A change read then is held for its whole
   * quiet, however small.
   */
  public void configStillWritten() {
    inbox.add(Signal.CONFIG_STILL_WRITTEN);
    events.wakeup();
  }

  /**
   * Tells the loop that the routes directory cannot be reached from this process any more (see
   * {@link ConfigWatcher}): it stops with {@link #DIRECTORY_LOST}. Safe from any thread.
   */
  void directoryLost(String why) {
    directoryLost = why;
    inbox.add(Signal.DIRECTORY_LOST);
    events.wakeup();
  }

  /**
   * Keeps {@code file} saying what change is held, for `route-agent status`; removes a file left
   * by an agent that did not stop cleanly.
   */
  void reportHeldChangesIn(Path file) throws IOException {
    reload.reportHeldChangesIn(file);
  }

  /** Keeps {@code board} up to date for the status page, from now on. */
  void showStatusOn(StatusBoard board) {
    reload.showStatusOn(board);
    report.showStatusOn(board);
  }

  /** Lets health reports include the config watcher. */
  void watchConfig(BooleanSupplier alive) {
    this.watcherCheck = alive;
  }

  /** The change of the routes file the loop holds, if any. */
  public Optional<HeldChange> held() {
    return Optional.ofNullable(reload.heldChange());
  }

  /** For /healthz: whether the agent is healthy, and a word on a change it holds. */
  public MetricsServer.Health health() {
    HeldChange change = reload.heldChange();
    return new MetricsServer.Health(unhealthy(), change == null ? List.of() : List.of(change.describe()));
  }

  /** The reason the agent is unhealthy, or empty: for /healthz. */
  public Optional<String> unhealthy() {
    long busy = busySince;
    long now = schedule.now();
    if (busy != WAITING && now - busy > STUCK.toNanos()) {
      return Optional.of("the event loop has been busy for " + (now - busy) / 1_000_000_000 + " s");
    }
    if (!watcherCheck.getAsBoolean()) {
      return Optional.of("the config watcher stopped");
    }
    return Optional.ofNullable(unhealthy);
  }

  /**
   * Runs until {@link #stop}; returns the exit status. With no valid config at start ({@code
   * initial} null) nothing is applied, and nothing pruned, until a valid file appears.
   */
  public int run() throws InterruptedException {
    reload.started();
    reconcile("startup", schedule.now());
    if (everyChangeDenied) {
      // Not READY with every change refused: nothing would ever be applied.
      log.error("no privilege to change routes: the kernel refused every change with EPERM; run as root or"
          + " with CAP_NET_ADMIN in this network namespace's user namespace; not starting");
      return NO_PRIVILEGE;
    }
    report.tell("READY=1\n" + statusLine());
    schedule.started();
    List<Signal> signals = new ArrayList<>();
    List<KernelEvent.RouteChanged> routes = new ArrayList<>();
    while (true) {
      if (schedule.pingDue()) {
        report.tell("WATCHDOG=1"); // from the loop itself: a stuck loop stops the pings and systemd restarts us
      }
      EventSocket.Batch batch;
      busySince = WAITING;
      try {
        batch = events.receive(inbox.isEmpty() ? schedule.untilNext() : 0);
      } catch (KernelException e) {
        log.error("reading the kernel's notifications failed: {}; exiting so that systemd restarts the agent",
            e.getMessage());
        return 1;
      }
      busySince = schedule.now();
      signals.clear();
      inbox.drainTo(signals);
      for (Signal signal : signals) {
        if (signal != Signal.CONFIG_CHANGED && signal != Signal.CONFIG_STILL_WRITTEN) {
          return stopped(signal);
        }
        reload.filesQuiet(signal == Signal.CONFIG_CHANGED);
        long wait = schedule.reloadAsked();
        if (wait > 0) {
          reload.deferred(Duration.ofNanos(wait), schedule.backedOffAfter());
        }
      }
      if (schedule.reloadDue()) {
        reload(false);
      }
      if (schedule.heldDue()) {
        reload(true);
      }
      if (batch.overrun()) {
        overrun(batch.receivedNanos());
      }
      boolean linkUp = false;
      for (KernelEvent event : batch.events()) {
        if (event instanceof KernelEvent.InterfaceChanged change) {
          schedule.interfaceChanged(change.cause(), batch.receivedNanos());
          linkUp |= change.linkUp();
        } else if (event instanceof KernelEvent.RuleChanged) {
          schedule.ruleChanged(batch.receivedNanos()); // rules are few: any change re-reads everything
        } else if (event instanceof KernelEvent.RouteChanged route) {
          routes.add(route);
        }
      }
      if (!batch.events().isEmpty()) {
        schedule.heard();
      }
      if (linkUp) {
        returnTaken(KernelEvent.InterfaceChanged.LINK_UP, batch.receivedNanos(), true);
      }
      String cause = schedule.fullReconcileDue();
      boolean quiet = false;
      if (cause != null) {
        reconcile(cause, schedule.dueSince());
        schedule.reconciled();
      } else {
        quiet = !repair(routes, batch.receivedNanos());
      }
      // The notifications are kept neither through the compaction nor until the next batch: a
      // burst is one per route (another program's 100,000 routes going with their link: 20 MB),
      // and a compaction that kept them would leave the heap sized for them. Nor their list's
      // array: a cleared list keeps it, 100,000 empty slots (400 KB) after such a burst.
      routes = new ArrayList<>();
      batch = null;
      if (quiet && schedule.compactionDue()) {
        settings.compactHeap().run();
        schedule.compacted();
      }
    }
  }

  /**
   * Reads the routes files ({@link ConfigReload#reload}), tells the schedule how long it took and
   * whether it was refused (the next waits accordingly), and asks for a full reconcile when the
   * new config is to be applied.
   */
  private void reload(boolean due) {
    long started = schedule.now();
    boolean apply = reload.reload(due);
    schedule.reloaded(started, reload.refused());
    if (apply) {
      schedule.fullNow("config-reload", schedule.now());
    }
  }

  /** The exit status for a STOP or DIRECTORY_LOST signal, said in the log. */
  private int stopped(Signal signal) {
    int left = reconciler.installed().size();
    if (signal == Signal.STOP) {
      log.info("stopping cause=signal routes-left-in-place={}", left);
      return 0;
    }
    log.warn("stopping: the routes directory {}, and this process cannot see the one that has its name"
        + " now; exiting ({}) so that the agent starts again with it; routes-left-in-place={}",
        directoryLost, DIRECTORY_LOST, left);
    return DIRECTORY_LOST;
  }

  /** The kernel dropped notifications: a full resync at once, and a line per 10 s at most. */
  private void overrun(long received) {
    metrics.overrun();
    overrunsUnlogged++;
    // A storm can overrun the socket hundreds of times: one line per 10 s says it all.
    if (schedule.now() - lastOverrunLog > OVERRUN_LOG_INTERVAL.toNanos()) {
      log.warn("netlink overrun: the kernel dropped notifications ({} time(s) since the last such line); full resync",
          overrunsUnlogged);
      lastOverrunLog = schedule.now();
      overrunsUnlogged = 0;
    }
    schedule.fullNow("overrun", received);
  }

  /**
   * Puts back the routes these notifications show deleted or changed by someone else; false when
   * they call for nothing (none, or our own changes echoing back): then the compaction may run. A repair that leaves some waiting or
   * failed asks for a full reconcile.
   */
  private boolean repair(List<KernelEvent.RouteChanged> routes, long firstSeen) {
    if (routes.isEmpty()) {
      return false;
    }
    RepairResult repair = reconciler.repair(routes);
    if (repair.isEmpty()) {
      return false;
    }
    if (!report.repaired(repair, schedule.now() - firstSeen, reconciler.installed())) {
      schedule.repairIncomplete();
    }
    return true;
  }

  /**
   * Dump, plan, apply, and say what it did. The routes a link took with it when it went down go
   * back first, as they were, when it is up again as it was ({@link Reconciler#returnTaken}): no
   * plan to wait for. The full reconcile follows all the same, and judges whatever they could not.
   *
   * @param since when the event that asked for it was read (the wait for its burst's end included
   *     in the latency logged), or now
   */
  private void reconcile(String cause, long since) {
    DesiredConfig config = reload.config();
    if (config == null) {
      unhealthy = reload.closed() != null ? reload.closed() : "no valid routes file yet: nothing is applied until one is";
      report.board().nothingInForce();
      report.tell("STATUS=no valid routes file");
      return;
    }
    long start = schedule.now();
    try {
      if (cause.equals(Schedule.RESYNC) && reconciler.settled(config)) {
        report.unchanged(start); // the states, the gauges and the health stay as the last reconcile left them
        return;
      }
      returnTaken(cause, since, false);
      ApplyResult result = reconciler.reconcile(config);
      long latency = schedule.now() - since;
      everyChangeDenied = !result.results().isEmpty() && result.results().stream().allMatch(Daemon::denied)
          && result.ruleResults().stream().noneMatch(r -> r.verdict() == ErrnoPolicy.Verdict.DONE);
      boolean failed = report.reconciled(result, cause, latency, start, reconciler.installed(), config.policy());
      unhealthy = failed ? ReconcileReport.unhealthyAfter(result) : null;
      report.tell(statusLine());
    } catch (KernelException e) {
      report.reconcileFailed(cause, e, start);
      unhealthy = "the last reconcile failed: " + e.getMessage();
    }
  }

  /**
   * Sends back the routes a link took with it, if it is up again as it was ({@link
   * Reconciler#returnTaken}): at its link-up notification, without waiting for the rest of its
   * burst (the routes the kernel announces with it); and again before each full reconcile, when
   * the burst is over. The first call keeps what it cannot send yet ({@code keepUnsent}): a
   * network manager may put the link's address back within the burst. A failure is said and left
   * to the full reconcile that follows, which plans whatever was not sent.
   */
  private void returnTaken(String cause, long since, boolean keepUnsent) {
    DesiredConfig config = reload.config();
    if (config == null) {
      return;
    }
    try {
      List<Reconciler.Returned> returned = reconciler.returnTaken(config, keepUnsent);
      if (!returned.isEmpty()) {
        report.returned(returned, cause, schedule.now() - since);
      }
    } catch (KernelException e) {
      log.warn("sending back the routes of a link that came back failed cause={}: {}; the reconcile that follows"
          + " plans them", cause, e.getMessage());
    }
  }

  private static boolean denied(ChangeResult result) {
    return result.verdict() == ErrnoPolicy.Verdict.FAILED && result.errno() != null
        && ErrnoPolicy.denied(result.errno());
  }

  /**
   * The policy is not trusted or not valid: nothing says what is allowed any more, so not even the
   * last good config stays in force. The routes stay in place; none is repaired, added or pruned
   * until the policy is fixed.
   */
  void failClosed() {
    String closed = reload.failClosed();
    reconciler.forgetInstalled();
    report.forget();
    report.board().nothingInForce();
    unhealthy = closed;
    report.tell("STATUS=" + closed);
  }

  /** Says in the log which policy, if any, limits the routes file. */
  static void logPolicy(DesiredConfig config) {
    ConfigReload.logPolicy(config);
  }

  private String statusLine() {
    return report.statusLine(reconciler.installed().size(), reload.config(), reload.heldChange());
  }
}
