package io.routeagent.migrate;

import io.routeagent.config.RuleSpec;
import io.routeagent.config.TableNames;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.net.Family;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.NextHop;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.netlink.RuleMessage;
import io.routeagent.reconcile.InterfaceView;
import io.routeagent.reconcile.RouteText;
import io.routeagent.reconcile.RulePlanner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes and rules a kernel snapshot holds that someone configured, as routes file entries:
 * what {@code route-agent import --from-kernel} writes. Pure. Left out: routes the kernel made for
 * its addresses (protocol kernel), the local table, cached clones, the kernel's own rules, and
 * ec2-net-utils' rules and tables (10000-11999), which it maintains itself; listed as rejected:
 * routes through nexthop objects, source-specific routes, and rules with selectors the routes file
 * cannot express. A multipath route is written with its next hops, without the kernel's liveness
 * marks.
 * Written commented out: routes that only {@code override} would let in (the platform's default
 * route), since an entry for another owner's route makes the agent adopt it.
 */
public final class KernelExport {
  private final EntryChecker checker;

  public KernelExport(TableNames tables) {
    this.checker = new EntryChecker(tables);
  }

  /**
   * @param onlyInterface keep only the routes through this interface (its name or an alternative
   *     name) and the rules naming it, or null for all
   * @throws UnknownInterface when the snapshot has no interface of that name
   */
  public Translation export(KernelSnapshot snapshot, String onlyInterface) throws UnknownInterface {
    Map<Integer, String> names = new HashMap<>();
    for (LinkMessage link : snapshot.links()) {
      names.put(link.index(), link.name());
    }
    LinkMessage only = null;
    if (onlyInterface != null) {
      only = new InterfaceView(snapshot).named(onlyInterface)
          .orElseThrow(() -> new UnknownInterface(onlyInterface, snapshot.links()));
    }
    List<Entry> routes = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (RouteMessage route : snapshot.routes()) {
      if (route.protocol() == Rtnetlink.RTPROT_KERNEL
          || route.table() == Rtnetlink.RT_TABLE_LOCAL
          || RuleSpec.isEc2NetUtils(route.table())
          || (route.flags() & Rtnetlink.RTM_F_CLONED) != 0
          || (only != null && !through(route, only.index()))) {
        continue;
      }
      String text = RouteText.describe(withoutLiveness(route), index -> names.getOrDefault(index, "if#" + index));
      String origin = "kernel: " + text + " proto " + RouteText.protocolName(route.protocol());
      try {
        if (route.multipath() && !route.hasNextHops()) {
          throw new Untranslatable("a route through a nexthop object (nhid) or an RTA_VIA gateway, which the"
              + " routes file cannot express");
        }
        if (route.hasSourcePrefix()) {
          throw new Untranslatable("a source-specific (from) route, which the routes file cannot express");
        }
        routes.add(checker.kernelRoute(origin, entryText(route, text)));
      } catch (Untranslatable e) {
        rejected.add(new Rejection(0, origin, e.getMessage()));
      }
    }
    List<Entry> rules = new ArrayList<>();
    for (RuleMessage rule : snapshot.rules()) {
      boolean kernels = !rule.otherSelectors() && !RulePlanner.isJudged(rule);
      boolean throughInterface = only == null || isNamed(only, rule.inputInterface()) || isNamed(only, rule.outputInterface());
      if (kernels || RuleSpec.isEc2NetUtils(rule.priority()) || !throughInterface) {
        continue;
      }
      String text = RulePlanner.describe(rule);
      String origin = "kernel: " + text + " proto " + RouteText.protocolName(rule.protocolOrUnspec());
      try {
        if (rule.otherSelectors()) {
          throw new Untranslatable("a rule with selectors the routes file cannot express (tos, not, uid"
              + " range, ports, ...)");
        }
        rules.add(checker.rule(origin, text));
      } catch (Untranslatable e) {
        rejected.add(new Rejection(0, origin, e.getMessage()));
      }
    }
    return new Translation(routes, rules, rejected);
  }

  /** Whether the route leaves by that interface: its own, or one of its next hops'. */
  private static boolean through(RouteMessage route, int index) {
    return route.outputInterface() == index || route.nextHops().stream().anyMatch(hop -> hop.interfaceIndex() == index);
  }

  /** Whether a rule's iif or oif (the name it was given, null for none) is this interface's. */
  private static boolean isNamed(LinkMessage link, String name) {
    return name != null && (link.name().equals(name) || link.altNames().contains(name));
  }

  /** The route without the kernel's dead/linkdown marks on its next hops: they are no one's wish. */
  private static RouteMessage withoutLiveness(RouteMessage r) {
    if (!r.hasNextHops()) {
      return r;
    }
    List<NextHop> hops = r.nextHops().stream()
        .map(h -> new NextHop(h.flags() & Rtnetlink.RTNH_F_ONLINK, h.weight(), h.interfaceIndex(), h.gateway()))
        .toList();
    return new RouteMessage(r.family(), r.destination(), r.tos(), r.table(), r.protocol(), r.scope(), r.type(),
        r.flags(), r.gateway(), r.outputInterface(), r.priority(), r.preferredSource(), r.mtu(),
        r.hasSourcePrefix(), true, hops);
  }

  /**
   * RouteText writes routes in the routes file's own words, but "default" reads back as IPv4
   * unless an IPv6 gateway says otherwise: spell out an IPv6 default without one.
   */
  private static String entryText(RouteMessage route, String text) {
    if (route.family() == Family.INET6 && route.destination().isDefault() && route.gateway() == null) {
      return text.replaceFirst("(^|\\s)default(\\s|$)", "$1::/0$2");
    }
    return text;
  }
}
