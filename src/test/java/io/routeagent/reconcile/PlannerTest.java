package io.routeagent.reconcile;

import io.routeagent.testing.FakeKernel;

import static io.routeagent.reconcile.Specs.config;
import static io.routeagent.reconcile.Specs.spec;
import static io.routeagent.reconcile.Specs.via;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.Gateway;
import io.routeagent.config.Location;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.RuleAction;
import io.routeagent.config.RuleSpec;
import io.routeagent.config.RouteType;
import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PlannerTest {
  static final int PROTO = 157;
  final FakeKernel kernel = new FakeKernel();
  final Planner planner = new Planner(PROTO);

  private Plan plan(io.routeagent.config.DesiredConfig config) {
    return planner.plan(config, kernel.snapshot());
  }

  private static RouteMessage kernelRoute(String to, String gateway, int protocol, int metric) {
    return new RouteMessage(2, IpPrefix.parse(to).prefix(), 0, 254, protocol, 0, Rtnetlink.RTN_UNICAST, 0,
        IpAddresses.parse(gateway).orElseThrow(), 2,
        metric == 0 ? OptionalInt.empty() : OptionalInt.of(metric), null, OptionalInt.empty(), false, false, List.of());
  }

  @Test
  void addsWhatIsMissingWithOurProtocolAndTheInterfaceIndex() {
    Plan plan = plan(config(via("10.0.0.0/16", "172.31.64.1", "eth2")));
    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.op()).isEqualTo(Change.Op.ADD);
      assertThat(c.route().protocol()).isEqualTo(PROTO);
      assertThat(c.route().outputInterface()).isEqualTo(2);
      assertThat(c.route().scope()).isEqualTo(Rtnetlink.RT_SCOPE_UNIVERSE);
      assertThat(c.description()).isEqualTo("10.0.0.0/16 via 172.31.64.1 dev eth2");
    });
    assertThat(plan.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.MISSING);
  }

  /** Every state but installed carries its reason (PRODUCT.md): a missing route says which table lacks it. */
  @Test
  void aMissingRouteOrRuleSaysWhereItIsMissing() {
    RouteSpec inMain = via("10.0.0.0/16", "172.31.64.1", "eth2");
    RouteSpec inTable100 = new RouteSpec(new Location("routes.yaml", 2, 5), IpPrefix.parse("10.1.0.0/16").prefix(),
        inMain.via(), inMain.dev(), OptionalInt.empty(), 100, RouteType.UNICAST, null, OptionalInt.empty(), false,
        false, List.of());
    RuleSpec rule = new RuleSpec(new Location("routes.yaml", 3, 5), Family.INET, IpPrefix.parse("172.31.64.0/20").prefix(),
        null, null, null, OptionalInt.empty(), OptionalInt.empty(), 1000, RuleAction.LOOKUP, 100);
    Plan plan = plan(new DesiredConfig(List.of(inMain, inTable100), List.of(), List.of(rule)));
    assertThat(plan.statuses()).extracting(RouteStatus::state, RouteStatus::reason).containsExactly(
        tuple(RouteState.MISSING, "not in table main"), tuple(RouteState.MISSING, "not in table 100"));
    assertThat(plan.rules().statuses()).extracting(RuleStatus::state, RuleStatus::reason)
        .containsExactly(tuple(RuleState.MISSING, "not among the kernel's rules"));
  }

  @Test
  void aDeviceRouteHasLinkScope() {
    Plan plan = plan(config(via("10.0.0.0/16", null, "eth2")));
    assertThat(plan.changes().get(0).route().scope()).isEqualTo(Rtnetlink.RT_SCOPE_LINK);
  }

  @Test
  void subnetRouterIsTheFirstHostOfTheInterfacesSubnet() {
    Plan plan = plan(config(spec("10.0.0.0/16", new Gateway.SubnetRouter(), "eth2", OptionalInt.empty(), RouteType.UNICAST)));
    assertThat(IpAddresses.format(plan.changes().get(0).route().gateway())).isEqualTo("172.31.64.1");
  }

  @Test
  void anInstalledRouteNeedsNothing() {
    kernel.withRoutes(kernelRoute("10.0.0.0/16", "172.31.64.1", PROTO, 0));
    Plan plan = plan(config(via("10.0.0.0/16", "172.31.64.1", "eth2")));
    assertThat(plan.inSync()).isTrue();
    assertThat(plan.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.INSTALLED);
  }

  @Test
  void aForeignRouteWithTheSameKeyIsReplacedAndTheReasonSaysWhy() {
    kernel.withRoutes(kernelRoute("10.0.0.0/16", "172.31.64.77", 4, 0));
    Plan plan = plan(config(via("10.0.0.0/16", "172.31.64.1", "eth2")));
    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.op()).isEqualTo(Change.Op.REPLACE);
      assertThat(c.reason()).contains("kernel has proto static").contains("via 172.31.64.77");
    });
    assertThat(plan.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.DRIFTED);
  }

  @Test
  void aRouteWithAnotherMetricIsAnotherRouteAndIsLeftAlone() {
    kernel.withRoutes(kernelRoute("10.0.0.0/16", "172.31.64.77", 4, 300));
    Plan plan = plan(config(via("10.0.0.0/16", "172.31.64.1", "eth2")));
    assertThat(plan.changes()).singleElement().extracting(Change::op).isEqualTo(Change.Op.ADD);
  }

  @Test
  void ownedRoutesNoLongerDesiredArePrunedAndForeignOnesNeverAre() {
    kernel.withRoutes(kernelRoute("10.1.0.0/16", "172.31.64.1", PROTO, 0));
    kernel.withRoutes(kernelRoute("10.2.0.0/16", "172.31.64.1", 4, 0));
    kernel.withRoutes(kernelRoute("10.3.0.0/16", "172.31.64.1", Rtnetlink.RTPROT_KERNEL, 0));
    Plan plan = plan(config());
    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.op()).isEqualTo(Change.Op.DELETE);
      assertThat(c.route().destination()).hasToString("10.1.0.0/16");
      assertThat(c.route().protocol()).as("delete only ours").isEqualTo(PROTO);
      assertThat(c.route().scope()).as("match any scope").isEqualTo(Rtnetlink.RT_SCOPE_NOWHERE);
      assertThat(c.route().type()).isEqualTo(Rtnetlink.RTN_UNSPEC);
    });
  }

  /**
   * Issue 13: a gateway on no subnet of its interface was planned as an add, then waited (the
   * kernel's ENETUNREACH) forever, with no word of why. It is unreachable, with the interface's
   * subnets and the way out; a typo of an interface's name gets a "did you mean".
   */
  @Test
  void aGatewayOnNoSubnetOfItsInterfaceIsUnreachableAndSaysWhy() {
    Plan plan = plan(config(via("10.5.0.0/16", "10.99.0.1", "eth2")));
    assertThat(plan.changes()).isEmpty();
    assertThat(plan.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.UNREACHABLE);
      assertThat(s.reason()).isEqualTo("gateway 10.99.0.1 is on no subnet of interface eth2 (172.31.64.0/20): correct"
          + " `via`, or add `onlink: true` if the gateway is reachable on that link all the same");
    });
  }

  @Test
  void aGatewayCoveredByARouteToTheLinkIsReachable() {
    kernel.withRoutes(new RouteMessage(2, IpPrefix.parse("10.99.0.0/16").prefix(), 0, 254, 4, Rtnetlink.RT_SCOPE_LINK,
        Rtnetlink.RTN_UNICAST, 0, null, 2, OptionalInt.empty(), null, OptionalInt.empty(), false, false, List.of()));
    Plan plan = plan(config(via("10.5.0.0/16", "10.99.0.1", "eth2")));
    assertThat(plan.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.MISSING);
  }

  /**
   * lo's only IPv4 address, 127.0.0.1/8, has host scope. A gateway off 127.0.0.0/8 through lo was
   * left waiting "for an IPv4 address" that lo already has, forever; the kernel refuses it ("Nexthop
   * has invalid gateway"), and accepts one inside 127.0.0.0/8.
   */
  @Test
  void aGatewayOffTheSubnetOfAHostScopeAddressIsUnreachableAndOneOnItIsReachable() {
    kernel.withLink(new LinkMessage(1, Rtnetlink.IFF_UP, "lo", "00:00:00:00:00:00", List.of()))
        .withAddresses(new io.routeagent.netlink.AddressMessage(Family.INET, 8, 0, Rtnetlink.RT_SCOPE_HOST, 1,
            IpAddresses.parse("127.0.0.1").orElseThrow()));
    Plan plan = plan(config(via("10.64.0.0/16", "172.31.64.1", "lo"), via("10.65.0.0/16", "127.0.0.2", "lo")));
    assertThat(plan.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.UNREACHABLE, RouteState.MISSING);
    assertThat(plan.statuses().get(0).reason()).isEqualTo("gateway 172.31.64.1 is on no subnet of interface lo"
        + " (127.0.0.0/8): correct `via`, or add `onlink: true` if the gateway is reachable on that link all the same");
  }

  /** The kernel refuses an IPv6 gateway that is the host's own address ("Gateway can not be a local address"). */
  @Test
  void anIpv6GatewayThatIsTheHostsOwnAddressIsUnreachable() {
    kernel.withAddresses(new io.routeagent.netlink.AddressMessage(Family.INET6, 64, 0, Rtnetlink.RT_SCOPE_UNIVERSE, 2,
        IpAddresses.parse("2001:db8:5::10").orElseThrow()));
    Plan plan = plan(config(via("2001:db8:9::/48", "2001:db8:5::10", "eth2"), via("2001:db8:8::/48", "2001:db8:5::1", "eth2")));
    assertThat(plan.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.UNREACHABLE, RouteState.MISSING);
    assertThat(plan.statuses().get(0).reason()).isEqualTo("gateway 2001:db8:5::10 is an address of this host, which the"
        + " kernel refuses as an IPv6 gateway: correct `via`");
  }

  /** A link-local address is the host's own only on its interface: docker0's fe80::1 is a gateway through eth2. */
  @Test
  void aLinkLocalGatewayIsLocalOnlyOnItsOwnInterface() {
    kernel.withLink(new LinkMessage(7, Rtnetlink.IFF_UP, "docker0", "02:42:00:00:00:07", List.of()))
        .withAddresses(new io.routeagent.netlink.AddressMessage(Family.INET6, 64, 0, Rtnetlink.RT_SCOPE_LINK, 7,
            IpAddresses.parse("fe80::1").orElseThrow()),
            new io.routeagent.netlink.AddressMessage(Family.INET6, 64, 0, Rtnetlink.RT_SCOPE_LINK, 2,
                IpAddresses.parse("fe80::10").orElseThrow()));
    Plan plan = plan(config(via("2001:db8:9::/48", "fe80::1", "eth2"), via("2001:db8:8::/48", "fe80::10", "eth2")));
    assertThat(plan.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.MISSING, RouteState.UNREACHABLE);
  }

  @Test
  void anInterfaceWithoutAnAddressOfTheGatewaysFamilyWaits() {
    kernel.withoutAddresses(a -> true);
    Plan plan = plan(config(via("10.5.0.0/16", "172.31.64.1", "eth2")));
    assertThat(plan.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.WAITING);
      assertThat(s.reason()).isEqualTo("interface eth2 has no IPv4 address yet");
    });
  }

  @Test
  void anAbsentInterfaceNamedLikeAnotherGetsADidYouMean() {
    Plan plan = plan(config(via("10.5.0.0/16", "172.31.64.1", "eht2"), via("10.6.0.0/16", "172.31.64.1", "wlan7")));
    assertThat(plan.statuses()).extracting(RouteStatus::reason)
        .containsExactly("interface eht2 is absent; did you mean eth2?", "interface wlan7 is absent");
  }

  @Test
  void aRouteWhoseInterfaceIsAbsentOrDownWaitsAndItsOwnedRouteIsKept() {
    kernel.withRoutes(kernelRoute("10.9.0.0/16", "172.31.64.1", PROTO, 0));
    kernel.withLink(new LinkMessage(4, 0, "eth4", null, List.of()));
    Plan plan = plan(config(via("10.8.0.0/16", "172.31.64.1", "eth3"), via("10.9.0.0/16", "172.31.64.1", "eth4")));
    assertThat(plan.changes()).isEmpty();
    assertThat(plan.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.WAITING, RouteState.WAITING);
    assertThat(plan.statuses()).extracting(RouteStatus::reason)
        .containsExactly("interface eth3 is absent", "interface eth4 is down");
  }

  @Test
  void anIpv6RouteWithoutMetricMatchesTheKernels1024() throws Exception {
    kernel.withAddresses(new io.routeagent.netlink.AddressMessage(10, 64, 0, 0, 2, IpAddresses.parse("2001:db8:1::10").orElseThrow()));
    new Reconciler(kernel, planner).apply(config(via("2001:db8:99::/48", "2001:db8:1::1", "eth2")));
    assertThat(kernel.routesNow()).singleElement().satisfies(r -> assertThat(r.priority()).hasValue(1024));
    assertThat(plan(config(via("2001:db8:99::/48", "2001:db8:1::1", "eth2"))).inSync()).isTrue();
  }

  /** Every route that carries the planner's protocol is its to prune: another owner's number would hand it theirs. */
  @Test
  void refusesAProtocolTheKernelOrAnotherProgramUses() {
    assertThatThrownBy(() -> new Planner(2)).hasMessageContaining("protocol 2 is kernel's");
    assertThatThrownBy(() -> new Planner(3)).hasMessageContaining("protocol 3 is boot's");
    assertThatThrownBy(() -> new Planner(4)).hasMessageContaining("protocol 4 is static's");
    assertThatThrownBy(() -> new Planner(16)).hasMessageContaining("protocol 16 is dhcp's");
    assertThatThrownBy(() -> new Planner(256)).hasMessageContaining("out of range");
    assertThatThrownBy(() -> new Planner(-1)).hasMessageContaining("out of range");
    for (int unassigned : new int[] {5, 7, 19, 100, 157, 200, 255}) {
      assertThat(Planner.protocolProblem(unassigned)).as("protocol %d", unassigned).isNull();
    }
  }

  /**
   * Issue 10: a blackhole for eth0's gateway went in without override through a table that a rule
   * sends all traffic to; the connected-subnet guard now covers such a table as it covers main.
   */
  @Test
  void aBlockingRouteForTheGatewayInATableThatARuleSendsAllTrafficToIsRefused() {
    Location at = new Location("routes.yaml", 7, 5);
    RouteSpec blackhole = new RouteSpec(at,
        IpPrefix.parse("192.0.2.1").prefix(), null, null, OptionalInt.empty(), 66, RouteType.BLACKHOLE, null,
        OptionalInt.empty(), false, false, List.of());
    RuleSpec all = new RuleSpec(at, Family.INET,
        null, null, null, null, OptionalInt.empty(), OptionalInt.empty(), 1, RuleAction.LOOKUP, 66);
    RuleSpec fromSubnet = new RuleSpec(at, Family.INET,
        IpPrefix.parse("172.31.64.0/20").prefix(), null, null, null, OptionalInt.empty(), OptionalInt.empty(), 1,
        RuleAction.LOOKUP, 66);

    Plan refused = plan(new DesiredConfig(List.of(blackhole), List.of(), List.of(all)));
    assertThat(refused.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.REFUSED);
      assertThat(s.reason()).contains("192.0.2.1 in table 66, which the rule \"lookup 66 priority 1\"",
          "lies inside the directly connected subnet 192.0.2.0/24", "override: true");
    });
    assertThat(refused.changes()).isEmpty();

    Plan reachedBySource = plan(new DesiredConfig(List.of(blackhole), List.of(), List.of(fromSubnet)));
    assertThat(reachedBySource.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.MISSING);
  }

  /** A rule that blackholes eth0's gateway is refused, and a copy of ours in the kernel is pruned. */
  @Test
  void aRuleBlackholingTheGatewayIsRefusedAndOurCopyPruned() {
    Location at = new Location("routes.yaml", 4, 5);
    RuleSpec gateway = new RuleSpec(at, Family.INET, null, IpPrefix.parse("192.0.2.1").prefix(), null, null,
        OptionalInt.empty(), OptionalInt.empty(), 5, RuleAction.BLACKHOLE, 0);
    RuleSpec other = new RuleSpec(at, Family.INET, null, IpPrefix.parse("10.9.0.0/16").prefix(), null, null,
        OptionalInt.empty(), OptionalInt.empty(), 6, RuleAction.PROHIBIT, 0);
    kernel.withRules(new RulePlanner(PROTO).message(gateway));

    Plan plan = plan(new DesiredConfig(List.of(), List.of(), List.of(gateway, other)));
    assertThat(plan.rules().statuses()).extracting(RuleStatus::state)
        .containsExactly(RuleState.REFUSED, RuleState.MISSING);
    assertThat(plan.rules().statuses().get(0).reason())
        .contains("192.0.2.1, which lies inside the directly connected subnet 192.0.2.0/24");
    assertThat(plan.rules().changes()).extracting(c -> c.op() + " " + c.description())
        .containsExactlyInAnyOrder("ADD to 10.9.0.0/16 prohibit priority 6", "DELETE to 192.0.2.1 blackhole priority 5");
  }
}
