package io.routeagent.cli;

import io.routeagent.config.Printable;
import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.Change;
import io.routeagent.reconcile.ChangeResult;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.reconcile.Plan;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RouteStatus;
import io.routeagent.reconcile.RuleChange;
import io.routeagent.reconcile.RuleResult;
import io.routeagent.reconcile.RuleState;
import io.routeagent.reconcile.RuleStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The words and layouts the commands print. A line that shows a route, a rule or a reason may hold
 * the user's text (an interface name may hold an escape character: the kernel refuses only
 * whitespace, '/' and ':'): each is one line, control characters escaped ({@link Printable}).
 */
final class Output {
  private Output() {}

  static String changeLine(Change change) {
    return Printable.escape(pad(change.op().label()) + change.description() + reason(change.reason()));
  }

  static String ruleChangeLine(RuleChange change) {
    return Printable.escape(pad(change.op().label()) + "rule " + change.description() + reason(change.reason()));
  }

  static String ruleStatusLine(RuleStatus status) {
    return Printable.escape(pad(status.state().label()) + "rule " + status.spec().describe() + reason(status.reason()));
  }

  static String ruleResultLine(RuleResult result) {
    RuleChange change = result.change();
    return Printable.escape(switch (result.verdict()) {
      case DONE -> pad(change.op().past()) + "rule " + change.description() + reason(change.reason());
      case WAITING, FAILED -> pad("failed") + result.message();
    });
  }

  static String statusLine(RouteStatus status) {
    return Printable.escape(pad(status.state().label()) + status.spec().describe() + reason(status.reason()));
  }

  /** The routes that wait or were refused, one line each: plan and apply list them after the changes. */
  static void printUnready(List<RouteStatus> statuses, java.io.PrintWriter out) {
    for (RouteStatus status : statuses) {
      if (status.state() == RouteState.WAITING || status.state().blocked()) {
        out.println(statusLine(status));
      }
    }
  }

  /** The rules a guard rail refused, one line each, after the changes. */
  static void printRefusedRules(List<RuleStatus> statuses, java.io.PrintWriter out) {
    for (RuleStatus status : statuses) {
      if (status.state() == RuleState.REFUSED) {
        out.println(ruleStatusLine(status));
      }
    }
  }

  static String resultLine(ChangeResult result) {
    Change change = result.change();
    return Printable.escape(switch (result.verdict()) {
      case DONE -> pad(change.op().past()) + change.description() + reason(change.reason());
      case WAITING -> pad("waiting") + change.description() + reason(result.message());
      case FAILED -> pad("failed") + result.message();
    });
  }

  static String planSummary(Plan plan) {
    if (plan.inSync()) {
      return "in sync: " + count(plan.count(RouteState.INSTALLED), "route") + " installed"
          + rules(plan.rules().count(RuleState.INSTALLED), " installed") + degraded(plan.count(RouteState.DEGRADED))
          + waiting(plan.count(RouteState.WAITING));
    }
    List<Change.Op> ops = new ArrayList<>(plan.changes().stream().map(Change::op).toList());
    plan.rules().changes().forEach(c -> ops.add(c.op()));
    long adds = ops.stream().filter(op -> op == Change.Op.ADD).count();
    long replaces = ops.stream().filter(op -> op == Change.Op.REPLACE).count();
    long deletes = ops.stream().filter(op -> op == Change.Op.DELETE).count();
    long restores = ops.stream().filter(op -> op == Change.Op.RESTORE).count();
    return count(ops.size(), "change")
        + " pending ("
        + adds + " add, " + replaces + " replace, " + deletes + " delete"
        + (restores == 0 ? "" : ", " + restores + " restore") + ")"
        + waiting(plan.count(RouteState.WAITING));
  }

  static String applySummary(ApplyResult result) {
    List<String> parts = new ArrayList<>();
    parts.add(result.count(RouteState.INSTALLED) + "/" + result.statuses().size() + " routes installed");
    if (!result.ruleStatuses().isEmpty()) {
      long rulesInstalled = result.ruleStatuses().stream().filter(s -> s.state() == RuleState.INSTALLED).count();
      parts.add(rulesInstalled + "/" + result.ruleStatuses().size() + " rules installed");
    }
    long deleted = result.results().stream()
        .filter(r -> r.change().op() == Change.Op.DELETE && r.verdict() == ErrnoPolicy.Verdict.DONE)
        .count()
        + result.ruleResults().stream()
        .filter(r -> r.change().op() == Change.Op.DELETE && r.verdict() == ErrnoPolicy.Verdict.DONE)
        .count();
    if (deleted > 0) {
      parts.add(deleted + " deleted");
    }
    long restored = result.results().stream()
        .filter(r -> r.change().op() == Change.Op.RESTORE && r.verdict() == ErrnoPolicy.Verdict.DONE)
        .count();
    if (restored > 0) {
      parts.add(restored + " restored");
    }
    long degraded = result.count(RouteState.DEGRADED);
    if (degraded > 0) {
      parts.add(degraded + " degraded");
    }
    long waiting = result.count(RouteState.WAITING);
    if (waiting > 0) {
      parts.add(waiting + " waiting");
    }
    long failed = result.count(ErrnoPolicy.Verdict.FAILED);
    if (failed > 0) {
      parts.add(failed + " failed");
    }
    for (RouteState blocked : List.of(RouteState.UNREACHABLE, RouteState.REFUSED)) {
      long n = result.count(blocked);
      if (n > 0) {
        parts.add(n + " " + blocked.label());
      }
    }
    return String.join(", ", parts);
  }

  static String statusSummary(Plan plan) {
    List<String> parts = new ArrayList<>();
    for (RouteState state : RouteState.values()) {
      long n = plan.count(state);
      if (n > 0) {
        parts.add(n + " " + state.label());
      }
    }
    List<String> ruleParts = new ArrayList<>();
    for (RuleState state : RuleState.values()) {
      long n = plan.rules().count(state);
      if (n > 0) {
        ruleParts.add(n + " " + state.label());
      }
    }
    return count(plan.statuses().size(), "route") + (parts.isEmpty() ? "" : ": " + String.join(", ", parts))
        + (plan.rules().statuses().isEmpty() ? "" : "; " + count(plan.rules().statuses().size(), "rule")
            + ": " + String.join(", ", ruleParts))
        + (plan.displaced().isEmpty() ? "" : "; " + count(plan.displaced().size(), "route") + " of other owners"
            + " displaced, put back when their entries go");
  }

  /** The line that says a policy is in force, in status output and in the daemon's log. */
  static String policyLine(String file) {
    return "policy " + Printable.escape(file) + " in force";
  }

  /** The label left-aligned in 10 columns and a space, as "%-10s " but without a formatter. */
  private static String pad(String label) {
    return label.length() >= 10 ? label + " " : label + " ".repeat(11 - label.length());
  }

  private static String reason(String reason) {
    return reason == null ? "" : "  (" + reason + ")";
  }

  private static String rules(long n, String what) {
    return n == 0 ? "" : ", " + count(n, "rule") + what;
  }

  /** "; 2 routes degraded": multipath routes in the kernel with some of their next hops down. */
  private static String degraded(long n) {
    return n == 0 ? "" : "; " + count(n, "route") + " degraded";
  }

  private static String waiting(long n) {
    return n == 0 ? "" : "; " + count(n, "route") + " waiting";
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
