package io.routeagent.kernel;

import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.RouteDigest;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.RuleMessage;
import java.util.List;

/** What the kernel reported in one pass: interfaces, their addresses, the routes and the rules. */
public record KernelSnapshot(
    List<LinkMessage> links,
    List<AddressMessage> addresses,
    List<RouteMessage> routes,
    List<RuleMessage> rules) {
  public KernelSnapshot {
    links = List.copyOf(links);
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
    rules = List.copyOf(rules);
  }

  /**
   * What a snapshot would hold with its routes only as a digest: equal for two reads of a kernel
   * whose interfaces, addresses, rules and routes did not change.
   */
  public record Summary(List<LinkMessage> links, List<AddressMessage> addresses, List<RuleMessage> rules,
      RouteDigest.Value routes) {
    public Summary {
      links = List.copyOf(links);
      addresses = List.copyOf(addresses);
      rules = List.copyOf(rules);
    }
  }

  public Summary summary() {
    RouteDigest digest = new RouteDigest();
    routes.forEach(digest::add);
    return new Summary(links, addresses, rules, digest.value());
  }

  /** A snapshot without rules. */
  public KernelSnapshot(List<LinkMessage> links, List<AddressMessage> addresses, List<RouteMessage> routes) {
    this(links, addresses, routes, List.of());
  }
}
