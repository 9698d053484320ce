package io.routeagent.reconcile;

import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.net.Family;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.netlink.RuleMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * What the planner reads from the kernel, besides its routes, to resolve an IPv4 entry whose
 * {@code dev} is a name or a MAC address: the interfaces (index, names, MAC, up or not; not their
 * other flags, which a carrier coming and going changes), the IPv4 addresses (the gateway's subnet,
 * the subnet router, the guard rails' connected subnets) and the rules (the tables a catch-all rule
 * exposes to the guard rails). Two snapshots with equal facts resolve such an entry alike. The
 * routes are left out: they count only for whether the kernel accepts a gateway, and the kernel
 * checks that itself when a route is sent.
 */
record ResolutionFacts(List<LinkMessage> links, List<AddressMessage> ipv4Addresses, List<RuleMessage> rules) {
  static ResolutionFacts of(KernelSnapshot snapshot) {
    List<LinkMessage> links = new ArrayList<>(snapshot.links().size());
    for (LinkMessage link : snapshot.links()) {
      links.add(new LinkMessage(link.index(), link.flags() & Rtnetlink.IFF_UP, link.name(), link.mac(), link.altNames()));
    }
    List<AddressMessage> ipv4 = new ArrayList<>();
    for (AddressMessage address : snapshot.addresses()) {
      if (address.family() == Family.INET) {
        ipv4.add(address);
      }
    }
    return new ResolutionFacts(List.copyOf(links), List.copyOf(ipv4), snapshot.rules());
  }

  /** Whether the snapshot had this interface, down. */
  boolean isDown(int index) {
    for (LinkMessage link : links) {
      if (link.index() == index) {
        return !link.isUp();
      }
    }
    return false;
  }

  /** Whether the snapshot had this interface, up. */
  boolean isUp(int index) {
    for (LinkMessage link : links) {
      if (link.index() == index) {
        return link.isUp();
      }
    }
    return false;
  }
}
