package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.routeagent.config.ConfigLoader;
import io.routeagent.config.DesiredConfig;
import io.routeagent.config.Policy;
import io.routeagent.config.TableNames;
import io.routeagent.metrics.AgentMetrics;
import io.routeagent.net.IpAddresses;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.reconcile.ApplyResult;
import io.routeagent.reconcile.Planner;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.testing.FakeKernel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gauges a full reconcile leaves, and whether it counts as a failure for /healthz. */
class ReconcileReportTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ReconcileReport report = new ReconcileReport(new AgentMetrics(registry), Optional.empty(), () -> 0L);

  @Test
  void aMultipathRouteWithANextHopDownIsOneDegradedRouteAndNoFailure() throws Exception {
    FakeKernel kernel = new FakeKernel();
    kernel.withLink(new LinkMessage(4, Rtnetlink.IFF_UP, "eth3", "0a:00:00:00:00:04", List.of()));
    kernel.withAddresses(new AddressMessage(2, 20, 0, 0, 4, IpAddresses.parse("172.31.80.10").orElseThrow()));
    DesiredConfig config = new ConfigLoader(TableNames.of(Map.of())).parse("routes.yaml", """
        routes:
          - "10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via 172.31.80.1 dev eth3 nexthop via 172.31.96.1 dev eth4"
          - "10.1.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via 172.31.80.1 dev eth3"
          - "10.2.0.0/16 via 172.31.96.1 dev eth4"
        """);
    Reconciler reconciler = new Reconciler(kernel, new Planner(157));
    ApplyResult result = reconciler.reconcile(config);

    boolean failed = report.reconciled(result, "startup", 0, 0, reconciler.installed(), Policy.NONE);
    assertThat(failed).as("a degraded route is available: /healthz stays 200").isFalse();
    assertThat(registry.scrape()).contains(
        "route_agent_routes{state=\"desired\"} 3",
        "route_agent_routes{state=\"installed\"} 1",
        "route_agent_routes{state=\"degraded\"} 1",
        "route_agent_routes{state=\"waiting\"} 1",
        "route_agent_routes{state=\"missing\"} 0");
    assertThat(reconciler.installed().size()).as("both are repaired when deleted").isEqualTo(2);
    assertThat(report.statusLine(reconciler.installed().size(), config, null))
        .as("systemd's STATUS= counts the degraded route apart, as the gauges do")
        .isEqualTo("STATUS=1/3 routes installed, 1 degraded");

    report.forget();
    assertThat(report.statusLine(0, config, null)).isEqualTo("STATUS=0/3 routes installed");
  }
}
