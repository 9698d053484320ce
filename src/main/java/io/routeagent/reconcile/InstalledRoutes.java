package io.routeagent.reconcile;

import io.routeagent.config.RouteSpec;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.netlink.RouteMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The desired routes a full reconcile left installed, and the interfaces it saw: what the daemon
 * puts back when a notification shows one of them deleted or changed, until the next full
 * reconcile replaces it.
 *
 * <p>It keeps each route's entry of the file, not the route resolved from it: the resolved routes
 * of 10,000 entries are a megabyte that the daemon would hold for hours to speed up a repair by
 * the microsecond it takes to resolve one entry again against the same interfaces.
 */
public final class InstalledRoutes {
  /** Before the first reconcile: nothing to repair. */
  public static final InstalledRoutes NONE = new InstalledRoutes(
      null, new InterfaceView(new KernelSnapshot(List.of(), List.of(), List.of())), new SpecsByKey(List.of()));

  private final Planner planner;
  private final InterfaceView interfaces;
  private final SpecsByKey byKey;
  /** One function for every repair's words, not one per repair. */
  private final IntFunction<String> interfaceNames;

  private InstalledRoutes(Planner planner, InterfaceView interfaces, SpecsByKey byKey) {
    this.planner = planner;
    this.interfaces = interfaces;
    this.byKey = byKey;
    this.interfaceNames = interfaces::name;
  }

  /** The routes {@code result} left installed (degraded ones too), resolved by {@code planner} when repaired. */
  public static InstalledRoutes of(Planner planner, ApplyResult result) {
    List<RouteSpec> installed = new ArrayList<>(result.statuses().size());
    for (RouteStatus status : result.statuses()) {
      if (status.state().present()) {
        installed.add(status.spec());
      }
    }
    return new InstalledRoutes(planner, result.plan().interfaces(), new SpecsByKey(installed));
  }

  public int size() {
    return byKey.size();
  }

  /** The interface's name as the reconcile saw it, or "if#N". */
  public String interfaceName(int index) {
    return interfaces.name(index);
  }

  /**
   * The change that puts back the installed route this notification shows deleted, or changed
   * into something else; null when the notification is about a route that is not ours to repair,
   * or one that is as we want it (our own changes echoing back).
   *
   * @param route the route as the notification carries it
   * @param deleted RTM_DELROUTE rather than RTM_NEWROUTE
   */
  public Change repair(RouteMessage route, boolean deleted) {
    RouteSpec spec = byKey.get(route);
    if (spec == null) {
      return null;
    }
    // Installed under these interfaces, so it resolves again to the route the reconcile installed.
    RouteMessage wanted = planner.resolved(spec, interfaces);
    if (!deleted && planner.difference(spec, interfaces, route, interfaceNames) == null) {
      return null;
    }
    if (!deleted && route.protocol() != planner.protocol()) {
      if (!Planner.describable(route)) {
        // Theirs could not be put back as it was (RTA_VIA, a nexthop object): the next full
        // reconcile refuses the entry, and says why.
        return null;
      }
      // Another owner replaced ours: putting ours back displaces theirs, which is recorded first.
      return new Change(Change.Op.REPLACE, wanted, spec, new Change.Words(wanted, interfaceNames),
          planner.difference(wanted, route, interfaceNames), Planner.displaced(route, interfaces));
    }
    // Install is create-or-replace either way; the op says what happened, for logs and metrics.
    return new Change(deleted ? Change.Op.ADD : Change.Op.REPLACE, wanted, spec,
        new Change.Words(wanted, interfaceNames), null);
  }
}
