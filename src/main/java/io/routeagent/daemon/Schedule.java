package io.routeagent.daemon;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * When the event loop is to act, on an injected monotonic clock (nanoseconds: {@link
 * System#nanoTime} but in tests, which move it on instead of waiting). It holds the timers and
 * decides nothing else: the loop tells it what happened and asks it what is due.
 *
 * <ul>
 *   <li>the periodic resync, a full reconcile {@code resyncInterval} after the last one;
 *   <li>the watchdog ping;
 *   <li>a full reconcile asked for: at once (a reload, an overrun); when a burst of link, address
 *       or rule events has ended, that is when no notification came for {@code burstQuiet}, but
 *       no later than the damping after the first; or after the damping (a repair left something
 *       waiting or failed);
 *   <li>the heap compaction, {@code compactionQuiet} after a full reconcile; a following reconcile
 *       postpones it, but by no more than {@link #COMPACTION_POSTPONED_AT_MOST} quiet periods after
 *       the first reconcile it waits for: a link that keeps flapping would otherwise grow the heap
 *       by every reconcile's promoted garbage until it stopped;
 *   <li>a held change of the routes files, due when they have been quiet long enough;
 *   <li>the reload the config watcher asked for: at once, unless the last reload was too recent
 *       ({@link #reloaded}).
 * </ul>
 *
 * <p>Times are compared by their difference, as {@link System#nanoTime} values must be; {@link
 * #NEVER} stands for a timer that is off.
 */
final class Schedule {
  /** The cause of the timer's full reconcile. */
  static final String RESYNC = "resync";

  /** How many quiet periods a storm may postpone the compaction the first reconcile asked for. */
  static final int COMPACTION_POSTPONED_AT_MOST = 10;
  private static final long NEVER = Long.MAX_VALUE;

  /** The longest that refused reloads in a row make the next one wait. */
  static final Duration RELOAD_BACKOFF_AT_MOST = Duration.ofSeconds(30);
  /** The wait after the second refused reload in a row; it doubles with each one after. */
  static final Duration RELOAD_BACKOFF_FIRST = Duration.ofMillis(400);
  /** With no reload asked for this long after the last one, the refused ones are forgotten. */
  static final Duration RELOAD_FORGIVEN_AFTER = RELOAD_BACKOFF_AT_MOST.multipliedBy(2);
  /**
   * A reload waits this many times as long as the last one took: reading and parsing the routes
   * files takes at most a tenth of the loop's time, whatever their owner writes, valid or not.
   */
  static final int RELOAD_COST_FACTOR = 9;

  private final LongSupplier clock;
  private final long resyncInterval;
  private final long damping;
  private final long burstQuiet;
  private final long compactionQuiet;
  /** The watchdog's interval, or 0 for no pings. */
  private final long pingInterval;

  private long nextResync = NEVER;
  private long nextPing = NEVER;
  private long fullDue = NEVER;
  /** When what made the full reconcile due was seen: its latency is counted from there. */
  private long fullSince;
  private String fullCause;
  /** The due full reconcile waits for the end of a burst: a notification postpones it, up to {@link #burstEnd}. */
  private boolean awaitingBurstEnd;
  private long burstEnd;
  private long dueSince;
  private long compactDue = NEVER;
  private long compactBy = NEVER;
  private long heldDue = NEVER;
  /** Whether the config watcher asked for a reload that has not run yet. */
  private boolean reloadAsked;
  /** No reload begins before this; {@link #NEVER} before the first. */
  private long reloadFrom = NEVER;
  private long lastReloadEnd;
  /** Reloads refused in a row (the files not valid, or the policy): each makes the next wait longer. */
  private int refusedInARow;
  /** Whether the refusals' back-off, not the last reload's cost, set {@link #reloadFrom}. */
  private boolean backedOff;

  Schedule(LongSupplier clock, Duration resyncInterval, Duration damping, Duration burstQuiet,
      Duration compactionQuiet, Optional<Duration> watchdogInterval) {
    this.clock = clock;
    this.resyncInterval = resyncInterval.toNanos();
    this.damping = damping.toNanos();
    this.burstQuiet = burstQuiet.toNanos();
    if (this.burstQuiet <= 0 || this.burstQuiet > this.damping) {
      throw new IllegalArgumentException("the quiet that ends a burst (" + burstQuiet + ") must be positive and"
          + " no longer than the damping (" + damping + ")");
    }
    this.compactionQuiet = compactionQuiet.toNanos();
    this.pingInterval = watchdogInterval.map(Duration::toNanos).orElse(0L);
  }

  /** The clock's time now. */
  long now() {
    return clock.getAsLong();
  }

  /** The start-up's reconcile is done: the resync, the pings and the first compaction count from now. */
  void started() {
    long now = now();
    nextResync = now + resyncInterval;
    nextPing = pingInterval == 0 ? NEVER : now;
    compactDue = now + compactionQuiet;
    compactBy = now + compactionQuiet * COMPACTION_POSTPONED_AT_MOST;
  }

  /** Whether the watchdog is to be pinged now; if so, the next ping is due an interval later. */
  boolean pingDue() {
    long now = now();
    if (!due(nextPing, now)) {
      return false;
    }
    nextPing = now + pingInterval;
    return true;
  }

  /** How long the loop may wait for notifications before something is due: 0 when it is already. */
  long untilNext() {
    long deadline = Math.min(Math.min(nextResync, fullDue), Math.min(compactDue, Math.min(heldDue, nextPing)));
    if (reloadAsked) {
      deadline = Math.min(deadline, reloadFrom == NEVER ? now() : reloadFrom);
    }
    return deadline == NEVER ? -1 : Math.max(0, deadline - now());
  }

  /** A full reconcile is due now: a reload, or an overrun seen at {@code since}. */
  void fullNow(String cause, long since) {
    fullDue = now();
    fullSince = since;
    fullCause = cause;
    awaitingBurstEnd = false;
  }

  /**
   * A link or address changed ({@code cause}: link-up, link-down...), seen at {@code since}: a full
   * reconcile once the burst has ended, unless one is due already; the latest link cause names it
   * (a flap that ends up is a link-up). An address event does not rename a pending link event: a
   * link that comes up is followed by its addresses' notifications (IPv6 duplicate address
   * detection ends late), and the reconcile is the link's doing.
   */
  void interfaceChanged(String cause, long since) {
    boolean newlyDue = dampFrom(since);
    if (newlyDue || !(isLinkCause(fullCause) && !isLinkCause(cause))) {
      fullCause = cause;
    }
  }

  private static boolean isLinkCause(String cause) {
    return cause != null && cause.startsWith("link-");
  }

  /** Someone changed a rule: a full reconcile once the burst has ended. */
  void ruleChanged(long since) {
    if (dampFrom(since)) {
      fullCause = "rule-changed";
    }
  }

  /**
   * Some notification came (a route's included): a full reconcile that waits for the end of a
   * burst waits {@code burstQuiet} from now, within its damping. A link that comes up is followed
   * by the kernel's own routes for its addresses, and the reconcile wants the connected route in
   * place before it adds routes through it.
   */
  void heard() {
    long now = now();
    if (awaitingBurstEnd && !due(fullDue, now)) {
      long quietEnd = now + burstQuiet;
      fullDue = quietEnd - burstEnd < 0 ? quietEnd : burstEnd;
    }
  }

  /**
   * A full reconcile when the burst has ended, unless one is due already (a burst's later events
   * postpone it through {@link #heard}); true when it is newly due.
   */
  private boolean dampFrom(long since) {
    if (fullDue != NEVER) {
      heard();
      return false;
    }
    long now = now();
    burstEnd = now + damping;
    fullDue = now + burstQuiet;
    fullSince = since;
    awaitingBurstEnd = true;
    return true;
  }

  /**
   * A repair left something waiting or failed: a full reconcile sorts out what the table holds, the
   * one already asked for if there is one (a link that goes down deletes its IPv6 routes with
   * notifications, and their repair fails within the link's own burst).
   */
  void repairIncomplete() {
    if (fullDue != NEVER) {
      return;
    }
    fullSince = now();
    fullDue = fullSince + damping;
    fullCause = "repair-incomplete";
  }

  /**
   * The cause of the full reconcile due now (the one asked for, or "resync" for the timer's), or
   * null when none is; {@link #dueSince} then tells since when it has been waited for.
   */
  String fullReconcileDue() {
    long now = now();
    if (due(fullDue, now)) {
      dueSince = fullSince;
      return fullCause;
    }
    if (due(nextResync, now)) {
      dueSince = now;
      return RESYNC;
    }
    return null;
  }

  /** Since when the full reconcile that {@link #fullReconcileDue} returned has been waited for. */
  long dueSince() {
    return dueSince;
  }

  /**
   * A full reconcile is done: nothing more is asked for, the next resync is an interval away, and
   * the compaction waits for a quiet period from now, up to its cap.
   */
  void reconciled() {
    long done = now();
    fullDue = NEVER;
    awaitingBurstEnd = false;
    nextResync = done + resyncInterval;
    if (compactDue == NEVER) {
      compactBy = done + compactionQuiet * COMPACTION_POSTPONED_AT_MOST;
    }
    compactDue = Math.min(done + compactionQuiet, compactBy);
  }

  boolean compactionDue() {
    return due(compactDue, now());
  }

  /** The heap was compacted: not again before the next full reconcile. */
  void compacted() {
    compactDue = NEVER;
  }

  /** A change of the routes files is held for {@code quiet} from now. */
  void hold(Duration quiet) {
    heldDue = now() + quiet.toNanos();
  }

  /** No change is held any more. */
  void release() {
    heldDue = NEVER;
  }

  /** Whether the held change is due: the files have been quiet long enough. */
  boolean heldDue() {
    return due(heldDue, now());
  }

  /**
   * The config watcher asked for a reload. A file written again and again costs a parse each time
   * (100,000 routes: half a second of the loop's time, with repairs waiting behind it), so a reload
   * may not begin too soon after the last ({@link #reloaded}); asked for meanwhile, it runs when it
   * may, once for all that was asked. The first after a quiet runs at once.
   *
   * @return how long it waits from now, in nanoseconds: 0 when it is due at once, or was asked
   *     for already
   */
  long reloadAsked() {
    long now = now();
    if (reloadAsked) {
      return 0;
    }
    reloadAsked = true;
    if (reloadFrom == NEVER) {
      return 0;
    }
    if (now - lastReloadEnd >= RELOAD_FORGIVEN_AFTER.toNanos()) {
      refusedInARow = 0;
    }
    return Math.max(0, reloadFrom - now);
  }

  /** Whether the reload asked for may run now. */
  boolean reloadDue() {
    return reloadAsked && (reloadFrom == NEVER || due(reloadFrom, now()));
  }

  /**
   * A reload that began at {@code started} is done ({@code refused}: the files or the policy were
   * not valid, or the same as when they were not). The next may begin once the longer of two waits
   * has passed: {@link #RELOAD_COST_FACTOR} times what this one took, so that parsing takes a tenth
   * of the time at most; and, after the second refused in a row, {@link #RELOAD_BACKOFF_FIRST},
   * doubled with each one after, up to {@link #RELOAD_BACKOFF_AT_MOST}. The watcher's own quiet
   * already keeps two reloads that far apart, so a typo fixed at once is read at once. A valid
   * reload, or none asked for {@link #RELOAD_FORGIVEN_AFTER}, ends the refusals' run.
   */
  void reloaded(long started, boolean refused) {
    long end = now();
    reloadAsked = false;
    refusedInARow = refused ? refusedInARow + 1 : 0;
    long backoff = 0;
    if (refusedInARow >= 2) {
      int doublings = Math.min(refusedInARow - 2, 16);
      backoff = Math.min(RELOAD_BACKOFF_FIRST.toNanos() << doublings, RELOAD_BACKOFF_AT_MOST.toNanos());
    }
    long cost = RELOAD_COST_FACTOR * Math.max(0, end - started);
    backedOff = backoff > cost;
    reloadFrom = end + Math.max(backoff, cost);
    lastReloadEnd = end;
  }

  /**
   * How many reloads in a row were refused, when that is what makes the next one wait; 0 when it
   * waits for the last one's cost.
   */
  int backedOffAfter() {
    return backedOff ? refusedInARow : 0;
  }

  private static boolean due(long at, long now) {
    return at != NEVER && now - at >= 0;
  }
}
