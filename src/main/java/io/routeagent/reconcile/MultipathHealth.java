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
 * Which next hops of a multipath entry are down, judged from those the entry cannot install now
 * and from the kernel's route: a next hop is down when the kernel does not hold it, or marks it
 * dead or linkdown. One the kernel holds alive is up, even when the entry could not add it now (an
 * IPv6 link back up without its global address keeps its next hop): it is left in place, and a
 * note says that it could not be added again.
 */
final class MultipathHealth {
  private MultipathHealth() {}

  /**
   * A next hop of the entry that cannot be installed now.
   *
   * @param resolved the next hop as it would be installed, or null when it cannot be resolved (its
   *     interface is absent, or has no subnet for subnet-router)
   * @param via its gateway in words, or null
   * @param dev its interface's name, or the entry's selector when none matches; or null
   * @param why why not now: "interface eth3 is down"
   * @param offLink its gateway is on none of its interface's subnets (the kernel would refuse the
   *     whole route), rather than waiting for its interface
   */
  record Unusable(NextHop resolved, String via, String dev, String why, boolean offLink) {}

  /** @param notes next hops the kernel holds alive that the entry could not add now */
  record Judgement(List<DownNextHop> down, List<String> notes) {
    static final Judgement NONE = new Judgement(List.of(), List.of());
  }

  /**
   * @param found the kernel's route with the entry's key, null when there is none or it is about
   *     to be replaced (then every next hop that cannot be installed now is down)
   */
  static Judgement judge(List<Unusable> unusable, RouteMessage found, IntFunction<String> names) {
    List<NextHop> kernel = found == null ? List.of() : NextHops.of(found);
    boolean[] matched = new boolean[kernel.size()];
    List<DownNextHop> down = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Unusable hop : unusable) {
      int k = hop.resolved() == null ? -1 : match(hop.resolved(), kernel, matched);
      if (k < 0) {
        down.add(new DownNextHop(hop.via(), hop.dev(), hop.offLink()
            ? hop.why() + ", left out: correct its `via`, or add `onlink: true` to it if the gateway is reachable on"
                + " that link"
            : hop.why()));
        continue;
      }
      matched[k] = true;
      NextHop held = kernel.get(k);
      if (held.down()) {
        down.add(new DownNextHop(hop.via(), hop.dev(), hop.why() + "; the kernel keeps it " + marks(held)));
      } else if (hop.offLink()) {
        notes.add("the kernel still holds next hop " + words(hop) + " although " + hop.why() + ": it is left in"
            + " place, but cannot be checked, nor added again if it goes, until the interface has an address on"
            + " the gateway's subnet again");
      } else {
        notes.add("the kernel still holds next hop " + words(hop) + " although " + hop.why() + ": it is left in"
            + " place, but could not be added again if it went until then");
      }
    }
    for (int i = 0; i < kernel.size(); i++) {
      NextHop held = kernel.get(i);
      if (!matched[i] && held.down()) {
        down.add(new DownNextHop(held.gateway() == null ? null : IpAddresses.format(held.gateway()),
            held.interfaceIndex() == 0 ? null : names.apply(held.interfaceIndex()),
            "the kernel marks it " + marks(held)));
      }
    }
    return down.isEmpty() && notes.isEmpty() ? Judgement.NONE : new Judgement(down, notes);
  }

  /** The kernel's next hop that is {@code wanted} whatever its weight and marks, not yet matched; or -1. */
  private static int match(NextHop wanted, List<NextHop> kernel, boolean[] matched) {
    for (int i = 0; i < kernel.size(); i++) {
      NextHop held = kernel.get(i);
      if (!matched[i] && Objects.equals(held.gateway(), wanted.gateway())
          && (wanted.interfaceIndex() == 0 || wanted.interfaceIndex() == held.interfaceIndex())) {
        return i;
      }
    }
    return -1;
  }

  private static String words(Unusable hop) {
    return hop.via() == null ? "dev " + hop.dev() : "via " + hop.via() + (hop.dev() == null ? "" : " dev " + hop.dev());
  }

  /** "dead linkdown", "dead", "linkdown": as {@code ip route} prints them. */
  private static String marks(NextHop hop) {
    boolean dead = (hop.flags() & Rtnetlink.RTNH_F_DEAD) != 0;
    boolean linkdown = (hop.flags() & Rtnetlink.RTNH_F_LINKDOWN) != 0;
    return dead && linkdown ? "dead linkdown" : dead ? "dead" : "linkdown";
  }
}
