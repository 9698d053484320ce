package io.routeagent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The stable names README.md lists, and what each call does to them, as Prometheus scrapes them. */
class AgentMetricsTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AgentMetrics metrics = new AgentMetrics(registry);

  private String scrape() {
    return registry.scrape();
  }

  @Test
  void everyStableNameIsThereFromTheStart() {
    assertThat(scrape()).contains(
        "route_agent_routes{state=\"desired\"} 0",
        "route_agent_routes{state=\"installed\"} 0",
        "route_agent_routes{state=\"degraded\"} 0",
        "route_agent_routes{state=\"missing\"} 0",
        "route_agent_routes{state=\"waiting\"} 0",
        "route_agent_reconciles_total{result=\"success\"} 0",
        "route_agent_reconciles_total{result=\"failure\"} 0",
        "route_agent_reconcile_seconds_count 0",
        "route_agent_route_changes_total{op=\"add\"} 0",
        "route_agent_route_changes_total{op=\"restore\"} 0",
        "route_agent_drift_repairs_total 0",
        "route_agent_config_reloads_total{result=\"success\"} 0",
        "route_agent_config_valid 1",
        "route_agent_netlink_overruns_total 0",
        "route_agent_repair_latency_seconds{quantile=\"0.99\"}");
  }

  @Test
  void callsMoveTheirMeters() {
    metrics.routes(AgentMetrics.RouteGauge.INSTALLED, 7);
    metrics.reconciled(true, Duration.ofMillis(20));
    metrics.reconciled(false, Duration.ofMillis(5));
    metrics.changed("replace");
    metrics.driftRepaired(3, Duration.ofMillis(2));
    metrics.configReloaded(false);
    metrics.overrun();
    assertThat(scrape()).contains(
        "route_agent_routes{state=\"installed\"} 7",
        "route_agent_reconciles_total{result=\"success\"} 1",
        "route_agent_reconciles_total{result=\"failure\"} 1",
        "route_agent_reconcile_seconds_count 2",
        "route_agent_route_changes_total{op=\"replace\"} 1",
        "route_agent_drift_repairs_total 3",
        "route_agent_repair_latency_seconds_count 1",
        "route_agent_config_reloads_total{result=\"failure\"} 1",
        "route_agent_config_valid 0",
        "route_agent_netlink_overruns_total 1");
    metrics.configReloaded(true);
    assertThat(scrape()).contains("route_agent_config_valid 1", "route_agent_config_reloads_total{result=\"success\"} 1");
  }

  @Test
  void anUnknownChangeIsAProgrammingErrorNotANewSeries() {
    assertThatThrownBy(() -> metrics.changed("flush")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flush");
    assertThat(scrape()).doesNotContain("flush");
  }
}
