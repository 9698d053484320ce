package io.routeagent.reconcile;

import static io.routeagent.reconcile.Specs.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.DeviceSelector;
import io.routeagent.config.Gateway;
import io.routeagent.config.NextHopSpec;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.RouteType;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.NextHop;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.testing.FakeKernel;
import io.routeagent.testing.Notifications;
import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * {@link Reconciler#repair} of a multipath route (issue 12): the reconcile records it, degraded or
 * not, and a notification of a delete, a single path or another weight puts it back whole, with
 * the next hops that could be installed, without reading the table.
 */
class MultipathRepairTest {
  static final int PROTO = 157;
  final Notifications notifications = new Notifications();
  final FakeKernel kernel = new FakeKernel().withEth3().notifying(notifications);
  final Reconciler reconciler = new Reconciler(kernel, new Planner(PROTO));

  /** 10.0.0.0/16 through eth2 (weight 1), eth3 (weight 3) and eth4, which does not exist. */
  static final RouteSpec THREE_WAYS = new RouteSpec(null, IpPrefix.parse("10.0.0.0/16").prefix(), null, null,
      OptionalInt.empty(), 254, RouteType.UNICAST, null, OptionalInt.empty(), false, false, List.of(
          hop("172.31.64.1", "eth2", 1), hop("172.31.80.1", "eth3", 3), hop("172.31.96.1", "eth4", 1)));

  private static InetAddress ip(String text) {
    return IpAddresses.parse(text).orElseThrow();
  }

  private static NextHopSpec hop(String via, String dev, int weight) {
    return new NextHopSpec(new Gateway.Address(ip(via)), new DeviceSelector.Name(dev), weight, false);
  }

  private static final List<NextHop> WHOLE =
      List.of(new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 3, 4, ip("172.31.80.1")));

  private static RouteMessage multipath(List<NextHop> hops) {
    return new RouteMessage(2, IpPrefix.parse("10.0.0.0/16").prefix(), 0, 254, PROTO, 0, Rtnetlink.RTN_UNICAST, 0,
        null, 0, OptionalInt.empty(), null, OptionalInt.empty(), false, true, hops);
  }

  private RouteMessage ours() {
    return kernel.routesNow().stream().filter(r -> r.destination().toString().equals("10.0.0.0/16")).findFirst()
        .orElseThrow();
  }

  /** Reconciled: installed through eth2 and eth3, degraded for eth4; recorded for repairs. */
  private void reconciled() throws Exception {
    ApplyResult result = reconciler.reconcile(config(THREE_WAYS));
    assertThat(result.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.DEGRADED);
    assertThat(reconciler.installed().size()).isEqualTo(1);
    assertThat(ours().nextHops()).containsExactlyElementsOf(WHOLE);
    notifications.clear();
  }

  private void assertPutBackWhole(RepairResult repair, Change.Op op) {
    assertThat(repair.failure()).isNull();
    assertThat(repair.results()).singleElement().satisfies(r -> {
      assertThat(r.verdict()).isEqualTo(ErrnoPolicy.Verdict.DONE);
      assertThat(r.change().op()).isEqualTo(op);
      assertThat(r.change().route().nextHops()).as("without eth4, which is still absent")
          .containsExactlyElementsOf(WHOLE);
    });
    assertThat(ours().multipath()).isTrue();
    assertThat(ours().nextHops()).containsExactlyElementsOf(WHOLE);
  }

  @Test
  void aDeletedDegradedMultipathRouteIsPutBackWithItsInstallableNextHops() throws Exception {
    reconciled();
    kernel.ipRouteDelete(ours());
    RepairResult repair = reconciler.repair(notifications.routes());
    assertPutBackWhole(repair, Change.Op.ADD);
    assertThat(RepairResult.cause(repair.changes().get(0))).isEqualTo("deleted-externally");
  }

  @Test
  void aSinglePathReplacingItIsRepairedIntoTheMultipathRoute() throws Exception {
    reconciled();
    kernel.ipRouteReplace(new RouteMessage(2, IpPrefix.parse("10.0.0.0/16").prefix(), 0, 254, PROTO, 0,
        Rtnetlink.RTN_UNICAST, 0, ip("172.31.64.1"), 2, OptionalInt.empty(), null, OptionalInt.empty(), false, false,
        List.of()));
    RepairResult repair = reconciler.repair(notifications.routes());
    assertPutBackWhole(repair, Change.Op.REPLACE);
    assertThat(RepairResult.cause(repair.changes().get(0))).isEqualTo("changed-externally");
  }

  @Test
  void anotherWeightIsRepaired() throws Exception {
    reconciled();
    kernel.ipRouteReplace(multipath(List.of(new NextHop(0, 1, 2, ip("172.31.64.1")), new NextHop(0, 7, 4,
        ip("172.31.80.1")))));
    assertPutBackWhole(reconciler.repair(notifications.routes()), Change.Op.REPLACE);
  }

  @Test
  void theKernelsLivenessMarksAndOrderCallForNoRepair() throws Exception {
    reconciled();
    int sent = kernel.requests().size();
    kernel.ipRouteReplace(multipath(List.of(
        new NextHop(Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN, 3, 4, ip("172.31.80.1")),
        new NextHop(0, 1, 2, ip("172.31.64.1")))));
    assertThat(reconciler.repair(notifications.routes())).isSameAs(RepairResult.NOTHING);
    assertThat(kernel.requests()).hasSize(sent);
  }
}
