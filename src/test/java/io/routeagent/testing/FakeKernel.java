package io.routeagent.testing;

import io.routeagent.kernel.Errno;
import io.routeagent.kernel.KernelEvent;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.KernelRequest;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.kernel.RequestOutcome;
import io.routeagent.kernel.RouteKernel;
import io.routeagent.kernel.RouteRequest;
import io.routeagent.kernel.RuleRequest;
import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.RuleMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.netlink.RouteKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A kernel routing table with the semantics the reconciler relies on: install replaces the route
 * with the same key, create adds only where there is none (EEXIST), delete removes the route the
 * kernel would. eth2 (index 2, 172.31.64.10/20) and eth0 (index 3, 192.0.2.10/24) exist and are
 * up. {@link #failNextRequestFor} makes the next request for a destination answer with an errno
 * ({@link #failNext}: whatever request comes next); {@link #withoutRuleProtocol} makes it a kernel
 * before 4.17, which neither keeps nor reports a rule's FRA_PROTOCOL.
 *
 * <p>A test sets the kernel up with the {@code with…} methods (no notification: the state before the
 * test begins, or a change nobody hears of) and reads it with the {@code …Now} methods and
 * {@link #requests}, which return copies; all of them hold the kernel's lock.
 *
 * <p>With {@link #notifying} it also sends the notifications its changes cause, as the kernel's
 * multicast groups do: each change a request makes echoes back, and the {@code ip…} methods make
 * the changes another program would, with the kernel's notifications (and its silences: a link
 * that goes down or away loses its IPv4 routes without an RTM_DELROUTE).
 */
public final class FakeKernel implements RouteKernel {
  private final List<LinkMessage> links = new ArrayList<>(List.of(
      new LinkMessage(2, Rtnetlink.IFF_UP, "eth2", "0a:00:00:00:00:02", List.of()),
      new LinkMessage(3, Rtnetlink.IFF_UP, "eth0", "0a:00:00:00:00:03", List.of())));
  private final List<AddressMessage> addresses = new ArrayList<>(List.of(
      new AddressMessage(Family.INET, 20, 0, 0, 2, IpAddresses.parse("172.31.64.10").orElseThrow()),
      new AddressMessage(Family.INET, 24, 0, 0, 3, IpAddresses.parse("192.0.2.10").orElseThrow())));
  private final List<RouteMessage> routes = new ArrayList<>();
  private final List<RouteRequest> received = new ArrayList<>();
  /** The kernel's own rules 0, 32766 and 32767 for IPv4, as a fresh namespace has them. */
  private final List<RuleMessage> rules = new ArrayList<>(List.of(
      kernelRule(0, Rtnetlink.RT_TABLE_LOCAL), kernelRule(32766, Rtnetlink.RT_TABLE_MAIN), kernelRule(32767, 253)));
  private final List<RuleRequest> receivedRules = new ArrayList<>();
  /** Failures to inject, each once, into the first request its target matches. */
  private final List<Failure> failures = new ArrayList<>();
  private String failAll;
  private String failNextInterfacesRead;
  private boolean withoutRuleProtocol;
  private Consumer<KernelEvent> listener = event -> {};

  /**
   * Adds eth3 (index 4, up, 172.31.80.10/20, its router 172.31.80.1) beside eth2 (index 2,
   * 172.31.64.10/20), as a second VPC interface; without a notification (a test's set-up).
   */
  public synchronized FakeKernel withEth3() {
    links.add(new LinkMessage(4, Rtnetlink.IFF_UP, "eth3", "0a:00:00:00:00:04", List.of()));
    addresses.add(new AddressMessage(Family.INET, 20, 0, 0, 4, IpAddresses.parse("172.31.80.10").orElseThrow()));
    return this;
  }

  /** From now on, tells {@code listener} of every change, as the event socket would read it. */
  public synchronized FakeKernel notifying(Consumer<KernelEvent> listener) {
    this.listener = listener;
    return this;
  }

  /** As `ip route replace` by another program: RTM_NEWROUTE. */
  public synchronized void ipRouteReplace(RouteMessage route) {
    RouteKey key = RouteKey.of(route);
    routes.removeIf(r -> RouteKey.of(r).equals(key));
    routes.add(route);
    listener.accept(new KernelEvent.RouteChanged(false, route));
  }

  /** As `ip route del` by another program: RTM_DELROUTE. */
  public synchronized void ipRouteDelete(RouteMessage route) {
    if (routes.remove(route)) {
      listener.accept(new KernelEvent.RouteChanged(true, route));
    }
  }

  /**
   * As `ip link set up` or `down`: RTM_NEWLINK with the new flags; a link that goes down loses its
   * IPv4 routes, of which the kernel says nothing.
   */
  public synchronized void ipLinkSet(int index, boolean up) {
    links.replaceAll(l -> l.index() == index
        ? new LinkMessage(index, up ? l.flags() | Rtnetlink.IFF_UP : l.flags() & ~Rtnetlink.IFF_UP, l.name(), l.mac(),
            l.altNames())
        : l);
    if (!up) {
      flushSilently(index);
    }
    listener.accept(new KernelEvent.InterfaceChanged(up ? "link-up" : "link-down"));
  }

  /** As `ip link add`: RTM_NEWLINK. */
  public synchronized void ipLinkAdd(LinkMessage link) {
    links.add(link);
    listener.accept(new KernelEvent.InterfaceChanged((link.flags() & Rtnetlink.IFF_UP) != 0 ? "link-up" : "link-down"));
  }

  /** As `ip address add`: RTM_NEWADDR. */
  public synchronized void ipAddressAdd(AddressMessage address) {
    addresses.add(address);
    listener.accept(new KernelEvent.InterfaceChanged("address-added"));
  }

  /**
   * As `ip link del`: RTM_DELADDR for each of its addresses and RTM_DELLINK; its IPv4 routes go
   * without a word.
   */
  public synchronized void ipLinkDelete(int index) {
    flushSilently(index);
    List<AddressMessage> gone = addresses.stream().filter(a -> a.index() == index).toList();
    addresses.removeAll(gone);
    gone.forEach(a -> listener.accept(new KernelEvent.InterfaceChanged("address-removed")));
    links.removeIf(l -> l.index() == index);
    listener.accept(new KernelEvent.InterfaceChanged("link-removed"));
  }

  private void flushSilently(int index) {
    routes.removeIf(r -> r.family() == Family.INET && r.outputInterface() == index);
  }

  /** From now on, behave as a kernel before 4.17: rules are kept and dumped without FRA_PROTOCOL. */
  public synchronized FakeKernel withoutRuleProtocol() {
    withoutRuleProtocol = true;
    rules.replaceAll(RuleMessage::withoutProtocol);
    return this;
  }

  /** The next request, whatever it is, answers with this errno. */
  public synchronized void failNext(String errnoName) {
    failures.add(new Failure(request -> true, errnoName));
  }

  /**
   * The next request for a route to {@code destination} (as {@code 10.0.0.0/16}) answers with
   * this errno; the requests before it are done.
   */
  public synchronized void failNextRequestFor(String destination, String errnoName) {
    failures.add(new Failure(request -> request instanceof RouteRequest r
        && r.route().destination().toString().equals(destination), errnoName));
  }

  private record Failure(Predicate<KernelRequest> target, String errno) {}

  /** Adds these routes as they are, without a notification (set-up, or a change nobody hears of). */
  public synchronized FakeKernel withRoutes(RouteMessage... added) {
    routes.addAll(List.of(added));
    return this;
  }

  /** Removes the routes that match, without a notification. */
  public synchronized FakeKernel withoutRoutes(Predicate<? super RouteMessage> gone) {
    routes.removeIf(gone);
    return this;
  }

  /** Replaces each route by what {@code change} makes of it, in place, without a notification. */
  public synchronized FakeKernel withRoutesChanged(UnaryOperator<RouteMessage> change) {
    routes.replaceAll(change);
    return this;
  }

  /** Adds these rules as they are (not as {@link #withoutRuleProtocol} would keep them). */
  public synchronized FakeKernel withRules(RuleMessage... added) {
    rules.addAll(List.of(added));
    return this;
  }

  /** Removes the rules that match, without a notification. */
  public synchronized FakeKernel withoutRules(Predicate<? super RuleMessage> gone) {
    rules.removeIf(gone);
    return this;
  }

  /** Adds a link, or replaces in place the link with its index; without a notification. */
  public synchronized FakeKernel withLink(LinkMessage link) {
    int at = indexOf(links, l -> l.index() == link.index());
    if (at < 0) {
      links.add(link);
    } else {
      links.set(at, link);
    }
    return this;
  }

  /** Removes the links that match (without their addresses or routes), without a notification. */
  public synchronized FakeKernel withoutLinks(Predicate<? super LinkMessage> gone) {
    links.removeIf(gone);
    return this;
  }

  /** Replaces in place the link with index {@code index} (by a renamed or recreated one). */
  public synchronized FakeKernel replacingLink(int index, LinkMessage link) {
    int at = indexOf(links, l -> l.index() == index);
    if (at < 0) {
      throw new IllegalArgumentException("no link " + index);
    }
    links.set(at, link);
    return this;
  }

  /** Adds these addresses after the others, without a notification. */
  public synchronized FakeKernel withAddresses(AddressMessage... added) {
    addresses.addAll(List.of(added));
    return this;
  }

  /** Adds this address before the others (the first address of its link). */
  public synchronized FakeKernel withFirstAddress(AddressMessage address) {
    addresses.add(0, address);
    return this;
  }

  /** Removes the addresses that match, without a notification. */
  public synchronized FakeKernel withoutAddresses(Predicate<? super AddressMessage> gone) {
    addresses.removeIf(gone);
    return this;
  }

  private static <T> int indexOf(List<T> list, Predicate<? super T> match) {
    for (int i = 0; i < list.size(); i++) {
      if (match.test(list.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** A copy of the links. */
  public synchronized List<LinkMessage> linksNow() {
    return List.copyOf(links);
  }

  /** A copy of the rules, as the kernel keeps them. */
  public synchronized List<RuleMessage> rulesNow() {
    return List.copyOf(rules);
  }

  /** The route requests received so far, in order (a copy). */
  public synchronized List<RouteRequest> requests() {
    return List.copyOf(received);
  }

  /** The rule requests received so far, in order (a copy). */
  public synchronized List<RuleRequest> ruleRequests() {
    return List.copyOf(receivedRules);
  }

  /** Forgets the route and rule requests received so far. */
  public synchronized FakeKernel forgetRequests() {
    received.clear();
    receivedRules.clear();
    return this;
  }

  /** From now on, answer every request with this errno (as a kernel does to a process without privilege). */
  public synchronized void failAll(String errnoName) {
    failAll = errnoName;
  }

  /**
   * The next read of the interfaces and addresses alone ({@link #interfaces}) fails with this
   * errno, as a dump the kernel cannot finish does.
   */
  public synchronized void failNextInterfacesRead(String errnoName) {
    failNextInterfacesRead = errnoName;
  }

  @Override
  public synchronized KernelSnapshot interfaces() throws KernelException {
    if (failNextInterfacesRead != null) {
      Errno failure = errno(failNextInterfacesRead);
      failNextInterfacesRead = null;
      throw new KernelException(failure, "dumping the links", true, null);
    }
    return RouteKernel.super.interfaces();
  }

  @Override
  public synchronized KernelSnapshot snapshot() {
    return new KernelSnapshot(links, addresses, routes,
        withoutRuleProtocol ? rules.stream().map(RuleMessage::withoutProtocol).toList() : rules);
  }

  private static RuleMessage kernelRule(long priority, long table) {
    return new RuleMessage(Family.INET, null, null, table, io.routeagent.netlink.FibRules.FR_ACT_TO_TBL, 0,
        null, null, OptionalInt.empty(), OptionalInt.empty(), priority, Rtnetlink.RTPROT_KERNEL, false);
  }

  @Override
  public synchronized List<RequestOutcome> execute(List<? extends KernelRequest> requests) {
    List<RequestOutcome> outcomes = new ArrayList<>();
    for (KernelRequest any : requests) {
      if (any instanceof RouteRequest request) {
        received.add(request);
      } else if (any instanceof RuleRequest request) {
        receivedRules.add(request);
      }
      if (failAll != null) {
        outcomes.add(new RequestOutcome(errno(failAll), "injected"));
        continue;
      }
      Failure failure = failures.stream().filter(f -> f.target().test(any)).findFirst().orElse(null);
      if (failure != null) {
        failures.remove(failure);
        outcomes.add(new RequestOutcome(errno(failure.errno()), "injected"));
        continue;
      }
      if (any instanceof RouteRequest r) {
        outcomes.add(switch (r.kind()) {
          case INSTALL -> install(r.route());
          case CREATE -> routes.stream().anyMatch(k -> RouteKey.of(k).equals(RouteKey.of(r.route())))
              ? new RequestOutcome(errno("EEXIST"), null)
              : install(r.route());
          case DELETE -> delete(r.route());
        });
      } else if (any instanceof RuleRequest r) {
        RequestOutcome outcome = r.kind() == RuleRequest.Kind.ADD ? addRule(r.rule()) : deleteRule(r.rule());
        outcomes.add(outcome);
        if (outcome == RequestOutcome.DONE) {
          listener.accept(new KernelEvent.RuleChanged());
        }
      }
    }
    return outcomes;
  }

  /** A copy of the table, safe to take while another thread changes it. */
  public synchronized List<RouteMessage> routesNow() {
    return List.copyOf(routes);
  }

  /** As fib_nl_newrule with NLM_F_EXCL: EEXIST for a rule identical to one in place. */
  private RequestOutcome addRule(RuleMessage sent) {
    RuleMessage rule = withoutRuleProtocol ? sent.withoutProtocol() : sent;
    if (rules.contains(rule)) {
      return new RequestOutcome(errno("EEXIST"), null);
    }
    rules.add(rule);
    return RequestOutcome.DONE;
  }

  /** As fib_nl_delrule: the first rule that matches what the request gives ({@link RuleFind}). */
  private RequestOutcome deleteRule(RuleMessage request) {
    RuleMessage victim = RuleFind.first(request, rules, withoutRuleProtocol).orElse(null);
    if (victim == null) {
      return new RequestOutcome(errno("ENOENT"), null);
    }
    rules.remove(victim);
    return RequestOutcome.DONE;
  }

  private RequestOutcome install(RouteMessage route) {
    if (route.outputInterface() != 0 && links.stream().noneMatch(l -> l.index() == route.outputInterface())) {
      return new RequestOutcome(errno("ENODEV"), null);
    }
    for (io.routeagent.netlink.NextHop hop : route.nextHops()) {
      if (hop.interfaceIndex() != 0 && links.stream().noneMatch(l -> l.index() == hop.interfaceIndex())) {
        return new RequestOutcome(errno("ENODEV"), null);
      }
    }
    RouteKey key = RouteKey.of(route);
    routes.removeIf(r -> RouteKey.of(r).equals(key));
    // The kernel reports what it stored: the metric it chose, and no request-only fields.
    RouteMessage stored = new RouteMessage(route.family(), route.destination(), route.tos(), route.table(),
        route.protocol(), route.scope(), route.type(), route.flags(), route.gateway(),
        route.outputInterface(),
        route.priority().isPresent() || route.family() == Family.INET
            ? route.priority()
            : OptionalInt.of(1024),
        route.preferredSource(), route.mtu(), false, route.multipath(), route.nextHops());
    routes.add(stored);
    listener.accept(new KernelEvent.RouteChanged(false, stored));
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
    listener.accept(new KernelEvent.RouteChanged(true, victim));
    return RequestOutcome.DONE;
  }

  public static Errno errno(String name) {
    return Errno.of(jnr.constants.platform.Errno.valueOf(name).intValue());
  }
}
