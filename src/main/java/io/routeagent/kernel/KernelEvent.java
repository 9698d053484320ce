package io.routeagent.kernel;

import io.routeagent.netlink.RouteMessage;

/** A notification from the kernel's multicast groups, decoded as far as the daemon needs. */
public sealed interface KernelEvent {
  /** RTM_NEWROUTE or RTM_DELROUTE: the route as the kernel has (or had) it. */
  record RouteChanged(boolean deleted, RouteMessage route) implements KernelEvent {}

  /**
   * RTM_NEWLINK/DELLINK or RTM_NEWADDR/DELADDR. The kernel flushes the IPv4 routes of a link that
   * goes down or loses an address without sending RTM_DELROUTE, so such an event means "re-read
   * the table", and its details do not matter. Not even the interface: a removed address also
   * takes the routes of other interfaces that use it as their preferred source.
   *
   * @param cause link-up, link-down, link-removed, address-added or address-removed
   */
  record InterfaceChanged(String cause) implements KernelEvent {
    /** The cause of a link that came up with a carrier. */
    public static final String LINK_UP = "link-up";

    /** Whether a link came up with a carrier: what the routes it took wait for. */
    public boolean linkUp() {
      return cause.equals(LINK_UP);
    }
  }

  /** RTM_NEWRULE or RTM_DELRULE: rules are few, so any change re-reads them all. */
  record RuleChanged() implements KernelEvent {}
}
