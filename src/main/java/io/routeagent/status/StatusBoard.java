package io.routeagent.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the daemon has to show on its status page: the states its last reconcile left, the routes
 * file's last problem, its last events, and its repairs over the last hour. The daemon's loop
 * writes it; the HTTP server's thread reads a {@link Snapshot} of it.
 */
public final class StatusBoard {
  /** Events kept for the page: enough for the last minutes of a busy day, and a page that stays small. */
  static final int EVENTS = 30;
  /** The drawing's span, in one-minute columns. */
  static final int MINUTES = 60;

  /** One thing the daemon did, with its cause ("deleted-externally", "config-reload", "link-up"...). */
  public record Event(Instant at, String what, String cause) {}

  /**
   * The routes file's problems as the daemon logged them (file:line:column: text), the first
   * {@link #PROBLEMS} of them, and when.
   *
   * @param total how many there were
   */
  public record Problem(List<String> lines, int total, Instant seen) {
    public Problem {
      lines = List.copyOf(lines);
    }
  }

  /** Problems kept for the page, as `check` prints them: the rest are counted. */
  static final int PROBLEMS = 20;

  /**
   * Routes put back in one minute: after a deletion or change by someone else (repairs), and by
   * full reconciles (after a link came back, a flush, a resync).
   *
   * @param start the minute's first instant
   */
  public record Minute(Instant start, long repaired, long reconciled) {}

  /**
   * @param report the states after the last reconcile; empty before the first, and while no valid
   *     routes file is in force
   * @param minutes the last hour, oldest first, one per minute up to the current one
   */
  public record Snapshot(Optional<StatusReport> report, Optional<Problem> problem, List<Event> events,
      List<Minute> minutes, Instant now) {}

  private final Clock clock;
  private StatusReport report;
  private Problem problem;
  private final ArrayDeque<Event> events = new ArrayDeque<>();
  /** Counts per minute since the epoch, newest last; at most {@link #MINUTES}. */
  private final ArrayDeque<long[]> counts = new ArrayDeque<>();

  public StatusBoard(Clock clock) {
    this.clock = clock;
  }

  public synchronized void reconciled(StatusReport newReport) {
    report = newReport;
  }

  /** No valid routes file, or a policy that stops everything: no states to show. */
  public synchronized void nothingInForce() {
    report = null;
  }

  public synchronized void refused(List<String> problems) {
    problem = new Problem(problems.subList(0, Math.min(PROBLEMS, problems.size())), problems.size(), clock.instant());
  }

  /** The routes file is valid again: its last problem is over. */
  public synchronized void valid() {
    problem = null;
  }

  public synchronized void event(String what, String cause) {
    if (events.size() == EVENTS) {
      events.removeFirst();
    }
    events.addLast(new Event(clock.instant(), what, cause));
  }

  /** Routes put back after someone else deleted or changed them. */
  public synchronized void repaired(long routes) {
    minute()[1] += routes;
  }

  /** Routes a full reconcile added or replaced (a link back up, a flush, a resync). */
  public synchronized void reconciledChanges(long routes) {
    minute()[2] += routes;
  }

  private long[] minute() {
    long now = clock.millis() / 60_000;
    if (counts.isEmpty() || counts.peekLast()[0] != now) {
      counts.addLast(new long[] {now, 0, 0});
    }
    while (counts.peekFirst()[0] <= now - MINUTES) {
      counts.removeFirst();
    }
    return counts.peekLast();
  }

  /** The states after the last reconcile, alone (for /status.json): empty as in {@link Snapshot}. */
  public synchronized Optional<StatusReport> report() {
    return Optional.ofNullable(report);
  }

  public synchronized Snapshot snapshot() {
    Instant now = clock.instant();
    long current = now.toEpochMilli() / 60_000;
    List<Minute> minutes = new ArrayList<>(MINUTES);
    var it = counts.iterator();
    long[] next = it.hasNext() ? it.next() : null;
    for (long m = current - MINUTES + 1; m <= current; m++) {
      while (next != null && next[0] < m) {
        next = it.hasNext() ? it.next() : null;
      }
      boolean here = next != null && next[0] == m;
      minutes.add(new Minute(Instant.ofEpochMilli(m * 60_000), here ? next[1] : 0, here ? next[2] : 0));
    }
    return new Snapshot(Optional.ofNullable(report), Optional.ofNullable(problem), List.copyOf(events),
        minutes, now);
  }

  /** How long ago, for people: "12 s ago", "3 min ago", "2 h ago". */
  static String ago(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    if (d.toSeconds() < 60) {
      return Math.max(0, d.toSeconds()) + " s ago";
    }
    return d.toMinutes() < 60 ? d.toMinutes() + " min ago" : d.toHours() + " h ago";
  }
}
