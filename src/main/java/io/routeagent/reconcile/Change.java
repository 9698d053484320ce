package io.routeagent.reconcile;

import io.routeagent.config.RouteSpec;
import io.routeagent.kernel.RouteRequest;
import io.routeagent.netlink.RouteMessage;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * One planned change to the kernel's table.
 *
 * @param op what to do
 * @param route the route to install, or the kernel's route to delete
 * @param spec the desired entry it serves; null for a prune
 * @param words the route to put in words, as the kernel showed it for a prune
 * @param reason why: what drifted, or why a route is pruned; null for a plain add
 * @param displaced for a replace that adopts another owner's route: that route, which must be
 *     recorded before the replace is sent; for a restore: the record it puts back; else null
 */
public record Change(Op op, RouteMessage route, RouteSpec spec, Words words, String reason,
    DisplacedRoutes.Displaced displaced) {

  public Change(Op op, RouteMessage route, RouteSpec spec, Words words, String reason) {
    this(op, route, spec, words, reason, null);
  }

  /** A replace that displaces another owner's route: it is recorded first, and put back later. */
  public boolean adopts() {
    return op == Op.REPLACE && displaced != null;
  }

  /**
   * A route and the interface names to describe it with, put into words only when asked: the
   * daemon's reconcile after a link flap makes 10,000 changes and logs 20 of them, and the strings
   * it would not print were a good part of the garbage that its small heap had to collect.
   */
  public record Words(RouteMessage route, IntFunction<String> interfaceName) {
    @Override
    public String toString() {
      return RouteText.describe(route, interfaceName);
    }
  }

  /** The route in {@code ip route} words, with interface names. */
  public String description() {
    return words.toString();
  }

  /**
   * What a change is, in the words of the log, the metrics and the CLI's counts. The kernel is sent
   * one of two requests only ({@link #deletes}): a delete, or an install that creates or replaces
   * (for a route NLM_F_CREATE | NLM_F_REPLACE, so that a race with another writer still ends in
   * ours; for a rule, which has no replace, the deletion of the rules it supersedes and an add). ADD
   * and REPLACE are therefore the same request: they say what the planner found, no entry in the
   * kernel or one that differs, and a repair reports them as deleted-externally and
   * changed-externally.
   */
  public enum Op {
    /** Installs an entry the kernel does not have. */
    ADD("adding", "added"),
    /** Installs an entry over the kernel's one with the same key, which differs. */
    REPLACE("replacing", "replaced"),
    /** Deletes an entry the kernel has. */
    DELETE("deleting", "deleted"),
    /** Puts back, as it was, a route of another owner that an entry displaced; the entry has gone. */
    RESTORE("restoring", "restored");

    private final String gerund;
    private final String past;
    private final String label = name().toLowerCase(Locale.ROOT);

    Op(String gerund, String past) {
      this.gerund = gerund;
      this.past = past;
    }

    public String past() {
      return past;
    }

    public String label() {
      return label;
    }

    public String gerund() {
      return gerund;
    }

    /** Whether the kernel is asked to delete; else to install. The one way an op shapes a request. */
    public boolean deletes() {
      return this == DELETE;
    }
  }

  RouteRequest toRequest() {
    return new RouteRequest(op.deletes() ? RouteRequest.Kind.DELETE : RouteRequest.Kind.INSTALL, route);
  }

  @Override
  public String toString() {
    return op.label() + " " + description() + (reason == null ? "" : " (" + reason + ")");
  }
}
