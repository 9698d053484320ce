package io.routeagent.reconcile;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.DeviceSelector;
import io.routeagent.config.Gateway;
import io.routeagent.config.GuardRails;
import io.routeagent.config.NextHopSpec;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.RouteType;
import io.routeagent.config.RuleSpec;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.RouteKey;
import io.routeagent.netlink.NextHop;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Desired routes + a kernel snapshot → the routes' states and the changes that converge them.
 * Pure: no I/O, same inputs give the same plan.
 *
 * <p>Rules it keeps: only routes carrying our protocol are ever deleted; a kernel route with a
 * desired key but other attributes is replaced; one of another owner is adopted (replaced, and
 * recorded first as displaced) only when adoption is allowed, and put back as it was when its key
 * leaves the file, so that the agent never leaves a table with less than it found; a desired key is
 * never pruned even while its entry waits; kernel-made, cloned and source-specific routes are not
 * ours to judge.
 */
public final class Planner {
  private final int protocol;
  /** The entries of the routes file last planned, by key: see {@link #desired}. */
  private volatile SpecsByKey desired = SpecsByKey.NONE;

  public Planner(int protocol) {
    String problem = protocolProblem(protocol);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.protocol = protocol;
  }

  /**
   * Why {@code protocol} cannot mark our routes, or null if it can: the planner deletes every route
   * that carries it, so it must be a number no other originator uses. The kernel's own and those
   * {@code linux/rtnetlink.h} gives away are refused: 3, {@code boot}, is what {@code ip route add}
   * gives a route, and 16, {@code dhcp}, what a DHCP client's default route carries.
   */
  public static String protocolProblem(int protocol) {
    String should = ": route-agent deletes the routes that carry its protocol, so it needs a number in 5..255"
        + " that no other program uses (the default is 157)";
    if (protocol < 0 || protocol > 255) {
      return "protocol " + protocol + " is out of range" + should;
    }
    String originator = Rtnetlink.protocolOriginator(protocol);
    return originator == null ? null : "protocol " + protocol + " is " + originator + "'s (linux/rtnetlink.h)" + should;
  }

  /** Why a missing route is missing, where nothing else is known: one text for main, not one per route. */
  private static String notInTable(long table) {
    return table == RouteSpec.TABLE_MAIN ? NOT_IN_MAIN : "not in table " + RouteSpec.tableWords(table);
  }

  private static final String NOT_IN_MAIN = "not in table " + RouteSpec.tableWords(RouteSpec.TABLE_MAIN);

  public int protocol() {
    return protocol;
  }

  public Plan plan(DesiredConfig config, KernelSnapshot snapshot) {
    return plan(config, snapshot, OwnedRules.EMPTY);
  }

  /**
   * @param ownedRules the record of the rules we installed, which says what is ours on a kernel
   *     without FRA_PROTOCOL (before 4.17); see {@link RulePlanner}
   */
  public Plan plan(DesiredConfig config, KernelSnapshot snapshot, OwnedRules ownedRules) {
    return plan(config, snapshot, ownedRules, DisplacedRoutes.EMPTY, true);
  }

  /** Hears each route change as soon as the planner decides it, in the plan's order. */
  interface Decisions {
    /**
     * @param status the position among the plan's statuses of the entry the change serves (they
     *     are in the order of the routes file, one for each entry); -1 for a change that serves no
     *     entry (a prune, a restore)
     */
    void decided(Change change, int status);
  }

  /**
   * The entries of {@code routes} (a routes file's, {@link DesiredConfig#routes}) by the key of
   * their route. Made once for each routes file and kept: the daemon plans the same file at every
   * link flap and resync, and its repairs look up every notification in it (hashing 100,000
   * entries again took a quarter of a link flap's planning).
   */
  SpecsByKey desired(List<RouteSpec> routes) {
    SpecsByKey index = desired;
    if (index.specs() != routes) {
      index = new SpecsByKey(routes);
      desired = index;
    }
    return index;
  }

  /**
   * @param displaced the record of other owners' routes that entries displaced: restored when their
   *     key leaves the file
   * @param adoptionAllowed whether an entry may replace a route of another owner with its key (the
   *     admin policy's {@code adopt}); when false such an entry is refused and nothing is changed
   */
  public Plan plan(DesiredConfig config, KernelSnapshot snapshot, OwnedRules ownedRules, DisplacedRoutes displaced,
      boolean adoptionAllowed) {
    return plan(config, snapshot, ownedRules, displaced, adoptionAllowed, (change, status) -> {});
  }

  /**
   * As {@link #plan(DesiredConfig, KernelSnapshot, OwnedRules, DisplacedRoutes, boolean)}, handing
   * each route change to {@code decided} as soon as it is decided, so that it can be sent while the
   * rest is planned.
   */
  Plan plan(DesiredConfig config, KernelSnapshot snapshot, OwnedRules ownedRules, DisplacedRoutes displaced,
      boolean adoptionAllowed, Decisions decided) {
    InterfaceView interfaces = new InterfaceView(snapshot);
    Map<Long, RuleSpec> exposed = GuardRails.exposedTables(config.rules());
    // One function for every change of the plan, not one per change made in the loop.
    IntFunction<String> names = interfaces::name;
    Map<RouteKey, RouteMessage> actual = new HashMap<>(capacity(snapshot.routes().size()));
    for (RouteMessage route : snapshot.routes()) {
      if (isJudged(route)) {
        actual.putIfAbsent(RouteKey.of(route), route);
      }
    }
    List<RouteStatus> statuses = new ArrayList<>(config.routes().size());
    List<Change> changes = new ArrayList<>(config.routes().size());
    for (RouteSpec spec : config.routes()) {
      RouteKey key = spec.key();
      Resolution resolution = resolve(spec, interfaces, exposed);
      if (resolution.route == null) {
        statuses.add(new RouteStatus(spec, resolution.state, resolution.reason, null));
        continue;
      }
      RouteMessage wanted = resolution.route;
      // The wanted route's key is the entry's: same family, table, destination, tos 0 and metric.
      RouteMessage found = actual.get(key);
      if (found == null) {
        List<DownNextHop> down = downHops(spec, resolution, null, names).down();
        String downReason = DownNextHop.reason(spec, down, List.of());
        statuses.add(new RouteStatus(spec, RouteState.MISSING,
            downReason != null ? downReason : notInTable(spec.table()), wanted, down));
        Change.Words words = new Change.Words(wanted, names);
        changes.add(announce(new Change(Change.Op.ADD, wanted, spec, words, null), statuses.size() - 1, decided));
        continue;
      }
      boolean foreign = found.protocol() != protocol;
      String difference = difference(resolution, found, names);
      if (difference == null) {
        MultipathHealth.Judgement judged = downHops(spec, resolution, found, names);
        statuses.add(new RouteStatus(spec, judged.down().isEmpty() ? RouteState.INSTALLED : RouteState.DEGRADED,
            DownNextHop.reason(spec, judged.down(), judged.notes()), wanted, judged.down()));
      } else if (foreign && !adoptionAllowed) {
        statuses.add(new RouteStatus(spec, RouteState.REFUSED,
            "adoption not allowed by the admin policy: " + foreignWords(found, names), null));
      } else if (foreign && !describable(found)) {
        statuses.add(new RouteStatus(spec, RouteState.REFUSED, undescribed(found, names), null));
      } else {
        // The route displaced now is the one to put back: an older record of the key describes a
        // route already gone (its owner replaced ours since, or the table was built anew at boot).
        DisplacedRoutes.Displaced adopted = foreign ? displaced(found, interfaces) : null;
        String reason = adopted == null ? difference : difference + "; the route it replaces is recorded, and put"
            + " back when the entry goes";
        // once replaced, the next hops that cannot be installed now are down
        statuses.add(new RouteStatus(spec, RouteState.DRIFTED, difference, wanted,
            downHops(spec, resolution, null, names).down()));
        Change.Words words = new Change.Words(wanted, names);
        changes.add(announce(new Change(Change.Op.REPLACE, wanted, spec, words, reason, adopted),
            statuses.size() - 1, decided));
      }
    }
    // Not before the changes above: those are on their way to the kernel meanwhile.
    SpecsByKey byKey = desired(config.routes());
    Set<RouteKey> restoring = new HashSet<>();
    for (RouteMessage route : snapshot.routes()) {
      if (route.protocol() != protocol || !isJudged(route)) {
        continue;
      }
      RouteKey key = RouteKey.of(route);
      if (!byKey.contains(key)) {
        DisplacedRoutes.Displaced original = displaced.isEmpty() ? null : displaced.get(key);
        if (original != null) {
          restoring.add(key);
          RouteMessage restored = restoration(original, interfaces);
          if (restored != null) {
            changes.add(announce(restore(original, restored, route, names), -1, decided));
          }
          continue;
        }
        Change prune = new Change(
            Change.Op.DELETE,
            deletion(route),
            null,
            new Change.Words(route, names),
            "no longer in the routes file");
        changes.add(announce(prune, -1, decided));
      }
    }
    Set<RouteKey> forgotten = new HashSet<>();
    for (DisplacedRoutes.Displaced original : displaced.routes()) {
      RouteKey key = original.key();
      if (byKey.contains(key) || restoring.contains(key)) {
        continue;
      }
      if (actual.containsKey(key)) {
        // Another owner holds the key again (ours would have been restored above): theirs now.
        forgotten.add(key);
        continue;
      }
      // Ours went with its interface, or was deleted by hand: the original still goes back.
      RouteMessage restored = restoration(original, interfaces);
      if (restored != null) {
        changes.add(announce(restore(original, restored, null, names), -1, decided));
      }
    }
    return new Plan(statuses, changes, planRules(config, snapshot, ownedRules, interfaces), interfaces,
        displaced, forgotten);
  }

  /**
   * The rules' plan. A rule the connected-subnet guard refuses is left out of it, so that a copy
   * of ours in the kernel is pruned, and is reported as refused in its place in the file.
   */
  private RulePlan planRules(
      DesiredConfig config, KernelSnapshot snapshot, OwnedRules ownedRules, InterfaceView interfaces) {
    Map<RuleSpec, String> refused = new java.util.IdentityHashMap<>();
    for (RuleSpec rule : config.rules()) {
      GuardRails.ruleConnectedConflict(rule, interfaces.connectedSubnets()).ifPresent(why -> refused.put(rule, why));
    }
    if (refused.isEmpty()) {
      return new RulePlanner(protocol).plan(config.rules(), snapshot.rules(), ownedRules);
    }
    List<RuleSpec> allowed = config.rules().stream().filter(r -> !refused.containsKey(r)).toList();
    RulePlan plan = new RulePlanner(protocol).plan(allowed, snapshot.rules(), ownedRules);
    java.util.Iterator<RuleStatus> planned = plan.statuses().iterator();
    List<RuleStatus> statuses = new ArrayList<>(config.rules().size());
    for (RuleSpec rule : config.rules()) {
      String why = refused.get(rule);
      statuses.add(why != null ? new RuleStatus(rule, RuleState.REFUSED, why) : planned.next());
    }
    return new RulePlan(statuses, plan.changes(), plan.lacksProtocol(), plan.owned());
  }

  /**
   * A multipath entry's next hops that are down against the kernel's route ({@code found}; null
   * when there is none, or it is replaced), and those the kernel holds that could not be added now.
   */
  private static MultipathHealth.Judgement downHops(
      RouteSpec spec, Resolution resolution, RouteMessage found, IntFunction<String> names) {
    return spec.multipath() ? MultipathHealth.judge(resolution.unusable, found, names) : MultipathHealth.Judgement.NONE;
  }

  /**
   * Whether the agent can record this route to put it back as it was: not one whose next hops it
   * does not read (an IPv6 gateway of an IPv4 route, RTA_VIA; a nexthop object, RTA_NH_ID), which it
   * would put back as another route.
   */
  static boolean describable(RouteMessage route) {
    return !route.multipath() || route.hasNextHops();
  }

  /** Why an entry does not replace another owner's route that the agent could not put back. */
  static String undescribed(RouteMessage found, IntFunction<String> names) {
    return foreignWords(found, names) + " goes through an IPv6 gateway (RTA_VIA) or a nexthop object, which"
        + " route-agent cannot record to put back when the entry goes: it is left alone; delete it (`ip route del"
        + " " + found.destination() + (found.table() == Rtnetlink.RT_TABLE_MAIN ? "" : " table " + found.table())
        + "`) for the entry to be installed";
  }

  /** "default via 172.31.64.1 dev eth2 proto dhcp": another owner's route, for refusals. */
  private static String foreignWords(RouteMessage route, IntFunction<String> names) {
    return RouteText.describe(route, names) + " proto " + RouteText.protocolName(route.protocol());
  }

  /** The interface's name in this snapshot, or null when it has none (no interface, or unknown). */
  private static String deviceName(int index, InterfaceView interfaces) {
    return index == 0 || !interfaces.has(index) ? null : interfaces.name(index);
  }

  /** Another owner's route as the record keeps it: with its interfaces' names, a next hop's too. */
  static DisplacedRoutes.Displaced displaced(RouteMessage route, InterfaceView interfaces) {
    List<String> hopDevs = route.nextHops().stream()
        .map(hop -> {
          String name = deviceName(hop.interfaceIndex(), interfaces);
          return name == null ? "" : name;
        })
        .toList();
    return new DisplacedRoutes.Displaced(route, deviceName(route.outputInterface(), interfaces), hopDevs);
  }

  /**
   * The interface index to restore on: that of the interface of the recorded name, else the
   * recorded index; -1 while an interface of another name holds the old index.
   */
  private static int restoredIndex(String dev, int oif, InterfaceView interfaces) {
    if (dev != null && !dev.isEmpty()) {
      List<LinkMessage> links = interfaces.select(new DeviceSelector.Name(dev));
      if (links.size() == 1) {
        return links.get(0).index();
      } else if (interfaces.has(oif)) {
        return -1;
      }
    }
    return oif;
  }

  /**
   * The request that puts the displaced route back as the kernel dumped it (its protocol, scope,
   * type, gateway, source, metric and MTU), on the interface of the same name; null while an
   * interface of another name holds its old index (sending it would put the route on the wrong one).
   * Flags the kernel sets itself (linkdown, dead) are never sent: only onlink is the route's own.
   */
  private static RouteMessage restoration(DisplacedRoutes.Displaced original, InterfaceView interfaces) {
    RouteMessage r = original.route();
    if (r.multipath()) {
      List<NextHop> hops = new ArrayList<>(r.nextHops().size());
      for (int i = 0; i < r.nextHops().size(); i++) {
        NextHop hop = r.nextHops().get(i);
        int oif = restoredIndex(original.nextHopDevs().get(i), hop.interfaceIndex(), interfaces);
        if (oif < 0) {
          return null;
        }
        hops.add(new NextHop(hop.flags() & Rtnetlink.RTNH_F_ONLINK, hop.weight(), oif, hop.gateway()));
      }
      return new RouteMessage(r.family(), r.destination(), r.tos(), r.table(), r.protocol(), r.scope(), r.type(),
          0, null, 0, r.priority(), r.preferredSource(), r.mtu(), false, true, hops);
    }
    int oif = restoredIndex(original.dev(), r.outputInterface(), interfaces);
    if (oif < 0) {
      return null;
    }
    return new RouteMessage(r.family(), r.destination(), r.tos(), r.table(), r.protocol(), r.scope(), r.type(),
        r.flags() & Rtnetlink.RTNH_F_ONLINK, r.gateway(), oif, r.priority(), r.preferredSource(), r.mtu(),
        false, false, List.of());
  }

  /** Puts {@code restored} back over {@code ours} (or where ours was, when null). */
  private Change restore(
      DisplacedRoutes.Displaced original, RouteMessage restored, RouteMessage ours, IntFunction<String> names) {
    String by = ours == null
        ? "an entry that left the routes file"
        : RouteText.describe(ours, names) + " proto " + RouteText.protocolName(protocol);
    return new Change(Change.Op.RESTORE, restored, null, new Change.Words(restored, names),
        "proto " + RouteText.protocolName(restored.protocol()) + ", displaced by " + by, original);
  }

  private static Change announce(Change change, int status, Decisions decided) {
    decided.decided(change, status);
    return change;
  }

  /** A HashMap capacity that holds {@code n} entries without resizing. */
  private static int capacity(int n) {
    return (int) Math.min(1 << 30, n * 4L / 3 + 1);
  }

  /**
   * The scope route-agent gives a route, as {@code ip route} does by default: link for a unicast
   * route without a gateway, universe ("global") for the others. The import keeps a script's
   * explicit scope only when it is this one.
   */
  public static int scopeOf(RouteType type, boolean viaGateway) {
    return type == RouteType.UNICAST && !viaGateway ? Rtnetlink.RT_SCOPE_LINK : Rtnetlink.RT_SCOPE_UNIVERSE;
  }

  /**
   * Whether the planner judges this kernel route at all: not a cached clone (RTM_F_CLONED), not a
   * source-specific IPv6 route (the routes file has no source prefix), not in the local table
   * (the kernel's own). Planning and the daemon's repair lookup both go by it.
   */
  static boolean isJudged(RouteMessage route) {
    return (route.flags() & Rtnetlink.RTM_F_CLONED) == 0
        && !route.hasSourcePrefix()
        && route.table() != Rtnetlink.RT_TABLE_LOCAL;
  }

  /**
   * @param route what to install, or null while waiting or refused
   * @param present a multipath entry's next hops whose interface exists, down ones included: the
   *     kernel keeps a down link's next hop (dead, linkdown), and holding exactly these is not a
   *     drift; null for a single path
   * @param unusable a multipath entry's next hops that cannot be installed now, and why; empty
   *     for a single path
   */
  private record Resolution(RouteMessage route, RouteState state, String reason, List<NextHop> present,
      List<MultipathHealth.Unusable> unusable) {
    Resolution(RouteMessage route, RouteState state, String reason) {
      this(route, state, reason, null, List.of());
    }

    static Resolution waiting(String reason) {
      return new Resolution(null, RouteState.WAITING, reason);
    }
  }

  /**
   * A multipath entry on these interfaces: installed with the next hops that can be installed now
   * (interface present and up, gateway known), since a multipath route exists for availability;
   * waiting only when none can. An interface that a selector finds twice refuses the entry, as for
   * a single path.
   */
  private Resolution resolveMultipath(RouteSpec spec, InterfaceView interfaces) {
    List<NextHop> installable = new ArrayList<>(spec.nexthops().size());
    List<NextHop> present = new ArrayList<>(spec.nexthops().size());
    List<String> notNow = new ArrayList<>();
    List<MultipathHealth.Unusable> unusable = new ArrayList<>();
    int offLink = 0;
    for (NextHopSpec hop : spec.nexthops()) {
      int oif = 0;
      LinkMessage link = null;
      DeviceSelector dev = hop.dev();
      if (dev != null) {
        List<LinkMessage> links = interfaces.select(dev);
        if (links.isEmpty()) {
          notNow.add(dev.noMatch());
          unusable.add(new MultipathHealth.Unusable(null, viaWords(hop, null), dev.describe(), dev.noMatch(), false));
          continue;
        }
        if (links.size() > 1) {
          return new Resolution(null, RouteState.REFUSED, ambiguous(dev, links));
        }
        link = links.get(0);
        oif = link.index();
      }
      String devWords = link == null ? null : link.name();
      InetAddress gateway = gateway(hop.via(), dev, oif, interfaces);
      if (gateway == null && hop.via() != null) {
        String why = noSubnetRouter(dev, link);
        notNow.add(why);
        unusable.add(new MultipathHealth.Unusable(null, viaWords(hop, null), devWords, why, false));
        continue;
      }
      NextHop resolved = new NextHop(hop.onlink() ? Rtnetlink.RTNH_F_ONLINK : 0, hop.weight(), oif, gateway);
      // The kernel refuses the whole route for one next hop whose gateway is off its link: that
      // one is left out; one without an address waits, as a down one. A route the kernel kept with
      // it (an IPv6 link that lost its global address while down) is not fought either.
      InterfaceView.Reach reach = gateway != null && link != null && !hop.onlink() && link.isUp()
          ? interfaces.reach(link.index(), gateway)
          : InterfaceView.Reach.ON_LINK;
      present.add(resolved);
      if (reach == InterfaceView.Reach.OFF_LINK || reach == InterfaceView.Reach.LOCAL) {
        String why = reach == InterfaceView.Reach.LOCAL ? local(gateway) : offLink(gateway, dev, link, interfaces);
        notNow.add(why + ", left out");
        unusable.add(new MultipathHealth.Unusable(resolved, viaWords(hop, gateway), devWords, why, true));
        offLink++;
        continue;
      }
      String why = null;
      if (link != null && !link.isUp()) {
        why = interfaceWords(dev, link) + " is down";
      } else if (reach == InterfaceView.Reach.NO_ADDRESS) {
        why = noAddress(gateway, dev, link);
      } else {
        installable.add(resolved);
      }
      if (why != null) {
        notNow.add(why);
        unusable.add(new MultipathHealth.Unusable(resolved, viaWords(hop, gateway), devWords, why, false));
      }
    }
    if (offLink > 0) {
      notNow.add(offLink == 1
          ? "correct that next hop's `via`, or add `onlink: true` to it if its gateway is reachable on that link"
          : "correct those next hops' `via`, or add `onlink: true` to them if their gateways are reachable on"
              + " their links");
    }
    String reason = notNow.isEmpty() ? null : String.join("; ", notNow);
    if (installable.isEmpty()) {
      return offLink == spec.nexthops().size()
          ? new Resolution(null, RouteState.UNREACHABLE, reason)
          : Resolution.waiting(reason);
    }
    return new Resolution(multipathRoute(spec, installable), null, reason, List.copyOf(present), List.copyOf(unusable));
  }

  /** A next hop's gateway in words: the address it resolved to, else as written; null without one. */
  private static String viaWords(NextHopSpec hop, InetAddress resolved) {
    return resolved != null ? IpAddresses.format(resolved) : hop.via() == null ? null : hop.via().toString();
  }

  /**
   * The route of a multipath entry through {@code hops}: RTA_MULTIPATH for two or more; a plain
   * route for one, which is how the kernel keeps and shows a route of a single next hop.
   */
  private RouteMessage multipathRoute(RouteSpec spec, List<NextHop> hops) {
    if (hops.size() == 1) {
      NextHop hop = hops.get(0);
      return singlePathRoute(spec, RouteType.UNICAST, hop.flags(), hop.gateway(), hop.interfaceIndex());
    }
    return new RouteMessage(spec.family(), spec.to(), 0, spec.table(), protocol, Rtnetlink.RT_SCOPE_UNIVERSE,
        Rtnetlink.RTN_UNICAST, 0, null, 0, spec.metric(), spec.src(), spec.mtu(), false, true, hops);
  }

  /**
   * The route the kernel should hold for this entry on these interfaces, or null while it waits
   * or is refused: the same answer the plan gave for the same snapshot. For an entry the plan
   * installed, which passed the guard rails of its table, so the main table's alone are checked.
   */
  RouteMessage resolved(RouteSpec spec, InterfaceView interfaces) {
    return resolve(spec, interfaces, Map.of()).route;
  }

  /**
   * What differs between the kernel's route and the one this entry wants on these interfaces, in
   * words; null when nothing does. For a multipath entry whose next hops are not all installable,
   * the kernel may also hold every present one (a down link's kept dead): that is no drift either.
   */
  String difference(RouteSpec spec, InterfaceView interfaces, RouteMessage found, IntFunction<String> names) {
    return difference(resolve(spec, interfaces, Map.of()), found, names);
  }

  private String difference(Resolution resolution, RouteMessage found, IntFunction<String> names) {
    String difference = difference(resolution.route, found, names);
    if (difference != null && resolution.present != null
        && resolution.present.size() != resolution.route.nextHops().size() && resolution.present.size() > 1) {
      RouteMessage r = resolution.route;
      RouteMessage all = new RouteMessage(r.family(), r.destination(), 0, r.table(), r.protocol(),
          Rtnetlink.RT_SCOPE_UNIVERSE, r.type(), 0, null, 0, r.priority(), r.preferredSource(), r.mtu(), false, true,
          resolution.present);
      if (difference(all, found, names) == null) {
        return null;
      }
    }
    return difference;
  }

  /** @param exposed the tables that the rules send ordinary traffic to, guarded as main is */
  private Resolution resolve(RouteSpec spec, InterfaceView interfaces, Map<Long, RuleSpec> exposed) {
    Optional<String> conflict = GuardRails.connectedConflict(spec, interfaces.connectedSubnets(), exposed);
    if (conflict.isPresent()) {
      return new Resolution(null, RouteState.REFUSED, conflict.get());
    }
    if (spec.multipath()) {
      return resolveMultipath(spec, interfaces);
    }
    int oif = 0;
    LinkMessage link = null;
    DeviceSelector dev = spec.dev();
    if (dev != null) {
      List<LinkMessage> links = interfaces.select(dev);
      if (links.isEmpty()) {
        Optional<String> like = dev instanceof DeviceSelector.Name name ? interfaces.nameLike(name.name()) : Optional.empty();
        return Resolution.waiting(dev.noMatch() + like.map(n -> "; did you mean " + n + "?").orElse(""));
      }
      if (links.size() > 1) {
        return new Resolution(null, RouteState.REFUSED, ambiguous(dev, links));
      }
      link = links.get(0);
      if (!link.isUp()) {
        return Resolution.waiting(interfaceWords(dev, link) + " is down");
      }
      oif = link.index();
    }
    InetAddress gateway = gateway(spec.via(), dev, oif, interfaces);
    if (gateway == null && spec.via() != null) {
      return Resolution.waiting(noSubnetRouter(dev, link));
    }
    if (gateway != null && link != null && !spec.onlink()) {
      Optional<Resolution> unreachable = unreachable(gateway, dev, link, interfaces);
      if (unreachable.isPresent()) {
        return unreachable.get();
      }
    }
    RouteMessage route = singlePathRoute(spec, spec.type(), spec.onlink() ? Rtnetlink.RTNH_F_ONLINK : 0, gateway, oif);
    return new Resolution(route, null, null);
  }

  /**
   * The route of one path: a single-path entry's, or a multipath entry's with one next hop left
   * (which is how the kernel keeps and shows a route of a single next hop).
   */
  private RouteMessage singlePathRoute(RouteSpec spec, RouteType type, int flags, InetAddress gateway, int oif) {
    return new RouteMessage(spec.family(), spec.to(), 0, spec.table(), protocol, scopeOf(type, gateway != null),
        kernelType(type), flags, gateway, oif, spec.metric(), spec.src(), spec.mtu(), false, false, List.of());
  }

  /**
   * Why the kernel would refuse this gateway on this interface (ENETUNREACH, "Nexthop has invalid
   * gateway"): it has no address of the gateway's family yet, which waits; or the gateway is on
   * none of the subnets the interface reaches directly, which no waiting mends.
   */
  private static Optional<Resolution> unreachable(InetAddress gateway, DeviceSelector dev, LinkMessage link,
      InterfaceView interfaces) {
    InterfaceView.Reach reach = interfaces.reach(link.index(), gateway);
    if (reach == InterfaceView.Reach.ON_LINK) {
      return Optional.empty();
    }
    if (reach == InterfaceView.Reach.NO_ADDRESS) {
      return Optional.of(Resolution.waiting(noAddress(gateway, dev, link)));
    }
    if (reach == InterfaceView.Reach.LOCAL) {
      return Optional.of(new Resolution(null, RouteState.UNREACHABLE, local(gateway) + ": correct `via`"));
    }
    return Optional.of(new Resolution(null, RouteState.UNREACHABLE, offLink(gateway, dev, link, interfaces)
        + ": correct `via`, or add `onlink: true` if the gateway is reachable on that link all the same"));
  }

  /**
   * The gateway of one path (an entry's own via and dev, or a next hop's) on interface {@code oif}:
   * {@code via}'s address, or the subnet router of the interface (of the selector's subnet, for a
   * subnet selector); null without {@code via}, and null while there is no IPv4 subnet for
   * subnet-router ({@link #noSubnetRouter}).
   */
  private static InetAddress gateway(Gateway via, DeviceSelector dev, int oif, InterfaceView interfaces) {
    if (via instanceof Gateway.Address address) {
      return address.address();
    }
    if (via instanceof Gateway.SubnetRouter) {
      Optional<InetAddress> router = dev instanceof DeviceSelector.Subnet subnet
          ? interfaces.subnetRouter(oif, subnet.range())
          : interfaces.subnetRouter(oif);
      return router.orElse(null);
    }
    return null;
  }

  private static String noSubnetRouter(DeviceSelector dev, LinkMessage link) {
    return interfaceWords(dev, link) + " has no IPv4 subnet yet for subnet-router";
  }

  /** "interface eth2 has no IPv4 address yet": a gateway that waits for its interface's address. */
  private static String noAddress(InetAddress gateway, DeviceSelector dev, LinkMessage link) {
    return interfaceWords(dev, link) + " has no "
        + (gateway instanceof java.net.Inet4Address ? "IPv4" : "IPv6") + " address yet";
  }

  /** "gateway 2001:db8:5::10 is an address of this host": the kernel takes no local IPv6 gateway. */
  private static String local(InetAddress gateway) {
    return "gateway " + IpAddresses.format(gateway) + " is an address of this host, which the kernel refuses as"
        + " an IPv6 gateway";
  }

  /** "gateway 10.9.0.1 is on no subnet of interface eth2 (172.31.64.0/20)": off the link. */
  private static String offLink(InetAddress gateway, DeviceSelector dev, LinkMessage link, InterfaceView interfaces) {
    int family = gateway instanceof java.net.Inet4Address ? Family.INET : Family.INET6;
    String listed = interfaces.onLink(link.index(), family).stream().map(IpPrefix::toString).distinct().limit(4)
        .collect(java.util.stream.Collectors.joining(", "));
    return "gateway " + IpAddresses.format(gateway) + " is on no subnet of " + interfaceWords(dev, link)
        + " (" + listed + ")";
  }

  /** "interface eth2" for a name as written; "interface eth3 (mac:0a:...)" for a selector. */
  private static String interfaceWords(DeviceSelector dev, LinkMessage link) {
    if (link == null) {
      return "the route (no dev)";
    }
    return dev instanceof DeviceSelector.Name
        ? dev.what()
        : "interface " + link.name() + " (" + dev.describe() + ")";
  }

  private static String ambiguous(DeviceSelector dev, List<LinkMessage> links) {
    return "dev " + dev.describe() + " matches " + links.size() + " interfaces: "
        + String.join(", ", links.stream().map(LinkMessage::name).toList())
        + "; a route leaves by one: make the selector narrower, or name the interface";
  }

  static int kernelType(RouteType type) {
    return switch (type) {
      case UNICAST -> Rtnetlink.RTN_UNICAST;
      case BLACKHOLE -> Rtnetlink.RTN_BLACKHOLE;
      case UNREACHABLE -> Rtnetlink.RTN_UNREACHABLE;
      case PROHIBIT -> Rtnetlink.RTN_PROHIBIT;
      case THROW -> Rtnetlink.RTN_THROW;
    };
  }

  /**
   * What differs between the route we want and the kernel's route with its key, in words; null
   * when nothing does. Attributes the request leaves to the kernel (the interface of a route given
   * only a gateway; the scope of an IPv6 route) do not count.
   */
  public String difference(RouteMessage wanted, RouteMessage found, IntFunction<String> interfaceName) {
    List<String> diffs = new ArrayList<>();
    if (found.protocol() != protocol) {
      diffs.add("proto " + RouteText.protocolName(found.protocol()));
    }
    if (found.type() != wanted.type()) {
      diffs.add("type " + RouteText.typeName(found.type()));
    }
    if (found.multipath() && !found.hasNextHops()) {
      diffs.add("next hops the agent does not describe (a nexthop object, or RTA_VIA)");
    } else if (wanted.hasNextHops() || found.hasNextHops()) {
      if (!NextHops.same(NextHops.of(wanted), NextHops.of(found))) {
        diffs.add(NextHops.describe(found, interfaceName));
      }
    } else if (!Objects.equals(found.gateway(), wanted.gateway())) {
      diffs.add(found.gateway() == null ? "no gateway" : "via " + IpAddresses.format(found.gateway()));
    }
    if (!wanted.hasNextHops() && !found.hasNextHops()
        && wanted.outputInterface() != 0 && found.outputInterface() != wanted.outputInterface()) {
      diffs.add("dev " + interfaceName.apply(found.outputInterface()));
    }
    if (!Objects.equals(found.preferredSource(), wanted.preferredSource())) {
      diffs.add(found.preferredSource() == null ? "no src" : "src " + IpAddresses.format(found.preferredSource()));
    }
    if (!found.mtu().equals(wanted.mtu())) {
      diffs.add(found.mtu().isPresent() ? "mtu " + found.mtu().getAsInt() : "no mtu");
    }
    if ((found.flags() & Rtnetlink.RTNH_F_ONLINK) != (wanted.flags() & Rtnetlink.RTNH_F_ONLINK)) {
      diffs.add((found.flags() & Rtnetlink.RTNH_F_ONLINK) != 0 ? "onlink" : "not onlink");
    }
    // IPv6 reports every route as scope universe, whatever was asked.
    if (wanted.family() == Family.INET && found.scope() != wanted.scope()) {
      diffs.add("scope " + found.scope());
    }
    return diffs.isEmpty() ? null : "kernel has " + String.join(", ", diffs);
  }

  /**
   * The request that deletes exactly this owned route. The kernel matches a delete on what is
   * given: type 0 and scope RT_SCOPE_NOWHERE match any (RT_SCOPE_LINK would fail with ESRCH), the
   * protocol keeps a delete off foreign routes, and the priority, gateway and interface pin it.
   */
  private RouteMessage deletion(RouteMessage route) {
    return new RouteMessage(
        route.family(),
        route.destination(),
        route.tos(),
        route.table(),
        protocol,
        Rtnetlink.RT_SCOPE_NOWHERE,
        Rtnetlink.RTN_UNSPEC,
        0,
        route.gateway(),
        route.outputInterface(),
        route.priority(),
        null,
        OptionalInt.empty(),
        false,
        false,
        List.of());
  }
}
