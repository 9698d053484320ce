package io.routeagent.reconcile;

import io.routeagent.config.RouteSpec;
import io.routeagent.kernel.RouteRequest;
import io.routeagent.netlink.RouteMessage;
import java.util.Locale;

/**
 * One planned change to the kernel's table.
 *
 * @param op what to do
 * @param route the route to install, or the kernel's route to delete
 * @param spec the desired entry it serves; null for a prune
 * @param description the route in {@code ip route} words, with interface names
 * @param reason why: what drifted, or why a route is pruned; null for a plain add
 */
public record Change(Op op, RouteMessage route, RouteSpec spec, String description, String reason) {

  public enum Op {
    ADD("adding", "added"),
    REPLACE("replacing", "replaced"),
    DELETE("deleting", "deleted");

    private final String gerund;
    private final String past;

    Op(String gerund, String past) {
      this.gerund = gerund;
      this.past = past;
    }

    public String past() {
      return past;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public String gerund() {
      return gerund;
    }
  }

  RouteRequest toRequest() {
    return new RouteRequest(
        op == Op.DELETE ? RouteRequest.Kind.DELETE : RouteRequest.Kind.INSTALL, route);
  }

  @Override
  public String toString() {
    return op.label() + " " + description + (reason == null ? "" : " (" + reason + ")");
  }
}
