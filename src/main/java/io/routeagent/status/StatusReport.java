package io.routeagent.status;

import io.routeagent.config.Policy;
import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.ErrnoPolicy;
import io.routeagent.reconcile.InterfaceView;
import io.routeagent.reconcile.Plan;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RouteStatus;
import io.routeagent.reconcile.RuleStatus;
import java.util.List;
import java.util.Optional;

/**
 * Each desired route and rule with its state and the reason for it: what {@code route-agent status
 * --json} prints and the daemon serves as /status.json and on its status page, in one format.
 *
 * @param interfaces the interfaces of the kernel snapshot the states were judged against
 * @param pendingChanges changes still to make: a plan's, or those a reconcile could not make
 * @param policy the file of the admin policy in force, if any
 */
public record StatusReport(List<RouteStatus> routes, List<RuleStatus> rules, InterfaceView interfaces,
    long pendingChanges, Optional<String> policy) {
  public StatusReport {
    routes = List.copyOf(routes);
    rules = List.copyOf(rules);
  }

  /** The states a plan judged, with its changes pending (`route-agent status`). */
  public static StatusReport of(Plan plan, Policy policy) {
    return new StatusReport(plan.statuses(), plan.rules().statuses(), plan.interfaces(),
        plan.changes().size() + plan.rules().changes().size(), policy.file());
  }

  /** The states a reconcile left, with the changes it could not make pending (the daemon). */
  public static StatusReport of(ApplyResult result, Policy policy) {
    long undone = result.results().stream().filter(r -> r.verdict() != ErrnoPolicy.Verdict.DONE).count()
        + result.ruleResults().stream().filter(r -> r.verdict() != ErrnoPolicy.Verdict.DONE).count();
    return new StatusReport(result.statuses(), result.ruleStatuses(), result.plan().interfaces(), undone,
        policy.file());
  }

  public long count(RouteState state) {
    return routes.stream().filter(s -> s.state() == state).count();
  }

  public long countRules(RouteState state) {
    return rules.stream().filter(s -> s.state() == state).count();
  }

  /**
   * The interface the route's {@code dev} (a name or a selector) resolved to, or null when the
   * route has none or waits for one.
   */
  public String device(RouteStatus status) {
    if (status.spec().dev() == null || status.route() == null || status.route().outputInterface() == 0) {
      return null;
    }
    return interfaces.name(status.route().outputInterface());
  }

  /** One JSON document; {@code "policy"} is the policy's file, or null. */
  public String json() {
    StringBuilder sb = new StringBuilder("{\"routes\":[");
    for (int i = 0; i < routes.size(); i++) {
      RouteStatus s = routes.get(i);
      String device = device(s);
      sb.append(i > 0 ? "," : "")
          .append("{\"route\":").append(Json.string(s.spec().describe()))
          .append(",\"to\":").append(Json.string(s.spec().to().toString()))
          .append(",\"table\":").append(s.spec().table())
          .append(",\"dev\":").append(device == null ? "null" : Json.string(device))
          .append(",\"state\":").append(Json.string(s.state().label()))
          .append(",\"reason\":").append(s.reason() == null ? "null" : Json.string(s.reason()))
          .append(",\"source\":").append(Json.string(s.spec().location().toString()))
          .append('}');
    }
    sb.append("],\"rules\":[");
    for (int i = 0; i < rules.size(); i++) {
      RuleStatus s = rules.get(i);
      sb.append(i > 0 ? "," : "")
          .append("{\"rule\":").append(Json.string(s.spec().describe()))
          .append(",\"priority\":").append(s.spec().priority())
          .append(",\"state\":").append(Json.string(s.state().label()))
          .append(",\"reason\":").append(s.reason() == null ? "null" : Json.string(s.reason()))
          .append(",\"source\":").append(Json.string(s.spec().location().toString()))
          .append('}');
    }
    sb.append("],\"summary\":{");
    RouteState[] states = RouteState.values();
    for (int i = 0; i < states.length; i++) {
      sb.append(i > 0 ? "," : "").append(Json.string(states[i].label())).append(':').append(count(states[i]));
    }
    sb.append("},\"pending_changes\":").append(pendingChanges)
        .append(",\"policy\":").append(policy.map(Json::string).orElse("null"))
        .append('}');
    return sb.toString();
  }
}
