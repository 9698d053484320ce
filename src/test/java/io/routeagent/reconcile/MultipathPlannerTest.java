package io.routeagent.reconcile;

import static io.routeagent.reconcile.Specs.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.DeviceSelector;
import io.routeagent.config.Gateway;
import io.routeagent.config.NextHopSpec;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.RouteType;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.NextHop;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.testing.FakeKernel;
import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Multipath entries (issue 12): what the planner installs, and what it leaves alone. */
class MultipathPlannerTest {
  static final int PROTO = 157;
  final FakeKernel kernel = new FakeKernel().withEth3();
  final Planner planner = new Planner(PROTO);

  private static InetAddress ip(String text) {
    return IpAddresses.parse(text).orElseThrow();
  }

  private static NextHopSpec hop(String via, String dev, int weight) {
    return new NextHopSpec(via == null ? null : new Gateway.Address(ip(via)),
        dev == null ? null : new DeviceSelector.Name(dev), weight, false);
  }

  private static RouteSpec ecmp(String to, NextHopSpec... hops) {
    return new RouteSpec(null, IpPrefix.parse(to).prefix(), null, null, OptionalInt.empty(), 254,
        RouteType.UNICAST, null, OptionalInt.empty(), false, false, List.of(hops));
  }

  private static final RouteSpec TWO_WAYS =
      ecmp("10.0.0.0/16", hop("172.31.64.1", "eth2", 1), hop("172.31.80.1", "eth3", 3));

  /** The kernel's route with these next hops, as a dump shows it. */
  private static RouteMessage kernelRoute(int protocol, NextHop... hops) {
    return new RouteMessage(2, IpPrefix.parse("10.0.0.0/16").prefix(), 0, 254, protocol, 0, Rtnetlink.RTN_UNICAST, 0,
        null, 0, OptionalInt.empty(), null, OptionalInt.empty(), false, true, List.of(hops));
  }

  private Plan plan(RouteSpec... specs) {
    return planner.plan(config(specs), kernel.snapshot());
  }

  @Test
  void addsOneRouteWithEveryNextHop() {
    Plan plan = plan(TWO_WAYS);
    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.op()).isEqualTo(Change.Op.ADD);
      assertThat(c.route().nextHops()).containsExactly(
          new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 3, 4, ip("172.31.80.1")));
      assertThat(c.route().gateway()).isNull();
      assertThat(c.description()).isEqualTo(
          "10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 weight 1 nexthop via 172.31.80.1 dev eth3 weight 3");
    });
  }

  @Test
  void theKernelsOrderAndItsLivenessMarksAreNoDriftButADeadNextHopIsDown() {
    kernel.withRoutes(kernelRoute(PROTO,
        new NextHop(Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN, 3, 4, ip("172.31.80.1")),
        new NextHop(0, 1, 2, ip("172.31.64.1"))));
    Plan plan = plan(TWO_WAYS);
    assertThat(plan.changes()).isEmpty();
    // eth3 is up to the agent (no carrier, say), but the kernel sends nothing through that next hop
    assertThat(plan.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.DEGRADED);
      assertThat(s.down()).containsExactly(new DownNextHop("172.31.80.1", "eth3", "the kernel marks it dead linkdown"));
      assertThat(s.reason()).isEqualTo("1 of 2 next hops down: via 172.31.80.1 dev eth3 (the kernel marks it dead"
          + " linkdown)");
    });

    kernel.withoutRoutes(r -> true);
    kernel.withRoutes(kernelRoute(PROTO, new NextHop(0, 3, 4, ip("172.31.80.1")), new NextHop(0, 1, 2, ip("172.31.64.1"))));
    assertThat(plan(TWO_WAYS).statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.INSTALLED);
      assertThat(s.down()).isEmpty();
      assertThat(s.reason()).isNull();
    });
  }

  @Test
  void aDownLinksNextHopMakesTheRouteDegradedAndItsLinkUpInstalledAgain() {
    kernel.withLink(new LinkMessage(4, 0, "eth3", "0a:00:00:00:00:04", List.of()));
    kernel.withRoutes(kernelRoute(PROTO, new NextHop(0, 1, 2, ip("172.31.64.1")),
        new NextHop(Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN, 3, 4, ip("172.31.80.1"))));
    Plan down = plan(TWO_WAYS);
    assertThat(down.changes()).isEmpty();
    assertThat(down.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.DEGRADED);
      assertThat(s.down()).containsExactly(new DownNextHop("172.31.80.1", "eth3",
          "interface eth3 is down; the kernel keeps it dead linkdown"));
      assertThat(s.reason()).isEqualTo("1 of 2 next hops down: via 172.31.80.1 dev eth3 (interface eth3 is down;"
          + " the kernel keeps it dead linkdown)");
    });

    // the kernel revives the next hop on link-up
    kernel.withLink(new LinkMessage(4, Rtnetlink.IFF_UP, "eth3", "0a:00:00:00:00:04", List.of()));
    kernel.withoutRoutes(r -> true).withRoutes(kernelRoute(PROTO, new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 3, 4, ip("172.31.80.1"))));
    assertThat(plan(TWO_WAYS).statuses()).extracting(RouteStatus::state, RouteStatus::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(RouteState.INSTALLED, null));
  }

  @Test
  void aSinglePathRouteIsNeverDegraded() {
    RouteSpec single = new RouteSpec(null, IpPrefix.parse("10.0.0.0/16").prefix(),
        new Gateway.Address(ip("172.31.64.1")), new DeviceSelector.Name("eth2"), OptionalInt.empty(), 254,
        RouteType.UNICAST, null, OptionalInt.empty(), false, false, List.of());
    kernel.withRoutes(new RouteMessage(2, IpPrefix.parse("10.0.0.0/16").prefix(), 0, 254, PROTO, 0,
        Rtnetlink.RTN_UNICAST, Rtnetlink.RTNH_F_LINKDOWN, ip("172.31.64.1"), 2, OptionalInt.empty(), null,
        OptionalInt.empty(), false, false, List.of()));
    assertThat(plan(single).statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.INSTALLED);
      assertThat(s.down()).isEmpty();
    });
  }

  @Test
  void aChangedWeightASinglePathAndAMissingNextHopAreRepaired() {
    for (RouteMessage drifted : List.of(
        kernelRoute(PROTO, new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 1, 4, ip("172.31.80.1"))),
        new RouteMessage(2, IpPrefix.parse("10.0.0.0/16").prefix(), 0, 254, PROTO, 0, Rtnetlink.RTN_UNICAST, 0,
            ip("172.31.64.1"), 2, OptionalInt.empty(), null, OptionalInt.empty(), false, false, List.of()),
        kernelRoute(PROTO, new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 3, 4, ip("172.31.80.9"))))) {
      kernel.withoutRoutes(r -> true);
      kernel.withRoutes(drifted);
      Plan plan = plan(TWO_WAYS);
      assertThat(plan.changes()).as("%s", drifted).singleElement().satisfies(c -> {
        assertThat(c.op()).isEqualTo(Change.Op.REPLACE);
        assertThat(c.route().nextHops()).hasSize(2);
      });
      assertThat(plan.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.DRIFTED);
    }
  }

  @Test
  void theReasonNamesTheKernelsNextHops() {
    kernel.withRoutes(kernelRoute(PROTO, new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 1, 4, ip("172.31.80.1"))));
    assertThat(plan(TWO_WAYS).statuses().get(0).reason())
        .isEqualTo("kernel has next hops via 172.31.64.1 dev eth2 weight 1, via 172.31.80.1 dev eth3 weight 1");
  }

  @Test
  void anAbsentInterfaceLeavesItsNextHopOutUntilItComes() {
    RouteSpec spec = ecmp("10.0.0.0/16", hop("172.31.64.1", "eth2", 1), hop("172.31.80.1", "eth3", 3),
        hop("172.31.96.1", "eth4", 1));
    Plan plan = plan(spec);
    assertThat(plan.changes()).singleElement().satisfies(c ->
        assertThat(c.route().nextHops()).extracting(NextHop::interfaceIndex).containsExactly(2, 4));
    assertThat(plan.statuses().get(0).reason()).contains("eth4");

    // installed so: nothing to do until eth4 comes
    kernel.withRoutes(plan.changes().get(0).route());
    assertThat(plan(spec).changes()).isEmpty();

    kernel.withLink(new LinkMessage(5, Rtnetlink.IFF_UP, "eth4", "0a:00:00:00:00:05", List.of()));
    kernel.withAddresses(new AddressMessage(2, 20, 0, 0, 5, ip("172.31.96.10")));
    assertThat(plan(spec).changes()).singleElement().satisfies(c ->
        assertThat(c.route().nextHops()).extracting(NextHop::interfaceIndex).containsExactly(2, 4, 5));
  }

  @Test
  void oneInstallableNextHopIsInstalledAsASinglePathAndNoneWaits() {
    RouteSpec spec = ecmp("10.0.0.0/16", hop("172.31.64.1", "eth2", 1), hop("172.31.96.1", "eth4", 1));
    Plan plan = plan(spec);
    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.route().multipath()).isFalse();
      assertThat(IpAddresses.format(c.route().gateway())).isEqualTo("172.31.64.1");
      assertThat(c.route().outputInterface()).isEqualTo(2);
    });
    kernel.withRoutes(plan.changes().get(0).route());
    assertThat(plan(spec).changes()).isEmpty();

    RouteSpec nowhere = ecmp("10.0.0.0/16", hop("172.31.96.1", "eth4", 1), hop("172.31.112.1", "eth5", 1));
    kernel.withoutRoutes(r -> true);
    Plan waiting = plan(nowhere);
    assertThat(waiting.changes()).isEmpty();
    assertThat(waiting.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.WAITING);
  }

  @Test
  void aDownLinkIsNotInstalledButItsDeadNextHopIsNotFought() {
    kernel.withLink(new LinkMessage(4, 0, "eth3", "0a:00:00:00:00:04", List.of()));
    // fresh: installed without eth3, whose kernel would refuse "device is not up"
    Plan fresh = plan(TWO_WAYS);
    assertThat(fresh.changes()).singleElement().satisfies(c -> assertThat(c.route().multipath()).isFalse());
    // the kernel kept eth3's next hop dead when the link went down: no churn
    kernel.withRoutes(kernelRoute(PROTO, new NextHop(0, 1, 2, ip("172.31.64.1")),
        new NextHop(Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN, 3, 4, ip("172.31.80.1"))));
    assertThat(plan(TWO_WAYS).changes()).isEmpty();
  }

  @Test
  void subnetRouterPerNextHopAndAGatewayWithoutDevMatchesAnyInterface() {
    RouteSpec spec = ecmp("10.0.0.0/16",
        new NextHopSpec(new Gateway.SubnetRouter(), new DeviceSelector.Name("eth3"), 2, false),
        hop("172.31.64.1", null, 1));
    Plan plan = plan(spec);
    assertThat(plan.changes()).singleElement().satisfies(c -> assertThat(c.route().nextHops())
        .containsExactly(new NextHop(0, 2, 4, ip("172.31.80.1")), new NextHop(0, 1, 0, ip("172.31.64.1"))));
    kernel.withRoutes(kernelRoute(PROTO, new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 2, 4, ip("172.31.80.1"))));
    assertThat(plan(spec).changes()).isEmpty();
  }

  @Test
  void aMultipathRouteOfOursLeavingTheFileIsDeletedByItsKey() {
    kernel.withRoutes(kernelRoute(PROTO, new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 3, 4, ip("172.31.80.1"))));
    Plan plan = planner.plan(config(), kernel.snapshot());
    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.op()).isEqualTo(Change.Op.DELETE);
      assertThat(c.route().gateway()).isNull();
      assertThat(c.route().protocol()).isEqualTo(PROTO);
    });
  }

  @Test
  void anotherOwnersMultipathRouteIsAdoptedWithItsNextHopsRecorded() {
    RouteMessage theirs = kernelRoute(4, new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 1, 4, ip("172.31.80.1")));
    kernel.withRoutes(theirs);
    Plan plan = plan(TWO_WAYS);
    assertThat(plan.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.DRIFTED);
    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.op()).isEqualTo(Change.Op.REPLACE);
      assertThat(c.displaced().route()).isEqualTo(theirs);
      assertThat(c.displaced().nextHopDevs()).containsExactly("eth2", "eth3");
    });
  }

  @Test
  void aNextHopWhoseGatewayIsOffItsLinkIsLeftOutAndNamed() {
    // 172.31.96.1 is on no subnet of eth3 (172.31.80.0/20): the kernel would refuse the whole route
    RouteSpec spec = ecmp("10.0.0.0/16", hop("172.31.64.1", "eth2", 1), hop("172.31.80.1", "eth3", 1),
        hop("172.31.96.1", "eth3", 1));
    Plan plan = plan(spec);
    assertThat(plan.changes()).singleElement().satisfies(c -> assertThat(c.route().nextHops())
        .containsExactly(new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 1, 4, ip("172.31.80.1"))));
    String why = "gateway 172.31.96.1 is on no subnet of interface eth3 (172.31.80.0/20), left out: correct its"
        + " `via`, or add `onlink: true` to it if the gateway is reachable on that link";
    assertThat(plan.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.MISSING);
      assertThat(s.reason()).isEqualTo("1 of 3 next hops down: via 172.31.96.1 dev eth3 (" + why + ")");
      assertThat(s.down()).containsExactly(new DownNextHop("172.31.96.1", "eth3", why));
    });

    // installed so: no churn, and the reason still says why
    kernel.withRoutes(plan.changes().get(0).route());
    Plan again = plan(spec);
    assertThat(again.changes()).isEmpty();
    assertThat(again.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.DEGRADED);
      assertThat(s.reason()).isEqualTo("1 of 3 next hops down: via 172.31.96.1 dev eth3 (" + why + ")");
    });
  }

  @Test
  void everyNextHopOffItsLinkIsUnreachableAndOnlinkSkipsTheCheck() {
    RouteSpec spec = ecmp("10.0.0.0/16", hop("172.31.96.1", "eth2", 1), hop("172.31.112.1", "eth3", 1));
    Plan plan = plan(spec);
    assertThat(plan.changes()).isEmpty();
    assertThat(plan.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.UNREACHABLE);
      assertThat(s.reason()).contains("gateway 172.31.96.1 is on no subnet of interface eth2 (172.31.64.0/20)",
          "gateway 172.31.112.1 is on no subnet of interface eth3 (172.31.80.0/20)", "`onlink: true`");
    });

    RouteSpec onlink = ecmp("10.0.0.0/16",
        new NextHopSpec(new Gateway.Address(ip("172.31.96.1")), new DeviceSelector.Name("eth2"), 1, true),
        hop("172.31.112.1", "eth3", 1));
    Plan partly = plan(onlink);
    assertThat(partly.changes()).singleElement().satisfies(c -> {
      assertThat(c.route().multipath()).isFalse();
      assertThat(c.route().outputInterface()).isEqualTo(2);
      assertThat(c.route().flags() & Rtnetlink.RTNH_F_ONLINK).isNotZero();
    });
    assertThat(partly.statuses().get(0).reason()).contains("172.31.112.1", "left out").doesNotContain("172.31.96.1");
  }

  @Test
  void aNextHopOnAnInterfaceWithoutAnAddressWaitsLikeADownOne() {
    kernel.withoutAddresses(a -> a.index() == 4);
    Plan plan = plan(TWO_WAYS);
    assertThat(plan.changes()).singleElement().satisfies(c -> {
      assertThat(c.route().multipath()).isFalse();
      assertThat(c.route().outputInterface()).isEqualTo(2);
    });
    assertThat(plan.statuses().get(0).reason())
        .isEqualTo("1 of 2 next hops down: via 172.31.80.1 dev eth3 (interface eth3 has no IPv4 address yet)");

    // the kernel kept eth3's next hop dead: not fought, as for a down link
    kernel.withRoutes(kernelRoute(PROTO, new NextHop(0, 1, 2, ip("172.31.64.1")),
        new NextHop(Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN, 3, 4, ip("172.31.80.1"))));
    assertThat(plan(TWO_WAYS).changes()).isEmpty();

    // neither has an address: the route waits, it is not unreachable
    kernel.withoutRoutes(r -> true);
    kernel.withoutAddresses(a -> true);
    assertThat(plan(TWO_WAYS).statuses()).extracting(RouteStatus::state).containsExactly(RouteState.WAITING);
  }

  /**
   * fd00:2::/64 through 2001:db8:64::1 on eth2 and 2001:db8:80::1 on eth3, where eth3 lost its
   * global address while it was down and came back up with its link-local one alone.
   */
  private RouteSpec v6AfterEth3CameBackWithoutItsAddress() {
    kernel.withAddresses(new AddressMessage(10, 64, 0, 0, 2, ip("2001:db8:64::10")));
    kernel.withAddresses(new AddressMessage(10, 64, 0, 253, 4, ip("fe80::10")));
    return ecmp("fd00:2::/64", hop("2001:db8:64::1", "eth2", 1), hop("2001:db8:80::1", "eth3", 4));
  }

  private static RouteMessage v6Route(NextHop... hops) {
    return new RouteMessage(10, IpPrefix.parse("fd00:2::/64").prefix(), 0, 254, PROTO, 0, Rtnetlink.RTN_UNICAST, 0,
        null, 0, OptionalInt.of(1024), null, OptionalInt.empty(), false, true, List.of(hops));
  }

  @Test
  void anIpv6NextHopTheKernelStillHoldsAfterItsLinkLostItsAddressIsNotSaidToBeLeftOut() {
    RouteSpec spec = v6AfterEth3CameBackWithoutItsAddress();
    kernel.withRoutes(v6Route(new NextHop(0, 1, 2, ip("2001:db8:64::1")), new NextHop(0, 4, 4, ip("2001:db8:80::1"))));
    Plan plan = plan(spec);
    assertThat(plan.changes()).isEmpty();
    assertThat(plan.statuses()).singleElement().satisfies(s -> {
      // the kernel sends traffic through both: nothing is down
      assertThat(s.state()).isEqualTo(RouteState.INSTALLED);
      assertThat(s.down()).isEmpty();
      assertThat(s.reason()).isEqualTo("the kernel still holds next hop via 2001:db8:80::1 dev eth3 although"
          + " gateway 2001:db8:80::1 is on no subnet of interface eth3 (fe80::/64): it is left in place, but cannot be"
          + " checked, nor added again if it goes, until the interface has an address on the gateway's subnet again");
      assertThat(s.reason()).doesNotContain("left out", "correct");
    });

    // the kernel marks it dead: down, and still not "left out"
    kernel.withoutRoutes(r -> true).withRoutes(v6Route(new NextHop(0, 1, 2, ip("2001:db8:64::1")),
        new NextHop(Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN, 4, 4, ip("2001:db8:80::1"))));
    assertThat(plan(spec).statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.DEGRADED);
      assertThat(s.down()).containsExactly(new DownNextHop("2001:db8:80::1", "eth3",
          "gateway 2001:db8:80::1 is on no subnet of interface eth3 (fe80::/64); the kernel keeps it dead linkdown"));
    });

    // the kernel dropped it: it is left out until the address is back
    kernel.withoutRoutes(r -> true).withRoutes(new RouteMessage(10, IpPrefix.parse("fd00:2::/64").prefix(), 0, 254, PROTO, 0,
        Rtnetlink.RTN_UNICAST, 0, ip("2001:db8:64::1"), 2, OptionalInt.of(1024), null, OptionalInt.empty(), false,
        false, List.of()));
    Plan dropped = plan(spec);
    assertThat(dropped.changes()).isEmpty();
    assertThat(dropped.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.DEGRADED);
      assertThat(s.reason()).contains("via 2001:db8:80::1 dev eth3 (gateway 2001:db8:80::1 is on no subnet of"
          + " interface eth3 (fe80::/64), left out");
    });
  }

  @Test
  void anApplyInstallingWithoutSomeNextHopsLeavesTheRouteDegradedWithThem() throws Exception {
    RouteSpec spec = ecmp("10.0.0.0/16", hop("172.31.64.1", "eth2", 1), hop("172.31.80.1", "eth3", 3),
        hop("172.31.96.1", "eth4", 1));
    DesiredConfig config = config(spec);
    ApplyResult result = new Reconciler(kernel, planner).apply(config);
    assertThat(result.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.DEGRADED);
      assertThat(s.down()).containsExactly(new DownNextHop("172.31.96.1", "eth4", "interface eth4 is absent"));
      assertThat(s.reason()).isEqualTo("1 of 3 next hops down: via 172.31.96.1 dev eth4 (interface eth4 is absent)");
    });
    assertThat(InstalledRoutes.of(planner, config, result).size()).as("a degraded route is repaired as an installed one")
        .isEqualTo(1);

    // a drift replaced while eth4 is still absent: degraded again, not installed
    kernel.withoutRoutes(r -> true).withRoutes(kernelRoute(PROTO, new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 1, 4, ip("172.31.80.1"))));
    ApplyResult repaired = new Reconciler(kernel, planner).apply(config(spec));
    assertThat(repaired.results()).singleElement().satisfies(r -> assertThat(r.change().op()).isEqualTo(Change.Op.REPLACE));
    assertThat(repaired.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.DEGRADED);

    kernel.withLink(new LinkMessage(5, Rtnetlink.IFF_UP, "eth4", "0a:00:00:00:00:05", List.of()));
    kernel.withAddresses(new AddressMessage(2, 20, 0, 0, 5, ip("172.31.96.10")));
    ApplyResult whole = new Reconciler(kernel, planner).apply(config(spec));
    assertThat(whole.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.INSTALLED);
      assertThat(s.reason()).isNull();
      assertThat(s.down()).isEmpty();
    });
  }
}
