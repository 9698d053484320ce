package io.routeagent.testing;

import io.routeagent.kernel.Errno;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.kernel.RequestOutcome;
import io.routeagent.kernel.RouteKernel;
import io.routeagent.kernel.RouteRequest;
import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.reconcile.RouteKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A kernel routing table with the semantics the reconciler relies on: install replaces the route
 * with the same key, delete removes the route the kernel would. eth2 (index
 * 2, 172.31.64.10/20) and eth0 (index 3, 192.0.2.10/24) exist and are up. {@link #failNext}
 * makes the next request answer with an errno.
 */
public final class FakeKernel implements RouteKernel {
  public final List<LinkMessage> links = new ArrayList<>(List.of(
      new LinkMessage(2, Rtnetlink.IFF_UP, "eth2", "0a:00:00:00:00:02", List.of()),
      new LinkMessage(3, Rtnetlink.IFF_UP, "eth0", "0a:00:00:00:00:03", List.of())));
  public final List<AddressMessage> addresses = new ArrayList<>(List.of(
      new AddressMessage(Family.INET, 20, 0, 0, 2, IpAddresses.parse("172.31.64.10").orElseThrow()),
      new AddressMessage(Family.INET, 24, 0, 0, 3, IpAddresses.parse("192.0.2.10").orElseThrow())));
  public final List<RouteMessage> routes = new ArrayList<>();
  public final List<RouteRequest> received = new ArrayList<>();
  private String failNext;

  public synchronized void failNext(String errnoName) {
    failNext = errnoName;
  }

  @Override
  public synchronized KernelSnapshot snapshot() {
    return new KernelSnapshot(links, addresses, routes);
  }

  @Override
  public synchronized List<RequestOutcome> execute(List<RouteRequest> requests) {
    List<RequestOutcome> outcomes = new ArrayList<>();
    for (RouteRequest request : requests) {
      received.add(request);
      if (failNext != null) {
        outcomes.add(new RequestOutcome(errno(failNext), "injected"));
        failNext = null;
        continue;
      }
      outcomes.add(request.kind() == RouteRequest.Kind.INSTALL ? install(request.route()) : delete(request.route()));
    }
    return outcomes;
  }

  /** A copy of the table, safe to take while another thread changes it. */
  public synchronized List<RouteMessage> routesNow() {
    return List.copyOf(routes);
  }

  /** Runs a change to the table as another program would, under the kernel's lock. */
  public synchronized void change(Runnable change) {
    change.run();
  }

  private RequestOutcome install(RouteMessage route) {
    if (route.outputInterface() != 0 && links.stream().noneMatch(l -> l.index() == route.outputInterface())) {
      return new RequestOutcome(errno("ENODEV"), null);
    }
    RouteKey key = RouteKey.of(route);
    routes.removeIf(r -> RouteKey.of(r).equals(key));
    // The kernel reports what it stored: the metric it chose, and no request-only fields.
    routes.add(new RouteMessage(route.family(), route.destination(), route.tos(), route.table(),
        route.protocol(), route.scope(), route.type(), route.flags(), route.gateway(),
        route.outputInterface(),
        route.priority().isPresent() || route.family() == Family.INET
            ? route.priority()
            : OptionalInt.of(1024),
        route.preferredSource(), route.mtu(), false, false));
    return RequestOutcome.DONE;
  }

  /**
   * As fib_table_delete: without RTA_PRIORITY the delete takes the lowest-metric route that
   * matches the rest, because the kernel keeps a prefix's routes sorted by priority.
   */
  private RequestOutcome delete(RouteMessage request) {
    RouteMessage victim = routes.stream()
        .filter(r -> r.family() == request.family()
            && r.destination().equals(request.destination())
            && r.table() == request.table()
            && (request.protocol() == 0 || r.protocol() == request.protocol())
            && (request.priority().isEmpty() || r.priority().orElse(0) == request.priority().getAsInt())
            && (request.gateway() == null || Objects.equals(r.gateway(), request.gateway()))
            && (request.outputInterface() == 0 || r.outputInterface() == request.outputInterface()))
        .min(java.util.Comparator.comparingLong(r -> Integer.toUnsignedLong(r.priority().orElse(0))))
        .orElse(null);
    if (victim == null) {
      return new RequestOutcome(errno("ESRCH"), null);
    }
    routes.remove(victim);
    return RequestOutcome.DONE;
  }

  public static Errno errno(String name) {
    return Errno.of(jnr.constants.platform.Errno.valueOf(name).intValue());
  }
}
