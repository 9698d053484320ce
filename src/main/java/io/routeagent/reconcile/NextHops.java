package io.routeagent.reconcile;

import io.routeagent.net.IpAddresses;
import io.routeagent.netlink.NextHop;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A route's paths as a set of next hops, whether it has one (RTA_GATEWAY, RTA_OIF) or several
 * (RTA_MULTIPATH), compared the way the kernel keys them: the order of RTA_MULTIPATH and the
 * kernel's liveness marks (dead, linkdown) do not count; a weight does, except on a route of one
 * path, which has none.
 */
final class NextHops {
  private NextHops() {}

  /** The route's next hops; a single path is one of weight 1; a reject route has none. */
  static List<NextHop> of(RouteMessage route) {
    if (route.hasNextHops()) {
      return route.nextHops();
    }
    if (route.gateway() == null && route.outputInterface() == 0) {
      return List.of();
    }
    return List.of(new NextHop(route.flags() & Rtnetlink.RTNH_F_ONLINK, 1, route.outputInterface(), route.gateway()));
  }

  /**
   * Whether the kernel's next hops are the wanted ones. A wanted next hop without an interface
   * (a gateway the kernel finds the link of) matches any interface: those are matched last, so
   * that one does not take the kernel's next hop that a wanted one with an interface needs.
   */
  static boolean same(List<NextHop> wanted, List<NextHop> found) {
    if (wanted.size() != found.size()) {
      return false;
    }
    boolean single = wanted.size() == 1;
    boolean[] used = new boolean[found.size()];
    for (int pass = 0; pass < 2; pass++) {
      for (NextHop w : wanted) {
        if ((w.interfaceIndex() == 0) != (pass == 1)) {
          continue;
        }
        int match = -1;
        for (int i = 0; i < found.size() && match < 0; i++) {
          if (!used[i] && matches(w, found.get(i), single)) {
            match = i;
          }
        }
        if (match < 0) {
          return false;
        }
        used[match] = true;
      }
    }
    return true;
  }

  private static boolean matches(NextHop wanted, NextHop found, boolean single) {
    return Objects.equals(wanted.gateway(), found.gateway())
        && (wanted.interfaceIndex() == 0 || wanted.interfaceIndex() == found.interfaceIndex())
        && (single || wanted.weight() == found.weight())
        && (wanted.flags() & Rtnetlink.RTNH_F_ONLINK) == (found.flags() & Rtnetlink.RTNH_F_ONLINK);
  }

  /** "next hops via 172.31.64.1 dev eth2 weight 1, via 172.31.80.1 dev eth3 weight 3 (dead)". */
  static String describe(RouteMessage route, IntFunction<String> interfaceName) {
    List<NextHop> hops = of(route);
    if (hops.isEmpty()) {
      return "no next hop";
    }
    List<String> words = new ArrayList<>(hops.size());
    for (NextHop hop : hops) {
      words.add(describe(hop, interfaceName, hops.size() > 1));
    }
    return (hops.size() > 1 ? "next hops " : "a single path ") + String.join(", ", words);
  }

  /** "via 172.31.64.1 dev eth2 weight 3 onlink", with "dead" or "linkdown" when the kernel says so. */
  static String describe(NextHop hop, IntFunction<String> interfaceName, boolean weighted) {
    StringBuilder sb = new StringBuilder();
    if (hop.gateway() != null) {
      sb.append("via ").append(IpAddresses.format(hop.gateway()));
    }
    if (hop.interfaceIndex() != 0) {
      sb.append(sb.length() > 0 ? " " : "").append("dev ").append(interfaceName.apply(hop.interfaceIndex()));
    }
    if (weighted) {
      sb.append(" weight ").append(hop.weight());
    }
    if ((hop.flags() & Rtnetlink.RTNH_F_ONLINK) != 0) {
      sb.append(" onlink");
    }
    if ((hop.flags() & Rtnetlink.RTNH_F_DEAD) != 0) {
      sb.append(" dead");
    }
    if ((hop.flags() & Rtnetlink.RTNH_F_LINKDOWN) != 0) {
      sb.append(" linkdown");
    }
    return sb.toString();
  }
}
