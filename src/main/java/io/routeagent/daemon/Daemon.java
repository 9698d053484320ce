package io.routeagent.daemon;

import io.routeagent.config.ConfigException;
import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.EventSocket;
import io.routeagent.kernel.EventSource;
import io.routeagent.kernel.KernelEvent;
import io.routeagent.kernel.KernelException;
import io.routeagent.metrics.AgentMetrics;
import io.routeagent.metrics.AgentMetrics.RouteGauge;
import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.Change;
import io.routeagent.reconcile.ChangeResult;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.reconcile.InstalledRoutes;
import io.routeagent.reconcile.Planner;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RouteStatus;
import io.routeagent.reconcile.RouteText;
import io.routeagent.status.HeldChange;
import io.routeagent.status.StatusBoard;
import io.routeagent.status.StatusReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
 * <p>Hazards that shaped it: our own changes echo back as notifications (they match what we want,
 * so they cause nothing); after ENOBUFS the kernel drops events until its queue is read, so the
 * loop drains the socket before it dumps; a config that fails validation never replaces the last
 * good one; a file being uploaded in chunks is valid after some chunks, so a large change waits for
 * the files to settle ({@link #quietFor}) and a cut last line waits as long.
 */
public final class Daemon {
  private static final Logger log = LoggerFactory.getLogger("route-agent");
  /** Per-route log lines per reconcile; past that a summary, so a flap of 10,000 routes stays readable. */
  private static final int LOGGED_CHANGES = 20;

  /** Reads and validates the routes file. */
  public interface ConfigSource {
    /**
     * @param inForce the files of the configuration in force, empty when there is none: an empty
     *     drop-in among them is an error, one that is not is skipped (see {@link
     *     io.routeagent.config.ConfigLoader#load(java.nio.file.Path, java.util.Collection)})
     */
    DesiredConfig load(List<java.nio.file.Path> inForce) throws ConfigException;

    /** A load with no configuration in force, as at the start. */
    default DesiredConfig load() throws ConfigException {
      return load(List.of());
    }
  }

  /**
   * @param resyncInterval how often a full reconcile runs when nothing else asks for one
   * @param damping how long link and address events wait for the rest of their burst
   * @param watchdogInterval how often to ping systemd's watchdog, if at all
   * @param compactionQuiet how long the loop waits after a full reconcile (the start-up's
   *     included) before it calls {@code compactHeap}; a following reconcile postpones it, so a
   *     storm of link events compacts once, after the storm, but no longer than {@link
   *     #COMPACTION_POSTPONED_AT_MOST} quiet periods after the first: a link that keeps flapping
   *     would otherwise grow the heap by every reconcile's promoted garbage until it stopped
   * @param compactHeap gives back the memory a full reconcile used: the start-up parse and
   *     reconcile of a large file grows the heap to a multiple of what stays live, and each resync
   *     of 10,000 routes leaves about 4 MB of dead dump in the old generation; the serial collector
   *     shrinks the heap only in a full collection
   * @param clock the monotonic nanoseconds that time a held config change ({@link System#nanoTime}
   *     but in tests, which move it on instead of waiting)
   */
  public record Settings(
      Duration resyncInterval,
      Duration damping,
      Optional<Duration> watchdogInterval,
      Duration compactionQuiet,
      Runnable compactHeap,
      java.util.function.LongSupplier clock) {
    public Settings(
        Duration resyncInterval,
        Duration damping,
        Optional<Duration> watchdogInterval,
        Duration compactionQuiet,
        Runnable compactHeap) {
      this(resyncInterval, damping, watchdogInterval, compactionQuiet, compactHeap, System::nanoTime);
    }
  }

  /**
   * The quiet the config watcher waits for before it tells the loop (Service's), and all that a
   * small change waits for.
   */
  static final Duration WATCHER_QUIET = Duration.ofMillis(200);
  /** The quiet a change of {@link #MANY_ROUTES} routes or more waits for. */
  static final Duration LONG_QUIET = Duration.ofSeconds(30);
  /** Up to this many routes changed, a change waits for no more than the watcher's quiet. */
  static final int FEW_ROUTES = 100;
  static final int MANY_ROUTES = 1_000;

  /**
   * How long the files must have been quiet before a change of {@code changed} routes (added,
   * replaced or removed) is applied, with {@code installed} routes in place: 200 ms up to 100
   * routes; 30 s from 1,000, or for more than half of those installed; scaled in between. A file
   * uploaded in chunks looks like a large change at each chunk, and waits for the last.
   */
  static Duration quietFor(int changed, int installed) {
    if (changed <= FEW_ROUTES) {
      return WATCHER_QUIET;
    }
    if (changed >= MANY_ROUTES || changed > installed / 2) {
      return LONG_QUIET;
    }
    long span = LONG_QUIET.toMillis() - WATCHER_QUIET.toMillis();
    return Duration.ofMillis(
        WATCHER_QUIET.toMillis() + span * (changed - FEW_ROUTES) / (MANY_ROUTES - FEW_ROUTES));
  }

  /** How many quiet periods a storm may postpone the compaction the first reconcile asked for. */
  private static final int COMPACTION_POSTPONED_AT_MOST = 10;

  private enum Signal {
    STOP,
    CONFIG_CHANGED,
    DIRECTORY_LOST
  }

  private final ConfigSource configSource;
  private final Reconciler reconciler;
  private final Planner planner;
  private final EventSource events;
  private final AgentMetrics metrics;
  private final Optional<SystemdNotifier> notifier;
  private final Settings settings;
  private final BlockingQueue<Signal> inbox = new LinkedBlockingQueue<>();

  private DesiredConfig config;
  /** What the last full reconcile left installed: what a repair puts back, and its interfaces' names. */
  private InstalledRoutes installed = InstalledRoutes.NONE;
  /** The entries the last reconcile left waiting or refused, with that state: the rest need no memory. */
  private final Map<io.routeagent.config.RouteSpec, RouteState> lastUnresolved = new IdentityHashMap<>();
  /** The rules the last reconcile refused, so that each is logged once when it starts to be. */
  private Set<io.routeagent.config.RuleSpec> lastRefusedRules = Set.of();
  private volatile String unhealthy = "starting";
  /** A valid change that waits for the files to be quiet long enough (see {@link #quietFor}); or null. */
  private DesiredConfig held;
  /** When {@link #held} is due, on the settings' clock. */
  private long heldUntil;
  /** What {@link #held} is, as /healthz and `status` (other threads) show it; null when nothing is held. */
  private volatile HeldChange heldChange;
  /** Where `route-agent status` reads what is held, or null (see {@link #reportHeldChangesIn}). */
  private volatile java.nio.file.Path heldChangeFile;
  /** What the status page shows (see {@link #showStatusOn}). */
  private volatile StatusBoard board = new StatusBoard(java.time.Clock.systemUTC());
  /** The empty drop-ins the last valid load skipped, each noted once. */
  private Set<java.nio.file.Path> skipped = Set.of();
  /** Whether the last reload was refused: the next valid one says so, changed or not. */
  private boolean lastReloadFailed;
  /** Why nothing is applied, when the policy is not trusted or not valid; null otherwise. */
  private String closed;
  /** When the loop left its wait, or 0 while it waits: a loop busy for long is stuck. */
  private volatile long busySince;
  private static final Duration STUCK = Duration.ofSeconds(30);
  private static final Duration OVERRUN_LOG_INTERVAL = Duration.ofSeconds(10);
  private long lastOverrunLog = System.nanoTime() - OVERRUN_LOG_INTERVAL.toNanos() - 1;
  private long overrunsUnlogged;
  private java.util.function.BooleanSupplier watcherCheck = () -> true;
  /** Whether the kernel refused each change of the last full reconcile for want of privilege. */
  private boolean everyChangeDenied;

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
  private volatile String directoryLost;

  public Daemon(
      ConfigSource configSource,
      DesiredConfig initial,
      Reconciler reconciler,
      Planner planner,
      EventSource events,
      AgentMetrics metrics,
      Optional<SystemdNotifier> notifier,
      Settings settings) {
    this.configSource = configSource;
    this.config = initial;
    this.lastReloadFailed = initial == null; // the start-up's load was refused
    this.reconciler = reconciler;
    this.planner = planner;
    this.events = events;
    this.metrics = metrics;
    this.notifier = notifier;
    this.settings = settings;
  }

  /** Asks the loop to stop; safe from any thread (the SIGTERM handler). */
  public void stop() {
    inbox.add(Signal.STOP);
    events.wakeup();
  }

  /** Tells the loop the routes file may have changed; safe from any thread. */
  public void configChanged() {
    inbox.add(Signal.CONFIG_CHANGED);
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
  void reportHeldChangesIn(java.nio.file.Path file) throws java.io.IOException {
    HeldChange.write(file, null);
    heldChangeFile = file;
  }

  /** Keeps {@code board} up to date for the status page, from now on. */
  void showStatusOn(StatusBoard board) {
    this.board = board;
  }

  /** Lets health reports include the config watcher. */
  void watchConfig(java.util.function.BooleanSupplier alive) {
    this.watcherCheck = alive;
  }

  /** The change of the routes file the loop holds, if any. */
  public Optional<HeldChange> held() {
    return Optional.ofNullable(heldChange);
  }

  /** For /healthz: whether the agent is healthy, and a word on a change it holds. */
  public io.routeagent.metrics.MetricsServer.Health health() {
    HeldChange change = heldChange;
    return new io.routeagent.metrics.MetricsServer.Health(unhealthy(),
        change == null ? List.of() : List.of(change.describe()));
  }

  /** The reason the agent is unhealthy, or empty: for /healthz. */
  public Optional<String> unhealthy() {
    long busy = busySince;
    if (busy != 0 && System.nanoTime() - busy > STUCK.toNanos()) {
      return Optional.of("the event loop has been busy for " + (System.nanoTime() - busy) / 1_000_000_000 + " s");
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
    if (config != null) {
      noteSkipped(config);
    }
    fullReconcile("startup", System.nanoTime());
    if (everyChangeDenied) {
      // Not READY with every change refused: nothing would ever be applied.
      log.error("no privilege to change routes: the kernel refused every change with EPERM; run as root or"
          + " with CAP_NET_ADMIN in this network namespace's user namespace; not starting");
      return NO_PRIVILEGE;
    }
    notifyState("READY=1\n" + statusLine());
    long now = System.nanoTime();
    long nextResync = now + settings.resyncInterval().toNanos();
    long nextPing = now;
    long fullDue = Long.MAX_VALUE;
    long quiet = settings.compactionQuiet().toNanos();
    long compactDue = now + quiet;
    long compactBy = now + quiet * COMPACTION_POSTPONED_AT_MOST;
    long fullSince = 0; // when what made it due was seen
    String fullCause = null;
    List<Signal> signals = new ArrayList<>();
    while (true) {
      now = System.nanoTime();
      if (settings.watchdogInterval().isPresent() && now - nextPing >= 0) {
        // From the loop itself: a stuck loop stops the pings and systemd restarts us.
        notifyState("WATCHDOG=1");
        nextPing = now + settings.watchdogInterval().get().toNanos();
      }
      long deadline = Math.min(Math.min(nextResync, fullDue), compactDue);
      if (held != null) {
        deadline = Math.min(deadline, now + Math.max(0, heldUntil - settings.clock().getAsLong()));
      }
      if (settings.watchdogInterval().isPresent()) {
        deadline = Math.min(deadline, nextPing);
      }
      EventSocket.Batch batch;
      busySince = 0;
      try {
        batch = events.receive(inbox.isEmpty() ? Math.max(0, deadline - now) : 0);
      } catch (KernelException e) {
        log.error("reading the kernel's notifications failed: {}; exiting so that systemd restarts the agent",
            e.getMessage());
        return 1;
      }
      busySince = System.nanoTime();
      signals.clear();
      inbox.drainTo(signals);
      for (Signal signal : signals) {
        if (signal == Signal.STOP) {
          log.info("stopping cause=signal routes-left-in-place={}", installed.size());
          return 0;
        }
        if (signal == Signal.DIRECTORY_LOST) {
          log.warn("stopping: the routes directory {}, and this process cannot see the one that has its name"
              + " now; exiting ({}) so that the agent starts again with it; routes-left-in-place={}",
              directoryLost, DIRECTORY_LOST, installed.size());
          return DIRECTORY_LOST;
        }
        if (reloadConfig(false)) {
          fullDue = System.nanoTime();
          fullSince = fullDue;
          fullCause = "config-reload";
        }
      }
      if (held != null && settings.clock().getAsLong() - heldUntil >= 0 && reloadConfig(true)) {
        fullDue = System.nanoTime();
        fullSince = fullDue;
        fullCause = "config-reload";
      }
      if (batch.overrun()) {
        metrics.overrun();
        overrunsUnlogged++;
        // A storm can overrun the socket hundreds of times: one line per 10 s says it all.
        if (System.nanoTime() - lastOverrunLog > OVERRUN_LOG_INTERVAL.toNanos()) {
          log.warn("netlink overrun: the kernel dropped notifications ({} time(s) since the last such line); full resync",
              overrunsUnlogged);
          lastOverrunLog = System.nanoTime();
          overrunsUnlogged = 0;
        }
        fullDue = System.nanoTime();
        fullSince = batch.receivedNanos();
        fullCause = "overrun";
      }
      List<Change> repairs = new ArrayList<>();
      for (KernelEvent event : batch.events()) {
        if (event instanceof KernelEvent.InterfaceChanged change) {
          if (fullDue == Long.MAX_VALUE) {
            fullDue = batch.receivedNanos() + settings.damping().toNanos();
            fullSince = batch.receivedNanos();
          }
          fullCause = change.cause(); // the latest: a flap that ends up is a link-up
        } else if (event instanceof KernelEvent.RuleChanged) {
          // Rules are few: a rule change (ours echoing back included) re-reads everything.
          if (fullDue == Long.MAX_VALUE) {
            fullDue = batch.receivedNanos() + settings.damping().toNanos();
            fullSince = batch.receivedNanos();
            fullCause = "rule-changed";
          }
        } else if (event instanceof KernelEvent.RouteChanged route) {
          Change repair = installed.repair(route.route(), route.deleted());
          if (repair != null) {
            repairs.add(repair);
          }
        }
      }
      now = System.nanoTime();
      if (now - fullDue >= 0 || now - nextResync >= 0) {
        boolean due = now - fullDue >= 0;
        fullReconcile(due ? fullCause : "resync", due ? fullSince : now);
        fullDue = Long.MAX_VALUE;
        long done = System.nanoTime();
        nextResync = done + settings.resyncInterval().toNanos();
        if (compactDue == Long.MAX_VALUE) {
          compactBy = done + quiet * COMPACTION_POSTPONED_AT_MOST;
        }
        compactDue = Math.min(done + quiet, compactBy);
      } else if (!repairs.isEmpty()) {
        if (!repair(repairs, batch.receivedNanos())) {
          // Something waits or failed: a full reconcile sorts out what the table now holds.
          fullSince = System.nanoTime();
          fullDue = fullSince + settings.damping().toNanos();
          fullCause = "repair-incomplete";
        }
      } else if (now - compactDue >= 0) {
        settings.compactHeap().run();
        compactDue = Long.MAX_VALUE;
      }
    }
  }

  private static String repairCause(Change repair) {
    return repair.op() == Change.Op.ADD ? "deleted-externally" : "changed-externally";
  }

  /** Puts the routes back; false when some could not be (they wait or failed). */
  private boolean repair(List<Change> changes, long firstSeen) {
    try {
      List<ChangeResult> results = reconciler.execute(changes);
      long latency = System.nanoTime() - firstSeen;
      int done = 0;
      for (int i = 0; i < results.size(); i++) {
        ChangeResult result = results.get(i);
        if (result.verdict() == ErrnoPolicy.Verdict.DONE) {
          done++;
          metrics.changed(result.change().op().label());
        }
        logResult(result, repairCause(result.change()), i);
      }
      if (done > 0) {
        metrics.driftRepaired(done, Duration.ofNanos(latency));
        board.repaired(done);
        board.event(done + (done == 1 ? " route put back" : " routes put back"), repairCause(changes.get(0)));
      }
      if (results.size() > LOGGED_CHANGES) {
        log.info("repaired routes={} of {} cause={} latency_us={}", done, results.size(), repairCause(changes.get(0)), latency / 1000);
      } else {
        log.debug("repair latency_us={}", latency / 1000);
      }
      return done == results.size();
    } catch (KernelException e) {
      log.error("repair failed: {}", e.getMessage());
      return false;
    }
  }

  /**
   * Reads the files; true when a new config is to be applied now. A change waits (is held) until
   * the files have been quiet for {@link #quietFor} its size; each signal (a new write) restarts
   * the wait, and the held change is read again when it is due: it must still be valid, and the
   * same.
   *
   * @param due the held change's time has come
   */
  private boolean reloadConfig(boolean due) {
    DesiredConfig loaded;
    try {
      loaded = configSource.load(config == null ? List.of() : config.files());
    } catch (ConfigException e) {
      metrics.configReloaded(false);
      lastReloadFailed = true;
      if (held != null) {
        log.info("the held change is dropped: the routes file is no longer valid");
        hold(null, null);
      }
      if (e.failClosed()) {
        failClosed();
      }
      for (var problem : e.problems()) {
        log.error(e.failClosed()
            ? "policy not trusted or not valid, nothing is applied or pruned until it is fixed: {}"
            : "invalid config, the last good one stays in force: {}", problem);
      }
      List<String> problems = e.problems().stream().map(Object::toString).toList();
      board.refused(problems);
      board.event("the routes file was refused: " + (problems.isEmpty() ? "" : problems.get(0)), "config-reload");
      return false;
    }
    metrics.configReloaded(true);
    board.valid();
    closed = null;
    boolean wasInvalid = lastReloadFailed;
    lastReloadFailed = false;
    noteSkipped(loaded);
    if (loaded.declaresTheSameAs(config)) {
      if (held != null) {
        log.info("the held change is dropped: the routes file is back to the configuration in force");
        hold(null, null);
      }
      if (wasInvalid) {
        // The error is the last line a user reads (a notebook's log tab): say it no longer holds.
        log.info("the routes file is valid again; it declares what is already in force, nothing to change"
            + " (routes={} files={})", loaded.routes().size(), loaded.files().size());
      }
      return false;
    }
    if (!(due && loaded.declaresTheSameAs(held))) {
      ChangeSize size = ChangeSize.of(config, loaded);
      Duration quiet = quietFor(size.routes(), installed.size());
      String why = size.routes() + " routes changed";
      if (size.cutLine() != null && quiet.compareTo(LONG_QUIET) < 0) {
        quiet = LONG_QUIET;
        why = "the last line of " + size.cutLine() + " has no end of line, so it may be cut (end it with a new"
            + " line to have an edit applied at once)";
      }
      Duration wait = quiet.minus(WATCHER_QUIET); // the watcher has waited for that much already
      if (!wait.isNegative() && !wait.isZero()) {
        heldUntil = settings.clock().getAsLong() + wait.toNanos();
        HeldChange change = new HeldChange(
            java.time.Instant.now().plus(wait).truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            size.added(), size.replaced(), size.removed(), quiet, why);
        log.info("{}holding a change until {} (added={} replaced={} removed={}, {} installed): it is applied once"
                + " the routes files have been quiet for {} s, as {}; a new write restarts the wait",
            wasInvalid ? "the routes file is valid again; " : "",
            change.until(), size.added(), size.replaced(), size.removed(), installed.size(), quiet.toMillis() / 1000.0, why);
        hold(loaded, change);
        board.event("a change of the routes file is held until " + change.until(), "config-reload");
        return false;
      }
    }
    if (held != null) {
      hold(null, null);
    }
    if (config == null || !loaded.policy().equals(config.policy())) {
      logPolicy(loaded);
    }
    config = loaded;
    log.info("{}config reloaded routes={} files={}", wasInvalid ? "the routes file is valid again: " : "",
        loaded.routes().size(), loaded.files().size());
    board.event("the routes file was reloaded: " + loaded.routes().size() + " routes", "config-reload");
    return true;
  }

  /**
   * Holds {@code loaded} as {@code change} (or nothing, for nulls) and says so where people look:
   * systemd's status, /healthz, and the file that `route-agent status` reads.
   */
  private void hold(DesiredConfig loaded, HeldChange change) {
    held = loaded;
    heldChange = change;
    notifyState(statusLine());
    if (heldChangeFile != null) {
      try {
        HeldChange.write(heldChangeFile, change);
      } catch (java.io.IOException e) {
        log.warn("cannot write {} (route-agent status reads there what is held): {}", heldChangeFile, e.toString());
      }
    }
  }

  /**
   * One line for each empty drop-in that has just started to be skipped, and not again while it
   * stays empty: a file that the user is writing is not a fault.
   */
  private void noteSkipped(DesiredConfig loaded) {
    for (java.nio.file.Path file : loaded.skipped()) {
      if (!skipped.contains(file)) {
        log.info("skipped {}: the file is empty and declared nothing before, so it is taken as being"
            + " written; it is read again at its next change", file);
      }
    }
    skipped = Set.copyOf(loaded.skipped());
  }

  /**
   * The policy is not trusted or not valid: nothing says what is allowed any more, so not even the
   * last good config stays in force. The routes stay in place; none is repaired, added or pruned
   * until the policy is fixed.
   */
  void failClosed() {
    config = null;
    installed = InstalledRoutes.NONE;
    lastUnresolved.clear();
    closed = "the policy is not trusted or not valid: nothing is applied or pruned until it is fixed";
    board.nothingInForce();
    unhealthy = closed;
    notifyState("STATUS=" + closed);
  }

  /** Says in the log which policy, if any, limits the routes file. */
  static void logPolicy(DesiredConfig config) {
    config.policy().file().ifPresentOrElse(
        file -> log.info("policy {} in force", file),
        () -> log.info("no policy in force: the routes file is limited by the guard rails alone"));
  }

  /**
   * @param since when the event that asked for it was read (damping included in the latency
   *     logged), or now
   */
  private void fullReconcile(String cause, long since) {
    if (config == null) {
      unhealthy = closed != null ? closed : "no valid routes file yet: nothing is applied until one is";
      board.nothingInForce();
      notifyState("STATUS=no valid routes file");
      return;
    }
    long start = System.nanoTime();
    try {
      ApplyResult result = reconciler.apply(config);
      long latency = System.nanoTime() - since;
      // Not the result: its plan's changes, each with its description (a megabyte after the 10,000
      // adds of a start-up), are done with.
      installed = InstalledRoutes.of(planner, result);
      List<ChangeResult> results = result.results();
      everyChangeDenied = !results.isEmpty() && results.stream().allMatch(Daemon::denied)
          && result.ruleResults().stream().noneMatch(r -> r.verdict() == ErrnoPolicy.Verdict.DONE);
      for (int i = 0; i < results.size(); i++) {
        ChangeResult change = results.get(i);
        if (change.verdict() == ErrnoPolicy.Verdict.DONE) {
          metrics.changed(change.change().op().label());
        }
        logResult(change, cause, i);
      }
      if (results.size() > LOGGED_CHANGES) {
        log.info("reconciled changes={} cause={} latency_ms={}", results.size(), cause, latency / 1_000_000);
      }
      for (var rule : result.ruleResults()) {
        if (rule.verdict() == ErrnoPolicy.Verdict.DONE) {
          log.info("{} rule=\"{}\" cause={}", rule.change().op().past(), rule.change().description(), cause);
        } else {
          log.error("failed rule=\"{}\" cause={} error=\"{}\"", rule.change().description(), cause, rule.message());
        }
      }
      logTransitions(result.statuses());
      logRefusedRules(result.ruleStatuses());
      updateGauges(result);
      showOnBoard(result, cause);
      boolean failed = result.failed();
      metrics.reconciled(!failed, Duration.ofNanos(System.nanoTime() - start));
      unhealthy = failed ? unhealthyAfter(result) : null;
      notifyState(statusLine());
    } catch (KernelException e) {
      metrics.reconciled(false, Duration.ofNanos(System.nanoTime() - start));
      unhealthy = "the last reconcile failed: " + e.getMessage();
      log.error("reconcile failed cause={}: {}", cause, e.getMessage());
      board.event("the reconcile failed: " + e.getMessage(), cause);
    }
  }

  /**
   * The states the reconcile left, and what it changed: routes it put back count as repairs of
   * drift unless the routes file asked for them (the start-up, a reload).
   */
  private void showOnBoard(ApplyResult result, String cause) {
    board.reconciled(StatusReport.of(result, config.policy()));
    long done = result.count(ErrnoPolicy.Verdict.DONE);
    long failed = result.results().size() - done;
    if (done > 0 && !cause.equals("startup") && !cause.equals("config-reload")) {
      board.reconciledChanges(done);
    }
    if (done > 0 || failed > 0) {
      board.event("a full reconcile made " + done + (done == 1 ? " change" : " changes")
          + (failed > 0 ? ", " + failed + " could not be made yet" : ""), cause);
    }
  }

  /** Names the first few routes that cannot be installed, for /healthz. */
  private static String unhealthyAfter(ApplyResult result) {
    List<String> named = result.statuses().stream()
        .filter(s -> s.state().blocked() || s.state() == RouteState.FAILED)
        .map(s -> s.spec().describe() + " (" + s.state().label() + (s.reason() == null ? "" : ": " + s.reason()) + ")")
        .toList();
    String routes = named.isEmpty() ? "" : ": " + String.join("; ", named.subList(0, Math.min(3, named.size())))
        + (named.size() > 3 ? "; and " + (named.size() - 3) + " more" : "");
    return "the last reconcile left routes or rules failed, refused or unreachable" + routes
        + " (route-agent status lists each)";
  }

  private static boolean denied(ChangeResult result) {
    return result.verdict() == ErrnoPolicy.Verdict.FAILED && result.errno() != null
        && ErrnoPolicy.denied(result.errno());
  }

  private void logResult(ChangeResult result, String cause, int index) {
    if (result.verdict() == ErrnoPolicy.Verdict.DONE && index >= LOGGED_CHANGES) {
      return; // counted in the summary line; its words would cost more than the change did
    }
    Change change = result.change();
    String fields = RouteText.fields(change.route(), installed::interfaceName);
    switch (result.verdict()) {
      case DONE -> log.info("{} {} cause={}{}", change.op().past(), fields, cause,
          change.reason() == null ? "" : " detail=\"" + change.reason() + "\"");
      case WAITING -> {
        if (change.op() == Change.Op.RESTORE) {
          log.warn("cannot restore yet {} cause={} reason=\"{}\"; kept in the record, tried again at each"
              + " reconcile", fields, cause, result.message());
        } else {
          log.info("waiting {} cause={} reason=\"{}\"", fields, cause, result.message());
        }
      }
      case FAILED -> log.error("failed {} cause={} error=\"{}\"", fields, cause, result.message());
    }
  }

  /** A warning for each rule that a guard rail has just started to refuse. */
  private void logRefusedRules(List<io.routeagent.reconcile.RuleStatus> statuses) {
    Set<io.routeagent.config.RuleSpec> now = new java.util.HashSet<>();
    for (io.routeagent.reconcile.RuleStatus status : statuses) {
      if (status.state() == RouteState.REFUSED) {
        now.add(status.spec());
        if (!lastRefusedRules.contains(status.spec())) {
          log.warn("refused rule=\"{}\" reason=\"{}\"", status.spec().describe(), status.reason());
        }
      }
    }
    lastRefusedRules = now;
  }

  /**
   * A warning for each entry that has just started to wait or been refused; past {@link
   * #LOGGED_CHANGES} of them one line sums up the rest, so that a link going down under 10,000
   * routes is not 10,000 lines.
   */
  private void logTransitions(List<RouteStatus> statuses) {
    Map<io.routeagent.config.RouteSpec, RouteState> now = new IdentityHashMap<>();
    int started = 0;
    for (RouteStatus status : statuses) {
      if (status.state() == RouteState.WAITING || status.state().blocked()) {
        now.put(status.spec(), status.state());
        if (lastUnresolved.get(status.spec()) != status.state() && started++ < LOGGED_CHANGES) {
          log.warn("{} route=\"{}\" reason=\"{}\"", status.state().label(), status.spec().describe(), status.reason());
        }
      }
    }
    if (started > LOGGED_CHANGES) {
      log.warn("and {} more routes started to wait or were refused (route-agent status lists each)",
          started - LOGGED_CHANGES);
    }
    lastUnresolved.clear();
    lastUnresolved.putAll(now);
  }

  private void updateGauges(ApplyResult result) {
    metrics.routes(RouteGauge.DESIRED, result.statuses().size());
    metrics.routes(RouteGauge.INSTALLED, result.count(RouteState.INSTALLED));
    metrics.routes(RouteGauge.WAITING, result.count(RouteState.WAITING));
    metrics.routes(RouteGauge.UNREACHABLE, result.count(RouteState.UNREACHABLE));
    metrics.routes(RouteGauge.MISSING, result.statuses().size() - result.count(RouteState.INSTALLED)
        - result.count(RouteState.WAITING) - result.count(RouteState.UNREACHABLE));
  }

  private String statusLine() {
    HeldChange change = heldChange;
    String held = change == null ? "" : "; a change of the routes file is held until " + change.until();
    return config == null
        ? "STATUS=no valid routes file" + held
        : "STATUS=" + installed.size() + "/" + config.routes().size() + " routes installed" + held;
  }

  private void notifyState(String state) {
    if (notifier.isEmpty()) {
      return;
    }
    try {
      notifier.get().notify(state);
    } catch (KernelException e) {
      log.warn("cannot notify systemd: {}", e.getMessage());
    }
  }
}
