package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 2: a route that is not installed says why, the same in `plan`, `status` (text and
 * JSON), the daemon's log, its metrics and /healthz. Before: a gateway on no subnet of eth2 was
 * planned as an add, waited forever (ENETUNREACH), `status` said `missing` with no reason and
 * /healthz stayed 200; `dev: eht2` waited silently.
 */
class RouteStatesIT extends DaemonTestBase {
  static final String FILE = """
      routes:
        - "10.0.0.0/16 via 172.31.64.1 dev eth2"
        - "10.5.0.0/16 via 10.99.0.1 dev eth2"
        - "10.6.0.0/16 via 172.31.64.1 dev eht2"
      """;
  static final String UNREACHABLE = "gateway 10.99.0.1 is on no subnet of interface eth2 (172.31.64.0/20): correct"
      + " `via`, or add `onlink: true` if the gateway is reachable on that link all the same";

  @Override
  String initialRoutesFile() {
    return FILE;
  }

  @Test
  void eachRouteThatIsNotInstalledSaysWhyEverywhere() {
    Commands.Result plan = ns.agent(config, "plan");
    assertThat(plan.status()).as("something can never be installed as written: %s", plan.output()).isEqualTo(1);
    assertThat(plan.output()).contains("unreachable 10.5.0.0/16 via 10.99.0.1 dev eth2  (" + UNREACHABLE + ")",
        "waiting    10.6.0.0/16 via 172.31.64.1 dev eht2  (interface eht2 is absent; did you mean eth2?)");

    Commands.Result status = ns.agent(config, "status");
    assertThat(status.output()).contains("unreachable 10.5.0.0/16 via 10.99.0.1 dev eth2  (" + UNREACHABLE + ")",
        "did you mean eth2?");
    Commands.Result json = ns.agent(config, "status", "--json");
    assertThat(json.output()).contains("\"state\":\"unreachable\",\"reason\":\"" + UNREACHABLE + "\"",
        "\"reason\":\"interface eht2 is absent; did you mean eth2?\"", "\"unreachable\":1");

    AgentProcess agent = launch(java.util.Map.of());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (agent.http("/healthz").status() != 503) {
      assertThat(System.nanoTime()).as("/healthz 503 within 30 s: %s", agent.log()).isLessThan(deadline);
      Thread.onSpinWait();
    }
    agent.awaitSample("route_agent_routes{state=\"unreachable\"}", v -> v == 1.0, Duration.ofSeconds(30));
    assertThat(agent.sample("route_agent_routes{state=\"waiting\"}")).isEqualTo(1.0);
    assertThat(agent.sample("route_agent_routes{state=\"missing\"}")).isZero();
    AgentProcess.Response health = agent.http("/healthz");
    assertThat(health.status()).as("a route that can never be installed as written is a fault").isEqualTo(503);
    assertThat(health.body()).contains("10.5.0.0/16 via 10.99.0.1 dev eth2 (unreachable: gateway 10.99.0.1");
    assertThat(agent.log()).contains("unreachable route=\"10.5.0.0/16 via 10.99.0.1 dev eth2\" reason=\"" + UNREACHABLE,
        "waiting route=\"10.6.0.0/16 via 172.31.64.1 dev eht2\" reason=\"interface eht2 is absent; did you mean eth2?\"");
    assertThat(routes()).contains("10.0.0.0/16 via 172.31.64.1").doesNotContain("10.5.0.0", "10.6.0.0");
  }
}
