package io.routeagent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.RouteType;
import io.routeagent.kernel.KernelException;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.RouteKey;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.state.DisplacedRouteFile;
import io.routeagent.testing.FakeKernel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For any observed table and any desired set: one apply converges (a second plan is empty), the
 * desired routes are in the table as ours, and no foreign route whose key is not desired changes;
 * a foreign route whose key was desired comes back when it no longer is.
 */
class PlannerProperties {
  private static final int PROTO = 157;

  record Observed(int third, int metric, int protocol, int gatewayHost) {}

  record Desired(int third, int metric, int gatewayHost) {}

  @Property(tries = 300)
  void oneApplyConvergesAndNeverTouchesAForeignRoute(
      @ForAll("observed") List<Observed> observed, @ForAll("desired") List<Desired> desired)
      throws KernelException {
    FakeKernel kernel = new FakeKernel();
    for (Observed o : observed) {
      kernel.withoutRoutes(r -> RouteKey.of(r).equals(RouteKey.of(route(o))));
      kernel.withRoutes(route(o));
    }
    Map<RouteKey, Desired> unique = desired.stream()
        .collect(Collectors.toMap(d -> new RouteKey(2, 254, prefix(d.third), 0, d.metric), Function.identity(), (a, b) -> a));
    List<RouteSpec> specs = new ArrayList<>();
    for (Desired d : unique.values()) {
      specs.add(new RouteSpec(new io.routeagent.config.Location("f", 1, 1), prefix(d.third),
          new io.routeagent.config.Gateway.Address(IpAddresses.parse("172.31.64." + d.gatewayHost).orElseThrow()),
          new io.routeagent.config.DeviceSelector.Name("eth2"), d.metric == 0 ? OptionalInt.empty() : OptionalInt.of(d.metric), 254, RouteType.UNICAST, null,
          OptionalInt.empty(), false, false, List.of()));
    }
    DesiredConfig config = new DesiredConfig(specs, List.of());
    List<RouteMessage> foreignBefore = kernel.routesNow().stream()
        .filter(r -> r.protocol() != PROTO && !unique.containsKey(RouteKey.of(r)))
        .toList();

    Reconciler reconciler = new Reconciler(kernel, new Planner(PROTO));
    ApplyResult result = reconciler.apply(config);

    assertThat(result.failed()).isFalse();
    assertThat(reconciler.plan(config).changes()).as("second plan").isEmpty();
    assertThat(kernel.routesNow()).containsAll(foreignBefore);
    Set<RouteKey> owned = new HashSet<>();
    for (RouteMessage r : kernel.routesNow()) {
      if (r.protocol() == PROTO) {
        owned.add(RouteKey.of(r));
      }
    }
    assertThat(owned).isEqualTo(unique.keySet());
    assertThat(kernel.requests())
        .filteredOn(q -> q.kind() == io.routeagent.kernel.RouteRequest.Kind.DELETE)
        .allMatch(q -> q.route().protocol() == PROTO);
  }

  /**
   * Issue 10: a foreign route that an entry displaced comes back, exactly as it was, when the
   * entry goes (also across a restart that keeps only the record on disk); with adoption not
   * allowed no foreign route changes at all.
   */
  @Property(tries = 200)
  void aForeignRouteComesBackWhenItsEntryGoesAndIsNeverTouchedWithoutAdoption(
      @ForAll("observed") List<Observed> observed,
      @ForAll("desired") List<Desired> desired,
      @ForAll("desired") List<Desired> later,
      @ForAll boolean restart,
      @ForAll boolean adoptionAllowed)
      throws Exception {
    FakeKernel kernel = new FakeKernel();
    for (Observed o : observed) {
      kernel.withoutRoutes(r -> RouteKey.of(r).equals(RouteKey.of(route(o))));
      kernel.withRoutes(route(o));
    }
    List<RouteMessage> foreignBefore = kernel.routesNow().stream().filter(r -> r.protocol() != PROTO).toList();
    java.nio.file.Path state = java.nio.file.Files.createTempDirectory("displaced");
    try {
      DisplacedRouteFile file = new DisplacedRouteFile(state.resolve("net.displaced-routes"), w -> {});
      Reconciler first = new Reconciler(kernel, new Planner(PROTO), null, file);
      first.apply(policed(configOf(desired), adoptionAllowed));
      if (!adoptionAllowed) {
        assertThat(kernel.routesNow()).as("without adoption").containsAll(foreignBefore);
      }
      Reconciler second = restart
          ? new Reconciler(kernel, new Planner(PROTO), null,
              new DisplacedRouteFile(state.resolve("net.displaced-routes"), w -> {}))
          : first;
      DesiredConfig next = policed(configOf(later), adoptionAllowed);
      Set<RouteKey> stillDesired = next.routes().stream().map(RouteSpec::key).collect(Collectors.toSet());
      second.apply(next);
      assertThat(kernel.routesNow()).containsAll(foreignBefore.stream()
          .filter(r -> !adoptionAllowed || !stillDesired.contains(RouteKey.of(r)))
          .toList());
    } finally {
      try (var files = java.nio.file.Files.list(state)) {
        for (java.nio.file.Path f : files.toList()) {
          java.nio.file.Files.delete(f);
        }
      }
      java.nio.file.Files.delete(state);
    }
  }

  /** {@code config} as it is, or under an admin policy that leaves out {@code adopt}. */
  private static DesiredConfig policed(DesiredConfig config, boolean adoptionAllowed) throws Exception {
    return adoptionAllowed ? config : AdoptionTest.withoutAdoption(config);
  }

  private static DesiredConfig configOf(List<Desired> desired) {
    Map<RouteKey, Desired> unique = desired.stream()
        .collect(Collectors.toMap(d -> new RouteKey(2, 254, prefix(d.third), 0, d.metric), Function.identity(), (a, b) -> a));
    List<RouteSpec> specs = new ArrayList<>();
    for (Desired d : unique.values()) {
      specs.add(new RouteSpec(new io.routeagent.config.Location("f", 1, 1), prefix(d.third),
          new io.routeagent.config.Gateway.Address(IpAddresses.parse("172.31.64." + d.gatewayHost).orElseThrow()),
          new io.routeagent.config.DeviceSelector.Name("eth2"), d.metric == 0 ? OptionalInt.empty() : OptionalInt.of(d.metric), 254, RouteType.UNICAST, null,
          OptionalInt.empty(), false, false, List.of()));
    }
    return new DesiredConfig(specs, List.of());
  }

  private static IpPrefix prefix(int third) {
    return IpPrefix.parse("10." + third + ".0.0/16").prefix();
  }

  private static RouteMessage route(Observed o) {
    return new RouteMessage(2, prefix(o.third), 0, 254, o.protocol, 0, Rtnetlink.RTN_UNICAST, 0,
        IpAddresses.parse("172.31.64." + o.gatewayHost).orElseThrow(), 2,
        o.metric == 0 ? OptionalInt.empty() : OptionalInt.of(o.metric), null, OptionalInt.empty(), false, false,
        List.of());
  }

  @Provide
  Arbitrary<List<Observed>> observed() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 15),
            Arbitraries.of(0, 50, 100),
            Arbitraries.of(3, 4, 16, PROTO),
            Arbitraries.integers().between(1, 3))
        .as(Observed::new)
        .list()
        .ofMaxSize(20);
  }

  @Provide
  Arbitrary<List<Desired>> desired() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 15),
            Arbitraries.of(0, 50, 100),
            Arbitraries.integers().between(1, 3))
        .as(Desired::new)
        .list()
        .ofMaxSize(20);
  }

  record MultiObserved(int third, int metric, int protocol, boolean multipath, int weight, boolean dead) {}

  record MultiDesired(int third, int metric, int weight2, int weight3, int gatewayHost) {}

  /**
   * Issue 12: for any observed table holding single and multipath routes, ours and others', and
   * desired multipath entries through eth2 and eth3 (up or down): one apply converges, no foreign
   * route whose key is not desired changes, and the kernel then marking eth3's next hops dead (its
   * link going down) makes no change.
   */
  @Property(tries = 300)
  void multipathConvergesNeverTouchesAForeignRouteAndDoesNotChurnOnLinkDown(
      @ForAll("multiObserved") List<MultiObserved> observed,
      @ForAll("multiDesired") List<MultiDesired> desired,
      @ForAll boolean eth3Up)
      throws KernelException {
    FakeKernel kernel = new FakeKernel();
    kernel.withLink(new io.routeagent.netlink.LinkMessage(4, eth3Up ? Rtnetlink.IFF_UP : 0, "eth3",
        "0a:00:00:00:00:04", List.of()));
    // eth3's subnet, on which its next hops' gateways are (one off the link would be left out)
    kernel.withAddresses(new io.routeagent.netlink.AddressMessage(2, 20, 0, 0, 4,
        IpAddresses.parse("172.31.80.10").orElseThrow()));
    for (MultiObserved o : observed) {
      RouteMessage r = multiRoute(o);
      kernel.withoutRoutes(k -> RouteKey.of(k).equals(RouteKey.of(r)));
      kernel.withRoutes(r);
    }
    Map<RouteKey, MultiDesired> unique = desired.stream()
        .collect(Collectors.toMap(d -> new RouteKey(2, 254, prefix(d.third), 0, d.metric), Function.identity(), (a, b) -> a));
    List<RouteSpec> specs = new ArrayList<>();
    for (MultiDesired d : unique.values()) {
      specs.add(new RouteSpec(new io.routeagent.config.Location("f", 1, 1), prefix(d.third), null, null,
          d.metric == 0 ? OptionalInt.empty() : OptionalInt.of(d.metric), 254, RouteType.UNICAST, null,
          OptionalInt.empty(), false, false, List.of(
              new io.routeagent.config.NextHopSpec(gateway("172.31.64." + d.gatewayHost),
                  new io.routeagent.config.DeviceSelector.Name("eth2"), d.weight2, false),
              new io.routeagent.config.NextHopSpec(gateway("172.31.80." + d.gatewayHost),
                  new io.routeagent.config.DeviceSelector.Name("eth3"), d.weight3, false))));
    }
    DesiredConfig config = new DesiredConfig(specs, List.of());
    List<RouteMessage> foreignBefore = kernel.routesNow().stream()
        .filter(r -> r.protocol() != PROTO && !unique.containsKey(RouteKey.of(r)))
        .toList();

    Reconciler reconciler = new Reconciler(kernel, new Planner(PROTO));
    ApplyResult result = reconciler.apply(config);

    assertThat(result.count(RouteState.FAILED)).as("failed").isZero();
    // another owner's multipath route of a desired key is adopted, as a single path is
    assertThat(result.count(RouteState.REFUSED)).as("refused").isZero();
    assertThat(reconciler.plan(config).changes()).as("second plan").isEmpty();
    assertThat(kernel.routesNow()).containsAll(foreignBefore);
    Set<RouteKey> owned = kernel.routesNow().stream().filter(r -> r.protocol() == PROTO).map(RouteKey::of)
        .collect(Collectors.toSet());
    assertThat(owned).isEqualTo(unique.keySet());
    for (RouteMessage r : kernel.routesNow()) {
      if (r.protocol() == PROTO) {
        // eth3 down: installed without it, unless the kernel already kept the route whole (it marks
        // a down link's next hop dead, which the comparison ignores)
        boolean kept = observed.stream().anyMatch(o -> o.protocol == PROTO && o.multipath
            && RouteKey.of(multiRoute(o)).equals(RouteKey.of(r)) && multiRoute(o).equals(r));
        assertThat(r.multipath()).as("%s: eth3 %s", r, eth3Up ? "up" : "down").isEqualTo(eth3Up || kept);
      }
    }

    // eth3 goes down: the kernel keeps its next hops, dead; the agent changes nothing.
    if (eth3Up) {
      kernel.withLink(new io.routeagent.netlink.LinkMessage(4, 0, "eth3", "0a:00:00:00:00:04", List.of()));
      kernel.withRoutesChanged(r -> r.protocol() != PROTO || !r.hasNextHops() ? r : new RouteMessage(r.family(),
          r.destination(), r.tos(), r.table(), r.protocol(), r.scope(), r.type(), r.flags(), r.gateway(),
          r.outputInterface(), r.priority(), r.preferredSource(), r.mtu(), false, true, r.nextHops().stream()
              .map(h -> h.interfaceIndex() != 4 ? h : new io.routeagent.netlink.NextHop(
                  Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN, h.weight(), 4, h.gateway()))
              .toList()));
      assertThat(reconciler.plan(config).changes()).as("after eth3 went down").isEmpty();
    }
  }

  private static io.routeagent.config.Gateway gateway(String address) {
    return new io.routeagent.config.Gateway.Address(IpAddresses.parse(address).orElseThrow());
  }

  private static RouteMessage multiRoute(MultiObserved o) {
    OptionalInt metric = o.metric == 0 ? OptionalInt.empty() : OptionalInt.of(o.metric);
    if (!o.multipath) {
      return new RouteMessage(2, prefix(o.third), 0, 254, o.protocol, 0, Rtnetlink.RTN_UNICAST, 0,
          IpAddresses.parse("172.31.64.1").orElseThrow(), 2, metric, null, OptionalInt.empty(), false, false,
          List.of());
    }
    return new RouteMessage(2, prefix(o.third), 0, 254, o.protocol, 0, Rtnetlink.RTN_UNICAST, 0, null, 0, metric,
        null, OptionalInt.empty(), false, true, List.of(
            new io.routeagent.netlink.NextHop(0, 1, 2, IpAddresses.parse("172.31.64.1").orElseThrow()),
            new io.routeagent.netlink.NextHop(o.dead ? Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN : 0,
                o.weight, 4, IpAddresses.parse("172.31.80.1").orElseThrow())));
  }

  @Provide
  Arbitrary<List<MultiObserved>> multiObserved() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 15),
            Arbitraries.of(0, 50),
            Arbitraries.of(3, 16, PROTO),
            Arbitraries.of(true, false),
            Arbitraries.of(1, 3, 256),
            Arbitraries.of(true, false))
        .as(MultiObserved::new)
        .list()
        .ofMaxSize(20);
  }

  @Provide
  Arbitrary<List<MultiDesired>> multiDesired() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 15),
            Arbitraries.of(0, 50),
            Arbitraries.of(1, 3, 256),
            Arbitraries.of(1, 3),
            Arbitraries.integers().between(1, 2))
        .as(MultiDesired::new)
        .list()
        .ofMaxSize(20);
  }
}
