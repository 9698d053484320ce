package io.routeagent.reconcile;

import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.net.Family;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import java.util.List;

/**
 * What the planner reads from the kernel's interfaces to resolve an IPv4 entry whose {@code dev}
 * is a name or a MAC address: their index, names and MAC (which interface a selector finds) and
 * their IPv4 addresses (the gateway's subnet, the subnet router, the guard rails' connected
 * subnets). Whether the chosen interface is up is asked apart ({@link #isUp}): another link going
 * down or up changes nothing of these entries. Under one config (the tables the guard rails extend
 * to are the config's rules, not the kernel's), equal facts resolve such an entry alike, but for
 * one input left out: a gateway reachable only through a route to the link (`ip route add
 * 10.9.0.0/16 dev eth2`, not an address's subnet), which may have gone with the link; the kernel
 * refuses a route through such a gateway (ENETUNREACH) when it is sent, and the full reconcile
 * that follows judges it.
 *
 * <p>Kept as text, one line per interface and address, so that comparing two costs no record's
 * equals: those are bootstrapped at their first call, which the bundle's AOT cache does not hold,
 * and the first link flap after a start would pay for it. Interface names hold no blank.
 */
final class ResolutionFacts {
  private final List<LinkMessage> links;
  private final String text;

  private ResolutionFacts(List<LinkMessage> links, String text) {
    this.links = links;
    this.text = text;
  }

  static ResolutionFacts of(KernelSnapshot snapshot) {
    StringBuilder text = new StringBuilder();
    for (LinkMessage link : snapshot.links()) {
      text.append("link ").append(link.index()).append(' ').append(link.name()).append(' ').append(link.mac());
      for (String alt : link.altNames()) {
        text.append(' ').append(alt);
      }
      text.append('\n');
    }
    for (AddressMessage address : snapshot.addresses()) {
      if (address.family() == Family.INET) {
        text.append("inet ").append(address.index()).append(' ').append(address.address().getHostAddress())
            .append('/').append(address.prefixLength()).append(" scope ").append(address.scope())
            .append(" flags ").append(address.flags()).append('\n');
      }
    }
    return new ResolutionFacts(snapshot.links(), text.toString());
  }

  /** Whether the snapshot had this interface, down. */
  boolean isDown(int index) {
    LinkMessage link = link(index);
    return link != null && !link.isUp();
  }

  /** Whether the snapshot had this interface, up. */
  boolean isUp(int index) {
    LinkMessage link = link(index);
    return link != null && link.isUp();
  }

  private LinkMessage link(int index) {
    for (LinkMessage link : links) {
      if (link.index() == index) {
        return link;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof ResolutionFacts f && text.equals(f.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
