package io.routeagent.reconcile;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.DeviceSelector;
import io.routeagent.config.RouteSpec;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.net.Family;
import io.routeagent.netlink.RouteMessage;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      null, new InterfaceView(new KernelSnapshot(List.of(), List.of(), List.of())), SpecsByKey.NONE, new BitSet());

  private final Planner planner;
  private final InterfaceView interfaces;
  /** The routes file's entries by key: the planner's, shared by every reconcile of that file. */
  private final SpecsByKey desired;
  /** The positions in {@link #desired} of the entries left installed. */
  private final BitSet installed;
  private final int size;
  /** One function for every repair's words, not one per repair. */
  private final IntFunction<String> interfaceNames;

  private InstalledRoutes(Planner planner, InterfaceView interfaces, SpecsByKey desired, BitSet installed) {
    this.planner = planner;
    this.interfaces = interfaces;
    this.desired = desired;
    this.installed = installed;
    this.size = installed.cardinality();
    this.interfaceNames = interfaces::name;
  }

  /**
   * The routes {@code result}, an apply of {@code config}, left installed (degraded ones too),
   * resolved by {@code planner} when repaired.
   */
  public static InstalledRoutes of(Planner planner, DesiredConfig config, ApplyResult result) {
    SpecsByKey desired = planner.desired(config.routes());
    List<RouteStatus> statuses = result.statuses();
    if (statuses.size() != desired.size()) {
      throw new IllegalArgumentException("not an apply of this routes file: " + statuses.size() + " states for "
          + desired.size() + " entries");
    }
    BitSet installed = new BitSet(statuses.size());
    for (int i = 0; i < statuses.size(); i++) {
      RouteStatus status = statuses.get(i);
      if (status.spec() != desired.spec(i)) {
        throw new IllegalArgumentException("not an apply of this routes file: state " + i + " is of "
            + status.spec().describe() + ", not of " + desired.spec(i).describe());
      }
      if (status.state().present()) {
        installed.set(i);
      }
    }
    return new InstalledRoutes(planner, result.plan().interfaces(), desired, installed);
  }

  public int size() {
    return size;
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
    int position = desired.positionOf(route);
    if (position < 0 || !installed.get(position)) {
      return null;
    }
    RouteSpec spec = desired.spec(position);
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

  /**
   * The routes this left installed that {@code next}, a later reconcile of the same routes file,
   * did not, because the interface each was resolved to is down in {@code now}, the snapshot
   * {@code next} planned from: each resolved as it was installed, by interface index, in the file's
   * order. Only IPv4 single-path entries whose {@code dev} is a name or a MAC address: what {@link
   * ResolutionFacts} says resolves them (the kernel flushes such routes silently when their link
   * goes down; an IPv6 route goes with a notification, and its link's addresses come back later).
   */
  Map<Integer, List<RouteMessage>> takenByLinksDown(InstalledRoutes next, ResolutionFacts now) {
    Map<Integer, List<RouteMessage>> taken = new LinkedHashMap<>();
    if (next.desired != desired) {
      return taken;
    }
    for (int i = installed.nextSetBit(0); i >= 0; i = installed.nextSetBit(i + 1)) {
      RouteSpec spec = desired.spec(i);
      if (next.installed.get(i) || spec.family() != Family.INET || spec.multipath()
          || !(spec.dev() instanceof DeviceSelector.Name || spec.dev() instanceof DeviceSelector.Mac)) {
        continue;
      }
      RouteMessage route = planner.resolved(spec, interfaces);
      if (route != null && now.isDown(route.outputInterface())) {
        InterfaceView.listAt(taken, route.outputInterface()).add(route);
      }
    }
    return taken;
  }
}
