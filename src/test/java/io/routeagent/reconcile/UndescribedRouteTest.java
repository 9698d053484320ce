package io.routeagent.reconcile;

import static io.routeagent.reconcile.Specs.config;
import static io.routeagent.reconcile.Specs.via;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.kernel.KernelEvent;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.testing.FakeKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * A kernel route whose next hops the codec does not read: an IPv4 route through an IPv6 gateway
 * (RTA_VIA: `ip route add 10.9.0.0/16 via inet6 fe80::1 dev eth2`) or a nexthop object. The agent
 * can neither show it as it is nor put it back as it was: it never adopts one (it would restore it
 * as `10.9.0.0/16 dev eth2`, another route), and it says so.
 */
class UndescribedRouteTest {
  static final int PROTO = 157;
  /** RTPROT_STATIC: `ip route add` by hand. */
  static final int STATIC = 4;
  final List<KernelEvent> notifications = new ArrayList<>();
  final FakeKernel kernel = new FakeKernel().notifying(notifications::add);
  final Planner planner = new Planner(PROTO);

  /** As RouteMessage.decode reads the kernel's dump of it: multipath, with no next hops of its own. */
  static RouteMessage viaInet6(int protocol) {
    return new RouteMessage(2, IpPrefix.parse("10.9.0.0/16").prefix(), 0, 254, protocol, 0, Rtnetlink.RTN_UNICAST, 0,
        null, 2, OptionalInt.empty(), null, OptionalInt.empty(), false, true, List.of());
  }

  @Test
  void anotherOwnersRouteThroughAnIpv6GatewayIsNotAdoptedAndTheEntryIsRefusedWithTheWayOut() {
    kernel.withRoutes(viaInet6(STATIC));
    Plan plan = planner.plan(config(via("10.9.0.0/16", "172.31.64.1", "eth2")), kernel.snapshot());
    assertThat(plan.changes()).isEmpty();
    assertThat(plan.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.REFUSED);
      assertThat(s.reason()).isEqualTo("10.9.0.0/16 via <an IPv6 gateway (RTA_VIA) or a nexthop object> dev eth2"
          + " proto static goes through an IPv6 gateway (RTA_VIA) or a nexthop object, which route-agent cannot"
          + " record to put back when the entry goes: it is left alone; delete it (`ip route del 10.9.0.0/16`) for"
          + " the entry to be installed");
    });
  }

  @Test
  void oursIsReplacedOrPrunedLikeAnyOther() {
    kernel.withRoutes(viaInet6(PROTO));
    Plan desired = planner.plan(config(via("10.9.0.0/16", "172.31.64.1", "eth2")), kernel.snapshot());
    assertThat(desired.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.DRIFTED);
    assertThat(desired.changes()).singleElement().satisfies(c -> {
      assertThat(c.op()).isEqualTo(Change.Op.REPLACE);
      assertThat(c.adopts()).isFalse();
    });

    Plan pruned = planner.plan(config(), kernel.snapshot());
    assertThat(pruned.changes()).singleElement().satisfies(c -> {
      assertThat(c.op()).isEqualTo(Change.Op.DELETE);
      assertThat(c.description()).isEqualTo("10.9.0.0/16 via <an IPv6 gateway (RTA_VIA) or a nexthop object> dev eth2");
    });
  }

  @Test
  void aRepairDoesNotAdoptOneThatReplacedOurs() throws Exception {
    Reconciler reconciler = new Reconciler(kernel, planner);
    reconciler.reconcile(config(via("10.9.0.0/16", "172.31.64.1", "eth2")));
    notifications.clear();
    kernel.ipRouteReplace(viaInet6(STATIC));
    List<KernelEvent.RouteChanged> changed = new ArrayList<>();
    notifications.forEach(e -> changed.add((KernelEvent.RouteChanged) e));
    int sent = kernel.requests().size();

    assertThat(reconciler.repair(changed)).isSameAs(RepairResult.NOTHING);
    assertThat(kernel.requests()).hasSize(sent);
    assertThat(kernel.routesNow()).contains(viaInet6(STATIC));
  }
}
