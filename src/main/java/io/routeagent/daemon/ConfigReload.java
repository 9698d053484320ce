package io.routeagent.daemon;

import io.routeagent.config.ConfigException;
import io.routeagent.config.DesiredConfig;
import io.routeagent.config.Printable;
import io.routeagent.kernel.FileAccessException;
import io.routeagent.metrics.AgentMetrics;
import io.routeagent.status.HeldChange;
import io.routeagent.status.StatusBoard;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration in force, and the reload of the routes files that replaces it: a config that
 * fails validation never replaces the last good one; a policy that is not trusted or not valid
 * leaves none in force (fail closed); and a file being uploaded in chunks is valid after some
 * chunks, so a large change is held until the files have been quiet long enough ({@link
 * #quietFor}), and a cut last line waits as long. Used by the event loop's thread; {@link
 * #heldChange} is safe from any.
 */
final class ConfigReload {
  private static final Logger log = LoggerFactory.getLogger("route-agent");

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
  /** A reload deferred this long or longer is said in the log ({@link #deferred}). */
  static final Duration NOTICED_WAIT = Duration.ofSeconds(1);

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

  private final Daemon.ConfigSource source;
  private final AgentMetrics metrics;
  private final Schedule schedule;
  /** How many routes are installed: a change's size is judged against it. */
  private final IntSupplier installed;
  /** Called when the held change is taken, replaced or dropped (systemd's status shows it). */
  private final Runnable heldChanged;
  /** Called when the policy is not trusted or not valid: the loop stops acting. */
  private final Runnable failedClosed;
  /** What the status page shows (see {@link Daemon#showStatusOn}). */
  private volatile StatusBoard board = new StatusBoard(java.time.Clock.systemUTC());

  private DesiredConfig config;
  /** A valid change that waits for the files to be quiet long enough (see {@link #quietFor}); or null. */
  private DesiredConfig held;
  /** What {@link #held} is, as /healthz and `status` (other threads) show it; null when nothing is held. */
  private volatile HeldChange heldChange;
  /** Where `route-agent status` reads what is held, or null (see {@link #reportHeldChangesIn}). */
  private volatile Path heldChangeFile;
  /** The empty drop-ins the last valid load skipped, each noted once. */
  private Set<Path> skipped = Set.of();
  /** Whether the last reload was refused: the next valid one says so, changed or not. */
  private boolean lastReloadFailed;
  /**
   * Whether the watcher last told of a change once the files had been quiet for its quiet (true),
   * or while they were still written to (its wait is bounded): then a change is held for its whole
   * quiet, however small, not that less what the watcher waited.
   */
  private boolean filesQuiet = true;
  /** Why nothing is applied, when the policy is not trusted or not valid; null otherwise. */
  private String closed;

  /**
   * @param initial the configuration the start-up loaded, or null when it was refused
   */
  ConfigReload(Daemon.ConfigSource source, DesiredConfig initial, AgentMetrics metrics, Schedule schedule,
      IntSupplier installed, Runnable heldChanged, Runnable failedClosed) {
    this.source = source;
    this.config = initial;
    this.lastReloadFailed = initial == null; // the start-up's load was refused
    this.metrics = metrics;
    this.schedule = schedule;
    this.installed = installed;
    this.heldChanged = heldChanged;
    this.failedClosed = failedClosed;
  }

  /** Keeps {@code board} up to date for the status page, from now on. */
  void showStatusOn(StatusBoard board) {
    this.board = board;
  }

  /** The configuration in force, or null when there is none (refused at the start, or closed). */
  DesiredConfig config() {
    return config;
  }

  /** What change is held, or null. */
  HeldChange heldChange() {
    return heldChange;
  }

  /** Whether the last reload was refused (the files or the policy not valid), or the start-up's load. */
  boolean refused() {
    return lastReloadFailed;
  }

  /**
   * The reload asked for waits {@code wait} ({@link Schedule#reloaded}): one line says until when
   * and why, when it is long enough for someone to wonder. One such line per reload at most, so
   * writes however frequent cannot fill the log.
   *
   * @param refusedInARow how many refused reloads in a row make it wait, or 0 when it waits for
   *     the last reload's cost
   */
  void deferred(Duration wait, int refusedInARow) {
    if (wait.compareTo(NOTICED_WAIT) < 0) {
      return;
    }
    Instant at = Instant.now().plus(wait).truncatedTo(ChronoUnit.SECONDS);
    String why = refusedInARow > 0
        ? "the last " + refusedInARow + " reloads were refused, and each refused one in a row makes the next wait"
            + " longer, up to " + Schedule.RELOAD_BACKOFF_AT_MOST.toSeconds() + " s"
        : "a reload waits " + Schedule.RELOAD_COST_FACTOR + " times as long as the last one took";
    log.info("the routes files changed; they are read again at {} ({} s from now): {}", at,
        Math.round(wait.toMillis() / 100.0) / 10.0, why);
    board.event("the routes files changed; they are read again at " + at, "config-reload");
  }

  /** Why nothing is applied when the policy failed closed, or null. */
  String closed() {
    return closed;
  }

  /** Notes the empty drop-ins that the start-up's load skipped. */
  void started() {
    if (config != null) {
      noteSkipped(config);
    }
  }

  /**
   * Keeps {@code file} saying what change is held, for `route-agent status`; removes a file left
   * by an agent that did not stop cleanly.
   */
  void reportHeldChangesIn(Path file) throws IOException {
    HeldChange.write(file, null);
    heldChangeFile = file;
  }

  /** What the watcher's last word said of the files: see {@link #filesQuiet}. */
  void filesQuiet(boolean quiet) {
    filesQuiet = quiet;
  }

  /**
   * Reads the files; true when a new config is to be applied now. A change waits (is held) until
   * the files have been quiet for {@link #quietFor} its size; each signal (a new write) restarts
   * the wait, and the held change is read again when it is due: it must still be valid, and the
   * same. Files that hold the same bytes as at the last load are not parsed again.
   *
   * @param due the held change's time has come
   */
  boolean reload(boolean due) {
    DesiredConfig loaded;
    try {
      Optional<DesiredConfig> read = source.loadIfChanged(config == null ? List.of() : config.files());
      if (read.isEmpty() && !(due && held != null)) {
        return false; // the same bytes as the last load: what it did and said stands
      }
      // The same bytes as the held change's load, when it is due: it is the held change.
      loaded = read.orElse(held);
    } catch (ConfigException e) {
      metrics.configReloaded(false);
      lastReloadFailed = true;
      if (held != null) {
        log.info("the held change is dropped: the routes file is no longer valid");
        hold(null, null);
      }
      if (e.failClosed()) {
        failedClosed.run();
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
      Duration quiet = quietFor(size.routes(), installed.getAsInt());
      String why = size.routes() + " routes changed";
      if (size.cutLine() != null && quiet.compareTo(LONG_QUIET) < 0) {
        quiet = LONG_QUIET;
        // The file may be a drop-in the user named: the held change is shown by status, /healthz, the page.
        why = "the last line of " + Printable.escape(size.cutLine().toString()) + " has no end of line, so it may"
            + " be cut (end it with a new line to have an edit applied at once)";
      }
      // The watcher has waited for that much already, unless it told while the files were still written.
      Duration wait = filesQuiet ? quiet.minus(WATCHER_QUIET) : quiet;
      if (!wait.isNegative() && !wait.isZero()) {
        schedule.hold(wait);
        HeldChange change = new HeldChange(Instant.now().plus(wait).truncatedTo(ChronoUnit.SECONDS),
            size.added(), size.replaced(), size.removed(), quiet, why);
        log.info("{}holding a change until {} (added={} replaced={} removed={}, {} installed): it is applied once"
                + " the routes files have been quiet for {} s, as {}; a new write restarts the wait",
            wasInvalid ? "the routes file is valid again; " : "",
            change.until(), size.added(), size.replaced(), size.removed(), installed.getAsInt(),
            quiet.toMillis() / 1000.0, why);
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
    if (loaded == null) {
      schedule.release();
    }
    heldChanged.run();
    if (heldChangeFile != null) {
      try {
        HeldChange.write(heldChangeFile, change);
      } catch (IOException e) {
        log.warn("cannot write {} (route-agent status reads there what is held): {}", heldChangeFile,
            FileAccessException.describe(e));
      }
    }
  }

  /**
   * One line for each empty drop-in that has just started to be skipped, and not again while it
   * stays empty: a file that the user is writing is not a fault.
   */
  private void noteSkipped(DesiredConfig loaded) {
    for (Path file : loaded.skipped()) {
      if (!skipped.contains(file)) {
        log.info("skipped {}: the file is empty and declared nothing before, so it is taken as being"
            + " written; it is read again at its next change", file);
      }
    }
    skipped = Set.copyOf(loaded.skipped());
  }

  /**
   * The policy is not trusted or not valid: nothing says what is allowed any more, so not even the
   * last good config stays in force; returns why.
   */
  String failClosed() {
    config = null;
    closed = "the policy is not trusted or not valid: nothing is applied or pruned until it is fixed";
    return closed;
  }

  /** Says in the log which policy, if any, limits the routes file. */
  static void logPolicy(DesiredConfig config) {
    config.policy().file().ifPresentOrElse(
        file -> log.info("policy {} in force", file),
        () -> log.info("no policy in force: the routes file is limited by the guard rails alone"));
  }
}
