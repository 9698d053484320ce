package io.routeagent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.ConfigLoader;
import io.routeagent.config.DesiredConfig;
import io.routeagent.config.Policy;
import io.routeagent.config.TableNames;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.NextHop;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.reconcile.Plan;
import io.routeagent.reconcile.Planner;
import io.routeagent.reconcile.RouteState;
import io.routeagent.testing.FakeKernel;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What status --json, /status.json and the status page say of a multipath route with a link down. */
class StatusReportTest {
  static final int PROTO = 157;
  final FakeKernel kernel = new FakeKernel();

  private static InetAddress ip(String text) {
    return IpAddresses.parse(text).orElseThrow();
  }

  /** 10.0.0.0/16 through eth2 and eth3, eth3 down and its next hop dead; 10.1.0.0/16 through eth2 alone. */
  private StatusReport eth3Down() throws Exception {
    kernel.withLink(new LinkMessage(4, 0, "eth3", "0a:00:00:00:00:04", List.of()));
    kernel.withAddresses(new AddressMessage(2, 20, 0, 0, 4, ip("172.31.80.10")));
    kernel.withRoutes(new RouteMessage(2, IpPrefix.parse("10.0.0.0/16").prefix(), 0, 254, PROTO, 0,
        Rtnetlink.RTN_UNICAST, 0, null, 0, OptionalInt.empty(), null, OptionalInt.empty(), false, true, List.of(
            new NextHop(0, 1, 2, ip("172.31.64.1")),
            new NextHop(Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN, 3, 4, ip("172.31.80.1")))));
    kernel.withRoutes(new RouteMessage(2, IpPrefix.parse("10.1.0.0/16").prefix(), 0, 254, PROTO, 0,
        Rtnetlink.RTN_UNICAST, 0, ip("172.31.64.1"), 2, OptionalInt.empty(), null, OptionalInt.empty(), false, false,
        List.of()));
    DesiredConfig config = new ConfigLoader(TableNames.of(Map.of())).parse("routes.yaml", """
        routes:
          - "10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via 172.31.80.1 dev eth3 weight 3"
          - "10.1.0.0/16 via 172.31.64.1 dev eth2"
        """);
    Plan plan = new Planner(PROTO).plan(config, kernel.snapshot());
    assertThat(plan.changes()).as("a down link is not fought").isEmpty();
    return StatusReport.of(plan, Policy.NONE);
  }

  @Test
  void aDegradedRouteHasItsStateAndItsDownNextHopsInTheJson() throws Exception {
    StatusReport report = eth3Down();
    assertThat(report.count(RouteState.DEGRADED)).isEqualTo(1);
    assertThat(report.count(RouteState.INSTALLED)).isEqualTo(1);
    assertThat(report.json())
        .contains("\"route\":\"10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via 172.31.80.1 dev eth3 weight 3\","
            + "\"to\":\"10.0.0.0/16\",\"table\":254,\"dev\":null,\"state\":\"degraded\",\"reason\":\"1 of 2 next hops"
            + " down: via 172.31.80.1 dev eth3 (interface eth3 is down; the kernel keeps it dead linkdown)\","
            + "\"down_nexthops\":[{\"via\":\"172.31.80.1\",\"dev\":\"eth3\",\"reason\":\"interface eth3 is down; the"
            + " kernel keeps it dead linkdown\"}]")
        .contains("\"state\":\"installed\",\"reason\":null,\"down_nexthops\":[]")
        .contains("\"summary\":{\"installed\":1,\"degraded\":1,");
  }

  @Test
  void theStatusPageShowsTheDegradedRouteFirstAndCountsItApart() throws Exception {
    StatusBoard board = new StatusBoard(java.time.Clock.systemUTC());
    board.reconciled(eth3Down());
    String page = StatusPage.render(board.snapshot(), Optional.empty(), List.of());
    assertThat(page).contains("<p id=\"summary\">1/2 routes installed, 1 degraded</p>", "Healthy.",
        "data-state=\"degraded\"", "1 of 2 next hops down: via 172.31.80.1 dev eth3 (interface eth3 is down");
    assertThat(page.indexOf("data-state=\"degraded\"")).isLessThan(page.indexOf("data-state=\"installed\""));
  }

  /** The report keeps its routes in columns: what it gives back is what it was given, record for record. */
  @Test
  void theRoutesComeBackAsTheyWereGiven() throws Exception {
    List<StatusReport.Route> given = eth3Down().routes();
    DesiredConfig config = new ConfigLoader(TableNames.of(Map.of())).parse("routes.yaml", """
        routes:
          - "10.2.0.0/16 via 172.31.64.1 dev eth9"
        """);
    List<StatusReport.Route> routes = new java.util.ArrayList<>(given);
    routes.add(new StatusReport.Route(config.routes().get(0), RouteState.WAITING, "interface eth9 is absent", null));
    StatusReport report = new StatusReport(routes, List.of(), 1, Optional.empty(), Optional.empty());

    assertThat(report.routes()).isEqualTo(routes);
    assertThat(report.routes().get(0).down()).hasSize(1);
    assertThat(report.routes().get(2).reason()).isEqualTo("interface eth9 is absent");
    assertThat(report.count(RouteState.WAITING)).isEqualTo(1);
    assertThat(report.count(RouteState.FAILED)).isZero();
    assertThat(report.withHeld(Optional.empty()).routes()).isSameAs(report.routes());
    assertThat(new StatusReport(List.of(), List.of(), 0, Optional.empty(), Optional.empty()).json())
        .startsWith("{\"routes\":[],\"rules\":[],\"summary\":{\"installed\":0,");
  }

  /** Routes that wait for the same reason keep one text of it, however many times it was made. */
  @Test
  void equalReasonsAreKeptOnce() throws Exception {
    DesiredConfig config = new ConfigLoader(TableNames.of(Map.of())).parse("routes.yaml", """
        routes:
          - "10.2.0.0/16 via 172.31.64.1 dev eth2"
          - "10.3.0.0/16 via 172.31.64.1 dev eth2"
          - "10.4.0.0/16 via 172.31.64.1 dev eth3"
        """);
    List<StatusReport.Route> routes = List.of(
        new StatusReport.Route(config.routes().get(0), RouteState.WAITING, new String("interface eth2 is down"), null),
        new StatusReport.Route(config.routes().get(1), RouteState.WAITING, new String("interface eth2 is down"), null),
        new StatusReport.Route(config.routes().get(2), RouteState.WAITING, "interface eth3 is down", null));
    StatusReport report = new StatusReport(routes, List.of(), 0, Optional.empty(), Optional.empty());

    assertThat(report.routes()).isEqualTo(routes);
    assertThat(report.routes().get(1).reason()).isSameAs(report.routes().get(0).reason());
    assertThat(report.routes().get(2).reason()).isEqualTo("interface eth3 is down");
  }
}
