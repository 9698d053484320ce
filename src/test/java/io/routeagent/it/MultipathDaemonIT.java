package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code route-agent run} keeping multipath routes (issue 12) whole in a namespace with eth2 and
 * eth3: drift repaired at once, a link's down and up not fought, a deleted link's next hop put back
 * when it is created again.
 */
class MultipathDaemonIT extends DaemonTestBase {
  private static final Pattern CHANGE_LINE = Pattern.compile("(?m)\\b(added|replaced|deleted) to=");
  private static final String RECONCILES = "route_agent_reconciles_total{result=\"success\"}";
  private static final String INSTALLED = "route_agent_routes{state=\"installed\"}";
  private static final String DEGRADED = "route_agent_routes{state=\"degraded\"}";

  @Override
  String initialRoutesFile() {
    return """
        routes:
          - "10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via 172.31.80.1 dev eth3 weight 3"
          - "fd00:1::/64 nexthop via fe80::1 dev eth2 nexthop via fe80::2 dev eth3 weight 2"
        """;
  }

  @BeforeEach
  void eth3() {
    makeEth3();
  }

  private void makeEth3() {
    ns.addEth3();
  }

  private static final Predicate<String> V4_WHOLE = t -> t.contains("10.0.0.0/16 proto 157")
      && t.contains("nexthop via 172.31.64.1 dev eth2 weight 1 \n")
      && t.contains("nexthop via 172.31.80.1 dev eth3 weight 3 \n");
  private static final Predicate<String> V6_WHOLE = t -> t.contains("fd00:1::/64 proto 157")
      && t.contains("nexthop via fe80::1 dev eth2 weight 1 \n")
      && t.contains("nexthop via fe80::2 dev eth3 weight 2 \n");

  private String awaitV4(AgentProcess agent, Predicate<String> condition) {
    return ns.awaitIp(condition, SOON, agent::log, "route", "show", "10.0.0.0/16");
  }

  private String awaitV6(AgentProcess agent, Predicate<String> condition) {
    return ns.awaitIp(condition, SOON, agent::log, "-6", "route", "show", "fd00:1::/64");
  }

  @Test
  void aSinglePathAWeightChangeAndADeleteAreRepairedAtOnce() {
    AgentProcess agent = startAgent();
    awaitV4(agent, V4_WHOLE);
    awaitV6(agent, V6_WHOLE);

    ns.ip("route", "replace", "10.0.0.0/16", "via", "172.31.64.1", "dev", "eth2", "proto", "157");
    awaitV4(agent, V4_WHOLE);
    agent.awaitLog("cause=changed-externally", SOON);

    ns.ip("route", "replace", "10.0.0.0/16", "proto", "157", "nexthop", "via", "172.31.64.1", "dev", "eth2",
        "nexthop", "via", "172.31.80.1", "dev", "eth3", "weight", "7");
    awaitV4(agent, V4_WHOLE);

    ns.ip("route", "del", "10.0.0.0/16");
    awaitV4(agent, V4_WHOLE);
    agent.awaitLog("cause=deleted-externally", SOON);

    ns.ip("-6", "route", "replace", "fd00:1::/64", "via", "fe80::9", "dev", "eth2", "proto", "157");
    awaitV6(agent, V6_WHOLE);
    ns.ip("-6", "route", "del", "fd00:1::/64");
    awaitV6(agent, V6_WHOLE);
    // a third sibling appended (IPv6 notifies it alone): the route goes back to its two next hops
    ns.ip("-6", "route", "append", "fd00:1::/64", "via", "fe80::7", "dev", "eth2", "proto", "157");
    awaitV6(agent, V6_WHOLE.and(t -> !t.contains("fe80::7")));
    agent.awaitSample("route_agent_drift_repairs_total", v -> v >= 6, SOON);
    // one multipath route is one route to the metrics, whatever its next hops
    agent.awaitSample("route_agent_routes{state=\"installed\"}", v -> v == 2, SOON);
  }

  @Test
  void eth3sAddressRemovedAndAddedAgainLeavesTheRouteWhole() {
    AgentProcess agent = startAgent();
    awaitV4(agent, V4_WHOLE);
    ns.ip("addr", "del", "172.31.80.10/20", "dev", "eth3");
    // the kernel marks the next hop dead linkdown, and revives it when the address comes back
    awaitV4(agent, t -> t.contains("nexthop via 172.31.80.1 dev eth3 weight 3 dead linkdown"));
    double changes = agent.sample("route_agent_route_changes_total{op=\"replace\"}");
    ns.ip("addr", "add", "172.31.80.10/20", "dev", "eth3");
    awaitV4(agent, V4_WHOLE.and(t -> !t.contains("dead")));
    assertThat(agent.sample("route_agent_route_changes_total{op=\"replace\"}")).isEqualTo(changes);
  }

  @Test
  void aLinkGoingDownAndUpCausesNoChange() {
    AgentProcess agent = startAgent();
    awaitV4(agent, V4_WHOLE);
    double before = agent.sample(RECONCILES);
    String startup = agent.log();

    ns.ip("link", "set", "eth3", "down");
    agent.awaitSample(RECONCILES, v -> v > before, SOON);
    assertThat(ns.ip("route", "show", "10.0.0.0/16")).contains("dev eth3 weight 3 dead linkdown");
    assertThat(ns.ip("-6", "route", "show", "fd00:1::/64")).contains("dev eth3 weight 2 dead linkdown");
    double down = agent.sample(RECONCILES);
    // both routes degraded, each counted once, and the daemon still healthy: they are available
    String metrics = agent.awaitSample(DEGRADED, v -> v == 2, SOON);
    assertThat(AgentProcess.sample(metrics, INSTALLED)).isZero();
    assertThat(AgentProcess.sample(metrics, "route_agent_routes{state=\"missing\"}")).isZero();
    assertThat(agent.http("/healthz").status()).isEqualTo(200);
    assertThat(agent.http("/status.json").body()).contains("\"state\":\"degraded\"", "\"down_nexthops\":[{\"via\":"
        + "\"172.31.80.1\",\"dev\":\"eth3\",\"reason\":\"interface eth3 is down; the kernel keeps it dead linkdown\"}]");
    Commands.Result status = ns.agent(config, "status", "--json");
    assertThat(status.status()).as(status.output()).isEqualTo(2);
    assertThat(status.output()).contains("\"installed\":0,\"degraded\":2", "\"down_nexthops\":[{\"via\":"
        + "\"fe80::2\",\"dev\":\"eth3\",\"reason\":\"interface eth3 is down; the kernel keeps it dead linkdown\"}]");

    ns.ip("link", "set", "eth3", "up");
    agent.awaitSample(RECONCILES, v -> v > down, SOON);
    awaitV4(agent, V4_WHOLE.and(t -> !t.contains("dead")));
    awaitV6(agent, V6_WHOLE.and(t -> !t.contains("dead")));
    agent.awaitSample(INSTALLED, v -> v == 2, SOON);
    assertThat(agent.sample(DEGRADED)).isZero();
    Commands.Result after = ns.agent(config, "status", "--json");
    assertThat(after.status()).as(after.output()).isZero();
    assertThat(after.output()).contains("\"installed\":2,\"degraded\":0").doesNotContain("\"via\":\"fe80::2\"");
    String since = agent.log().substring(startup.length());
    assertThat(since).as(since).doesNotContainPattern(CHANGE_LINE.pattern());
  }

  @Test
  void aDeletedLinksNextHopComesBackWhenTheLinkIsCreatedAgain() {
    AgentProcess agent = startAgent();
    awaitV4(agent, V4_WHOLE);
    awaitV6(agent, V6_WHOLE);

    // IPv4 drops the whole route without a notification, IPv6 only eth3's sibling: both keep eth2.
    ns.ip("link", "del", "eth3");
    awaitV4(agent, t -> t.equals("10.0.0.0/16 via 172.31.64.1 dev eth2 proto 157 \n"));
    awaitV6(agent, t -> t.startsWith("fd00:1::/64 via fe80::1 dev eth2 proto 157"));

    makeEth3();
    awaitV4(agent, V4_WHOLE);
    awaitV6(agent, V6_WHOLE);
  }
}
