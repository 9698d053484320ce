package io.routeagent.daemon;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.Policy;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.RuleSpec;
import io.routeagent.kernel.KernelException;
import io.routeagent.metrics.AgentMetrics;
import io.routeagent.metrics.AgentMetrics.RouteGauge;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.Change;
import io.routeagent.reconcile.ChangeResult;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.reconcile.InstalledRoutes;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.reconcile.RepairResult;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RouteStatus;
import io.routeagent.reconcile.RouteText;
import io.routeagent.reconcile.RuleState;
import io.routeagent.reconcile.RuleStatus;
import io.routeagent.status.HeldChange;
import io.routeagent.status.StatusBoard;
import io.routeagent.status.StatusReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reconcile did, said the same way by every path that changes routes (the full reconcile
 * and the repair): a line per change, a summary past {@value #LOGGED_CHANGES} of them, a warning
 * for each entry or rule that has just started to wait or be refused, the counters and gauges, the
 * status board, and what systemd is told.
 */
final class ReconcileReport {
  private static final Logger log = LoggerFactory.getLogger("route-agent");
  /** Per-route log lines per reconcile; past that a summary, so a flap of 10,000 routes stays readable. */
  static final int LOGGED_CHANGES = Reconciler.Returned.NAMED;

  private final AgentMetrics metrics;
  private final Optional<SystemdNotifier> notifier;
  private final LongSupplier clock;
  /**
   * The entries of the last reconcile, by the position of their state, and the states of those it
   * left waiting or refused (null for the others); both null when it left none. Arrays by position,
   * not a map by entry: a link going down under 100,000 routes left a 2 MB map for good (a map
   * does not shrink when cleared).
   */
  private RouteSpec[] lastSpecs;
  private RouteState[] lastUnresolved;
  /** The rules the last reconcile refused, so that each is logged once when it starts to be. */
  private Set<RuleSpec> lastRefusedRules = Set.of();
  /** The routes the last reconcile left degraded: in the kernel, but not whole. */
  private int degraded;
  /** What the status page shows (see {@link Daemon#showStatusOn}). */
  private volatile StatusBoard board = new StatusBoard(java.time.Clock.systemUTC());

  ReconcileReport(AgentMetrics metrics, Optional<SystemdNotifier> notifier, LongSupplier clock) {
    this.metrics = metrics;
    this.notifier = notifier;
    this.clock = clock;
  }

  /** Keeps {@code board} up to date for the status page, from now on. */
  void showStatusOn(StatusBoard board) {
    this.board = board;
  }

  /** The status board, for what the loop itself has to say on it. */
  StatusBoard board() {
    return board;
  }

  /**
   * A full reconcile; true when it left routes or rules failed or refused.
   *
   * @param latency from the event that asked for it to the routes being back
   * @param start when it started, on the daemon's clock
   * @param policy the policy of the configuration it applied
   */
  boolean reconciled(ApplyResult result, String cause, long latency, long start, InstalledRoutes installed,
      Policy policy) {
    List<ChangeResult> results = result.results();
    changes(results, cause, installed);
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
    transitions(result.statuses());
    refusedRules(result.ruleStatuses());
    metrics.routes(RouteGauge.DESIRED, result.statuses().size());
    long whole = result.count(RouteState.INSTALLED);
    long degraded = result.count(RouteState.DEGRADED);
    long waiting = result.count(RouteState.WAITING);
    long unreachable = result.count(RouteState.UNREACHABLE);
    metrics.routes(RouteGauge.INSTALLED, whole);
    metrics.routes(RouteGauge.DEGRADED, degraded);
    this.degraded = (int) degraded;
    metrics.routes(RouteGauge.WAITING, waiting);
    metrics.routes(RouteGauge.UNREACHABLE, unreachable);
    metrics.routes(RouteGauge.MISSING, result.statuses().size() - whole - degraded - waiting - unreachable);
    showOnBoard(result, cause, policy);
    boolean failed = result.failed();
    metrics.reconciled(!failed, Duration.ofNanos(clock.getAsLong() - start));
    return failed;
  }

  /**
   * The states the reconcile left, and what it changed: routes it put back count as repairs of
   * drift unless the routes file asked for them (the start-up, a reload).
   */
  private void showOnBoard(ApplyResult result, String cause, Policy policy) {
    board.reconciled(StatusReport.of(result, policy));
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

  /**
   * Names the first few routes that cannot be installed, for /healthz. A loop, not a stream: its
   * lambdas would be generated at run time, after a start with a refused route, where the
   * training run had none.
   */
  static String unhealthyAfter(ApplyResult result) {
    List<String> named = new ArrayList<>();
    for (RouteStatus s : result.statuses()) {
      if (s.state().blocked() || s.state() == RouteState.FAILED) {
        named.add(s.spec().describe() + " (" + s.state().label() + (s.reason() == null ? "" : ": " + s.reason()) + ")");
      }
    }
    String routes = named.isEmpty() ? "" : ": " + String.join("; ", named.subList(0, Math.min(3, named.size())))
        + (named.size() > 3 ? "; and " + (named.size() - 3) + " more" : "");
    return "the last reconcile left routes or rules failed, refused or unreachable" + routes
        + " (route-agent status lists each)";
  }

  /**
   * The routes of links that came back up, sent back before the full reconcile (which logs only
   * what it changes on top): a line for each of the first sent that the kernel added, as a
   * reconcile's adds, and one per link with the count. Each route put back counts as an add, and
   * on the status board as a full reconcile's change.
   *
   * @param latency from the event that asked for the reconcile to the kernel's last answer
   */
  void returned(List<Reconciler.Returned> links, String cause, long latency) {
    for (Reconciler.Returned link : links) {
      for (RouteMessage route : link.named()) {
        log.info("{} {} cause={}", Change.Op.ADD.past(), RouteText.fields(route, link::interfaceName), cause);
      }
      metrics.changed(Change.Op.ADD.label(), link.done());
      if (link.done() > 0) {
        board.reconciledChanges(link.done());
        board.event(link.done() + (link.done() == 1 ? " route" : " routes") + " put back as " + link.linkName()
            + " came back up", cause);
      }
      log.info("re-added routes={} of {} dev={} cause={} latency_ms={}", link.done(), link.sent(), link.linkName(), cause,
          latency / 1_000_000);
    }
  }

  /** A periodic resync that found the kernel as the last reconcile, which changed nothing, left it. */
  void unchanged(long start) {
    metrics.reconciled(true, Duration.ofNanos(clock.getAsLong() - start));
  }

  /** A full reconcile that the kernel stopped. */
  void reconcileFailed(String cause, KernelException e, long start) {
    metrics.reconciled(false, Duration.ofNanos(clock.getAsLong() - start));
    log.error("reconcile failed cause={}: {}", cause, e.getMessage());
    board.event("the reconcile failed: " + e.getMessage(), cause);
  }

  /**
   * A repair; true when it put every route back (false: some wait or failed).
   *
   * @param latency from the notification to the kernel's answers
   */
  boolean repaired(RepairResult repair, long latency, InstalledRoutes installed) {
    if (repair.failure() != null) {
      log.error("repair failed: {}", repair.failure());
      return false;
    }
    List<ChangeResult> results = repair.results();
    int done = changes(results, null, installed);
    if (done > 0) {
      metrics.driftRepaired(done, Duration.ofNanos(latency));
      board.repaired(done);
      board.event(done + (done == 1 ? " route put back" : " routes put back"), RepairResult.cause(repair.changes().get(0)));
    }
    if (results.size() > LOGGED_CHANGES) {
      log.info("repaired routes={} of {} cause={} latency_us={}", done, results.size(),
          RepairResult.cause(repair.changes().get(0)), latency / 1000);
    } else {
      log.debug("repair latency_us={}", latency / 1000);
    }
    return done == results.size();
  }

  /**
   * A line for each change (past {@link #LOGGED_CHANGES}, only for those not done: their words
   * would cost more than the change did), and a count of those done; how many were.
   *
   * @param cause the cause of them all, or null for a repair's (each its own)
   */
  private int changes(List<ChangeResult> results, String cause, InstalledRoutes installed) {
    int done = 0;
    for (int i = 0; i < results.size(); i++) {
      ChangeResult result = results.get(i);
      Change change = result.change();
      if (result.verdict() == ErrnoPolicy.Verdict.DONE) {
        done++;
        metrics.changed(change.op().label());
        if (i >= LOGGED_CHANGES) {
          continue;
        }
      }
      String why = cause != null ? cause : RepairResult.cause(change);
      String fields = RouteText.fields(change.route(), installed::interfaceName);
      switch (result.verdict()) {
        case DONE -> log.info("{} {} cause={}{}", change.op().past(), fields, why,
            change.reason() == null ? "" : " detail=\"" + change.reason() + "\"");
        case WAITING -> {
          if (change.op() == Change.Op.RESTORE) {
            log.warn("cannot restore yet {} cause={} reason=\"{}\"; kept in the record, tried again at each"
                + " reconcile", fields, why, result.message());
          } else {
            log.info("waiting {} cause={} reason=\"{}\"", fields, why, result.message());
          }
        }
        case FAILED -> log.error("failed {} cause={} error=\"{}\"", fields, why, result.message());
      }
    }
    return done;
  }

  /**
   * A warning for each entry that has just started to wait or been refused; past {@link
   * #LOGGED_CHANGES} of them one line sums up the rest, so that a link going down under 10,000
   * routes is not 10,000 lines.
   */
  private void transitions(List<RouteStatus> statuses) {
    RouteSpec[] specs = null;
    RouteState[] unresolved = null;
    int started = 0;
    for (int i = 0; i < statuses.size(); i++) {
      RouteStatus status = statuses.get(i);
      if (status.state() == RouteState.WAITING || status.state().blocked()) {
        if (unresolved == null) {
          specs = new RouteSpec[statuses.size()];
          unresolved = new RouteState[statuses.size()];
        }
        specs[i] = status.spec();
        unresolved[i] = status.state();
        if (lastState(i, status.spec()) != status.state() && started++ < LOGGED_CHANGES) {
          log.warn("{} route=\"{}\" reason=\"{}\"", status.state().label(), status.spec().describe(), status.reason());
        }
      }
    }
    if (started > LOGGED_CHANGES) {
      log.warn("and {} more routes started to wait or were refused (route-agent status lists each)",
          started - LOGGED_CHANGES);
    }
    lastSpecs = specs;
    lastUnresolved = unresolved;
  }

  /** The state the last reconcile left this entry in, at this position, if waiting or refused; else null. */
  private RouteState lastState(int position, RouteSpec spec) {
    return lastSpecs != null && position < lastSpecs.length && lastSpecs[position] == spec
        ? lastUnresolved[position]
        : null;
  }

  /** A warning for each rule that a guard rail has just started to refuse. */
  private void refusedRules(List<RuleStatus> statuses) {
    Set<RuleSpec> now = new HashSet<>();
    for (RuleStatus status : statuses) {
      if (status.state() == RuleState.REFUSED) {
        now.add(status.spec());
        if (!lastRefusedRules.contains(status.spec())) {
          log.warn("refused rule=\"{}\" reason=\"{}\"", status.spec().describe(), status.reason());
        }
      }
    }
    lastRefusedRules = now;
  }

  /** Nothing is remembered as waiting: the next reconcile warns about every entry that waits. */
  void forget() {
    lastSpecs = null;
    lastUnresolved = null;
    degraded = 0;
  }

  /**
   * The STATUS= that systemd shows: the routes installed whole, those degraded (in the kernel with
   * some next hops down: counted apart, as on the gauges), and a change held.
   *
   * @param inKernel the routes the agent holds in the kernel, degraded ones included
   */
  String statusLine(int inKernel, DesiredConfig config, HeldChange change) {
    String held = change == null ? "" : "; a change of the routes file is held until " + change.until();
    if (config == null) {
      return "STATUS=no valid routes file" + held;
    }
    int whole = Math.max(0, inKernel - degraded);
    return "STATUS=" + whole + "/" + config.routes().size() + " routes installed"
        + (degraded > 0 ? ", " + degraded + " degraded" : "") + held;
  }

  /** Tells systemd {@code state} (READY=1, WATCHDOG=1, STATUS=...), when it listens. */
  void tell(String state) {
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
