package io.routeagent.kernel;

import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.RouteMessage;
import java.util.List;

/** What the kernel reported in one pass: interfaces, their addresses, and the routes. */
public record KernelSnapshot(
    List<LinkMessage> links, List<AddressMessage> addresses, List<RouteMessage> routes) {
  public KernelSnapshot {
    links = List.copyOf(links);
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
  }
}
