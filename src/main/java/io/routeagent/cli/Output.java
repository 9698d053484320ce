package io.routeagent.cli;

import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.Change;
import io.routeagent.reconcile.ChangeResult;
import io.routeagent.reconcile.ErrnoPolicy;
import io.routeagent.reconcile.Plan;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RouteStatus;
import java.util.ArrayList;
import java.util.List;

/** The words and layouts the commands print. */
final class Output {
  private Output() {}

  static String changeLine(Change change) {
    return pad(change.op().label()) + change.description() + reason(change.reason());
  }

  static String statusLine(RouteStatus status) {
    return pad(status.state().label()) + status.spec().describe() + reason(status.reason());
  }

  static String resultLine(ChangeResult result) {
    Change change = result.change();
    return switch (result.verdict()) {
      case DONE -> pad(past(change.op())) + change.description() + reason(change.reason());
      case WAITING -> pad("waiting") + change.description() + reason(result.message());
      case FAILED -> pad("failed") + result.message();
    };
  }

  static String planSummary(Plan plan) {
    if (plan.inSync()) {
      return "in sync: " + count(plan.count(RouteState.INSTALLED), "route") + " installed" + waiting(plan.count(RouteState.WAITING));
    }
    long adds = plan.changes().stream().filter(c -> c.op() == Change.Op.ADD).count();
    long replaces = plan.changes().stream().filter(c -> c.op() == Change.Op.REPLACE).count();
    long deletes = plan.changes().stream().filter(c -> c.op() == Change.Op.DELETE).count();
    return count(plan.changes().size(), "change")
        + " pending ("
        + adds + " add, " + replaces + " replace, " + deletes + " delete)"
        + waiting(plan.count(RouteState.WAITING));
  }

  static String applySummary(ApplyResult result) {
    List<String> parts = new ArrayList<>();
    parts.add(result.count(RouteState.INSTALLED) + "/" + result.statuses().size() + " routes installed");
    long deleted = result.results().stream()
        .filter(r -> r.change().op() == Change.Op.DELETE && r.verdict() == ErrnoPolicy.Verdict.DONE)
        .count();
    if (deleted > 0) {
      parts.add(deleted + " deleted");
    }
    long waiting = result.count(RouteState.WAITING);
    if (waiting > 0) {
      parts.add(waiting + " waiting");
    }
    long failed = result.count(ErrnoPolicy.Verdict.FAILED);
    if (failed > 0) {
      parts.add(failed + " failed");
    }
    long refused = result.count(RouteState.REFUSED);
    if (refused > 0) {
      parts.add(refused + " refused");
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
    return count(plan.statuses().size(), "route") + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
  }

  static String statusJson(Plan plan) {
    StringBuilder sb = new StringBuilder("{\"routes\":[");
    List<RouteStatus> statuses = plan.statuses();
    for (int i = 0; i < statuses.size(); i++) {
      RouteStatus s = statuses.get(i);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"route\":").append(Json.string(s.spec().describe()))
          .append(",\"to\":").append(Json.string(s.spec().to().toString()))
          .append(",\"table\":").append(s.spec().table())
          .append(",\"state\":").append(Json.string(s.state().label()))
          .append(",\"reason\":").append(s.reason() == null ? "null" : Json.string(s.reason()))
          .append(",\"source\":").append(Json.string(s.spec().location().toString()))
          .append('}');
    }
    sb.append("],\"summary\":{");
    RouteState[] states = RouteState.values();
    for (int i = 0; i < states.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(Json.string(states[i].label())).append(':').append(plan.count(states[i]));
    }
    sb.append("},\"pending_changes\":").append(plan.changes().size()).append('}');
    return sb.toString();
  }

  private static String past(Change.Op op) {
    return switch (op) {
      case ADD -> "added";
      case REPLACE -> "replaced";
      case DELETE -> "deleted";
    };
  }

  /** The label left-aligned in 10 columns and a space, as "%-10s " but without a formatter. */
  private static String pad(String label) {
    return label.length() >= 10 ? label + " " : label + " ".repeat(11 - label.length());
  }

  private static String reason(String reason) {
    return reason == null ? "" : "  (" + reason + ")";
  }

  private static String waiting(long n) {
    return n == 0 ? "" : "; " + count(n, "route") + " waiting";
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
