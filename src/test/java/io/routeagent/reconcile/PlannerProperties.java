package io.routeagent.reconcile;

import io.routeagent.netlink.RouteKey;
import io.routeagent.testing.FakeKernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.RouteType;
import io.routeagent.kernel.KernelException;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
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
      kernel.routes.removeIf(r -> RouteKey.of(r).equals(RouteKey.of(route(o))));
      kernel.routes.add(route(o));
    }
    Map<RouteKey, Desired> unique = desired.stream()
        .collect(Collectors.toMap(d -> new RouteKey(2, 254, prefix(d.third), 0, d.metric), Function.identity(), (a, b) -> a));
    List<RouteSpec> specs = new ArrayList<>();
    for (Desired d : unique.values()) {
      specs.add(new RouteSpec(new io.routeagent.config.Location("f", 1, 1), prefix(d.third),
          new io.routeagent.config.Gateway.Address(IpAddresses.parse("172.31.64." + d.gatewayHost).orElseThrow()),
          new io.routeagent.config.DeviceSelector.Name("eth2"), d.metric == 0 ? OptionalInt.empty() : OptionalInt.of(d.metric), 254, RouteType.UNICAST, null,
          OptionalInt.empty(), false, false));
    }
    DesiredConfig config = new DesiredConfig(specs, List.of());
    List<RouteMessage> foreignBefore = kernel.routes.stream()
        .filter(r -> r.protocol() != PROTO && !unique.containsKey(RouteKey.of(r)))
        .toList();

    Reconciler reconciler = new Reconciler(kernel, new Planner(PROTO));
    ApplyResult result = reconciler.apply(config);

    assertThat(result.failed()).isFalse();
    assertThat(reconciler.plan(config).changes()).as("second plan").isEmpty();
    assertThat(kernel.routes).containsAll(foreignBefore);
    Set<RouteKey> owned = new HashSet<>();
    for (RouteMessage r : kernel.routes) {
      if (r.protocol() == PROTO) {
        owned.add(RouteKey.of(r));
      }
    }
    assertThat(owned).isEqualTo(unique.keySet());
    assertThat(kernel.received)
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
      kernel.routes.removeIf(r -> RouteKey.of(r).equals(RouteKey.of(route(o))));
      kernel.routes.add(route(o));
    }
    List<RouteMessage> foreignBefore = kernel.routes.stream().filter(r -> r.protocol() != PROTO).toList();
    java.nio.file.Path state = java.nio.file.Files.createTempDirectory("displaced");
    try {
      DisplacedRouteFile file = new DisplacedRouteFile(state.resolve("net.displaced-routes"), w -> {});
      Reconciler first = new Reconciler(kernel, new Planner(PROTO), null, file);
      first.apply(policed(configOf(desired), adoptionAllowed));
      if (!adoptionAllowed) {
        assertThat(kernel.routes).as("without adoption").containsAll(foreignBefore);
      }
      Reconciler second = restart
          ? new Reconciler(kernel, new Planner(PROTO), null,
              new DisplacedRouteFile(state.resolve("net.displaced-routes"), w -> {}))
          : first;
      DesiredConfig next = policed(configOf(later), adoptionAllowed);
      Set<RouteKey> stillDesired = next.routes().stream().map(RouteSpec::key).collect(Collectors.toSet());
      second.apply(next);
      assertThat(kernel.routes).containsAll(foreignBefore.stream()
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
          OptionalInt.empty(), false, false));
    }
    return new DesiredConfig(specs, List.of());
  }

  private static IpPrefix prefix(int third) {
    return IpPrefix.parse("10." + third + ".0.0/16").prefix();
  }

  private static RouteMessage route(Observed o) {
    return new RouteMessage(2, prefix(o.third), 0, 254, o.protocol, 0, Rtnetlink.RTN_UNICAST, 0,
        IpAddresses.parse("172.31.64." + o.gatewayHost).orElseThrow(), 2,
        o.metric == 0 ? OptionalInt.empty() : OptionalInt.of(o.metric), null, OptionalInt.empty(), false, false);
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
}
