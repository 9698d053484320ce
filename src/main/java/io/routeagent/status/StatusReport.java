package io.routeagent.status;

import io.routeagent.config.Policy;
import io.routeagent.config.RouteSpec;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.DownNextHop;
import io.routeagent.reconcile.InterfaceView;
import io.routeagent.reconcile.Plan;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RouteStatus;
import io.routeagent.reconcile.RuleState;
import io.routeagent.reconcile.RuleStatus;
import java.util.AbstractList;
import java.util.List;
import java.util.Optional;

/**
 * Each desired route and rule with its state and the reason for it: what {@code route-agent status
 * --json} prints and the daemon serves as /status.json and on its status page, in one format. It
 * keeps names, not the kernel's messages, and its routes in columns ({@link RouteStates}): the
 * daemon holds the last one for as long as it runs.
 *
 * @param pendingChanges changes still to make: a plan's, or those a reconcile could not make
 * @param policy the file of the admin policy in force, if any
 * @param held a change of the routes file that the daemon holds, if any
 */
public record StatusReport(List<Route> routes, List<RuleStatus> rules, long pendingChanges, Optional<String> policy,
    Optional<HeldChange> held) {
  /**
   * One desired route.
   *
   * @param device the interface its {@code dev} (a name or a selector) resolved to, or null when it
   *     has none or waits for one
   * @param down a multipath route's next hops that are down, and why; empty for any other
   */
  public record Route(RouteSpec spec, RouteState state, String reason, String device, List<DownNextHop> down) {
    public Route {
      down = List.copyOf(down);
    }

    public Route(RouteSpec spec, RouteState state, String reason, String device) {
      this(spec, state, reason, device, List.of());
    }
  }

  /** The routes are kept as {@link RouteStates}: {@link #routes} lists them, each record made on demand. */
  public StatusReport {
    routes = RouteStates.of(routes);
    rules = List.copyOf(rules);
  }

  /** The states a plan judged, with its changes pending (`route-agent status`). */
  public static StatusReport of(Plan plan, Policy policy) {
    return new StatusReport(routes(plan.statuses(), plan.interfaces()), plan.rules().statuses(),
        plan.changes().size() + plan.rules().changes().size(), policy.file(), Optional.empty());
  }

  /** The states a reconcile left, with the changes it could not make pending (the daemon). */
  public static StatusReport of(ApplyResult result, Policy policy) {
    long undone = result.results().stream().filter(r -> r.verdict() != ErrnoPolicy.Verdict.DONE).count()
        + result.ruleResults().stream().filter(r -> r.verdict() != ErrnoPolicy.Verdict.DONE).count();
    return new StatusReport(routes(result.statuses(), result.plan().interfaces()), result.ruleStatuses(), undone,
        policy.file(), Optional.empty());
  }

  /**
   * The statuses as rows, each made when {@link RouteStates} reads it into its columns. A list of
   * the rows made first kept 100,000 of them alive through the young collections of a link flap's
   * last steps: copied into the old generation, then dropped.
   */
  private static List<Route> routes(List<RouteStatus> statuses, InterfaceView interfaces) {
    return new AbstractList<>() {
      @Override
      public Route get(int index) {
        RouteStatus s = statuses.get(index);
        boolean resolved = s.spec().dev() != null && s.route() != null && s.route().outputInterface() != 0;
        return new Route(s.spec(), s.state(), s.reason(),
            resolved ? interfaces.name(s.route().outputInterface()) : null, s.down());
      }

      @Override
      public int size() {
        return statuses.size();
      }
    };
  }

  /** The same, with what the daemon holds. */
  public StatusReport withHeld(Optional<HeldChange> change) {
    return new StatusReport(routes, rules, pendingChanges, policy, change);
  }

  public long count(RouteState state) {
    return ((RouteStates) routes).count(state);
  }

  public long countRules(RuleState state) {
    return rules.stream().filter(s -> s.state() == state).count();
  }

  /**
   * One JSON document; {@code "policy"} is the policy's file, or null; a route's {@code
   * "down_nexthops"} lists the next hops of a multipath route that are down ({@code via}, {@code
   * dev}, {@code reason}), empty for every other route.
   */
  public String json() {
    StringBuilder sb = new StringBuilder("{\"routes\":[");
    for (int i = 0; i < routes.size(); i++) {
      Route s = routes.get(i);
      String device = s.device();
      sb.append(i > 0 ? "," : "")
          .append("{\"route\":").append(Json.string(s.spec().describe()))
          .append(",\"to\":").append(Json.string(s.spec().to().toString()))
          .append(",\"table\":").append(s.spec().table())
          .append(",\"dev\":").append(device == null ? "null" : Json.string(device))
          .append(",\"state\":").append(Json.string(s.state().label()))
          .append(",\"reason\":").append(s.reason() == null ? "null" : Json.string(s.reason()))
          .append(",\"down_nexthops\":[");
      for (int j = 0; j < s.down().size(); j++) {
        DownNextHop hop = s.down().get(j);
        sb.append(j > 0 ? "," : "")
            .append("{\"via\":").append(hop.via() == null ? "null" : Json.string(hop.via()))
            .append(",\"dev\":").append(hop.dev() == null ? "null" : Json.string(hop.dev()))
            .append(",\"reason\":").append(Json.string(hop.reason()))
            .append('}');
      }
      sb.append("],\"source\":").append(Json.string(s.spec().location().toString()))
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
        .append(",\"held\":").append(held.map(HeldChange::json).orElse("null"))
        .append('}');
    return sb.toString();
  }
}
