package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code route-agent run} against the real kernel: each bullet of issue 3's "What a user sees"
 * about drift, metrics, logs and the process's life, with {@code ip -n NS route} as the witness.
 */
class DaemonIT extends DaemonTestBase {
  private static final Pattern CHANGE_LINE = Pattern.compile("(?m)\\b(added|replaced|deleted) to=");

  @Test
  void installsTheRoutesAtStartupAndPutsBackADeletedOne() {
    AgentProcess agent = startAgent();
    assertThat(routes()).satisfies(t -> assertThat(hasAll(R1, R2, R3).test(t)).as(t).isTrue());
    assertThat(agent.log()).contains("added to=10.0.0.0/16 via=172.31.64.1 dev=eth2 cause=startup");

    ns.ip("route", "del", "10.0.0.0/16");
    awaitRoutes(agent, hasAll(R1, R2, R3));
    agent.awaitLog("added to=10.0.0.0/16 via=172.31.64.1 dev=eth2 cause=deleted-externally", SOON);
    agent.awaitSample("route_agent_drift_repairs_total", v -> v >= 1, SOON);

    // Again, and a second route at the same time: both come back.
    ns.ip("route", "del", "10.0.0.0/16");
    ns.ip("route", "del", "10.20.0.0/16", "metric", "50");
    awaitRoutes(agent, hasAll(R1, R2, R3));
    agent.awaitSample("route_agent_drift_repairs_total", v -> v >= 3, SOON);
  }

  @Test
  void routesComeBackWhenTheLinkComesBackUp() {
    AgentProcess agent = startAgent();
    ns.ip("link", "set", "eth2", "down");
    // The kernel drops the gateway routes with the link, without RTM_DELROUTE.
    assertThat(routes()).doesNotContain("10.0.0.0/16", "10.20.0.0/16", "10.30.0.0/16");
    agent.awaitSample("route_agent_routes{state=\"waiting\"}", v -> v == 3, SOON);
    agent.awaitLog("reason=\"interface eth2 is down\"", SOON);
    assertThat(routes()).doesNotContain("10.0.0.0/16");

    ns.ip("link", "set", "eth2", "up");
    awaitRoutes(agent, hasAll(R1, R2, R3));
    agent.awaitLog("added to=10.0.0.0/16 via=172.31.64.1 dev=eth2 cause=link-up", SOON);
    // Sent back as they were, create-only, before any plan; the full reconcile after it had
    // nothing left to add.
    agent.awaitLog("re-added routes=3 of 3 dev=eth2 cause=link-up", SOON);
    agent.awaitSample("route_agent_routes{state=\"installed\"}", v -> v == 3, SOON);
    // Three at the start, the same three put back: none sent twice.
    agent.awaitSample("route_agent_route_changes_total{op=\"add\"}", v -> v == 6, SOON);
  }

  @Test
  void aRouteAnotherProgramPutInPlaceOfOursWhileTheLinkWasDownIsLeftToTheFullReconcile() {
    AgentProcess agent = startAgent();
    ns.ip("link", "set", "eth2", "down");
    agent.awaitSample("route_agent_routes{state=\"waiting\"}", v -> v == 3, SOON);
    ns.ip("route", "add", "10.30.0.0/16", "via", "192.0.2.1", "dev", "eth0", "proto", "static");

    ns.ip("link", "set", "eth2", "up");
    // The kernel refused the one create-only request (EEXIST) and took the other two.
    agent.awaitLog("re-added routes=2 of 3 dev=eth2 cause=link-up", SOON);
    // Then the plan saw theirs, and adopted it as it adopts any other owner's route.
    agent.awaitLog("replaced to=10.30.0.0/16 via=172.31.64.1 dev=eth2 cause=link-up", SOON);
    awaitRoutes(agent, hasAll(R1, R2, R3));
  }

  @Test
  void routesComeBackWhenADeletedLinkIsCreatedAgain() {
    AgentProcess agent = startAgent();
    ns.ip("link", "del", "eth2");
    agent.awaitSample("route_agent_routes{state=\"waiting\"}", v -> v == 3, SOON);
    assertThat(routes()).doesNotContain("10.0.0.0/16", "10.20.0.0/16", "10.30.0.0/16");

    // As notebook-netns.sh made it; the new eth2 has another ifindex.
    ns.ip("link", "add", "eth2", "type", "veth", "peer", "name", "eth2-peer");
    ns.ip("link", "set", "eth2-peer", "up");
    ns.ip("link", "set", "eth2", "up");
    ns.ip("addr", "add", "172.31.64.10/20", "dev", "eth2");
    awaitRoutes(agent, hasAll(R1, R2, R3));
    agent.awaitSample("route_agent_routes{state=\"installed\"}", v -> v == 3, SOON);
  }

  @Test
  void routesComeBackWhenTheAddressIsRemovedAndAddedAgain() {
    // A DHCP renewal: the kernel flushes the routes through the address's subnet, without RTM_DELROUTE.
    AgentProcess agent = startAgent();
    ns.ip("addr", "del", "172.31.64.10/20", "dev", "eth2");
    assertThat(routes()).doesNotContain("10.0.0.0/16");
    agent.awaitSample("route_agent_routes{state=\"installed\"}", v -> v == 0, SOON);
    ns.ip("addr", "add", "172.31.64.10/20", "dev", "eth2");
    awaitRoutes(agent, hasAll(R1, R2, R3));
    agent.awaitLog("cause=address-added", SOON);
  }

  @Test
  void anInvalidFileAtStartupAppliesNothingUntilItIsFixed() throws IOException {
    ns.ip("route", "add", "10.0.0.0/16", "via", "172.31.64.1", "dev", "eth2", "proto", "157");
    Files.writeString(config, "routes:\n  - to: 10.0.0.0/33\n");
    AgentProcess agent = launch(Map.of());
    agent.awaitLog("invalid config, nothing is applied until it is fixed", Duration.ofSeconds(20));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    AgentProcess.Response health;
    do {
      health = agent.http("/healthz");
      AgentProcess.pause(20);
      // Until the first reconcile the answer is 503 "starting": wait for the one after it.
    } while ((health.status() != 503 || health.body().contains("starting")) && System.nanoTime() < deadline);
    assertThat(health.status()).as(health.body()).isEqualTo(503);
    assertThat(health.body()).contains("no valid routes file");
    assertThat(agent.sample("route_agent_config_valid")).isZero();
    // Nothing pruned: the owned route that the (unreadable) file may still want stays.
    assertThat(routes()).contains(R1);

    Files.writeString(config, ROUTES);
    awaitRoutes(agent, hasAll(R1, R2, R3));
    agent.awaitSample("route_agent_config_valid", v -> v == 1, SOON);
    // The file is valid as soon as it is read; healthy once the reconcile it asked for is over.
    long healthy = System.nanoTime() + SOON.toNanos();
    while (agent.http("/healthz").status() != 200 && System.nanoTime() < healthy) {
      AgentProcess.pause(20);
    }
    assertThat(agent.http("/healthz").status()).isEqualTo(200);
  }

  @Test
  void thePeriodicResyncRunsAtTheResyncInterval() {
    AgentProcess agent = startAgent("--resync-interval", "1s");
    // Three within 20 s: the default interval (60 s) would give one.
    agent.awaitSample("route_agent_reconciles_total{result=\"success\"}", v -> v >= 3, Duration.ofSeconds(20));
    assertThat(agent.log()).doesNotContainPattern(CHANGE_LINE.pattern().replace("to=", "to=.*cause=resync"));
  }

  @Test
  void aRouteReplacedWithAnotherGatewayIsReverted() {
    AgentProcess agent = startAgent();
    ns.ip("route", "replace", "10.0.0.0/16", "via", "172.31.64.77", "dev", "eth2");
    String table = awaitRoutes(agent, hasAll(R1, R2, R3).and(hasNone("172.31.64.77")));
    assertThat(table).doesNotContain("172.31.64.77");
    agent.awaitLog("cause=changed-externally", SOON);
  }

  @Test
  void metricsShowEveryNamedMetricAndHealthzSaysOk() {
    AgentProcess agent = startAgent();
    ns.ip("route", "del", "10.0.0.0/16");
    awaitRoutes(agent, hasAll(R1));
    String metrics = agent.awaitSample("route_agent_drift_repairs_total", v -> v >= 1, SOON);

    assertThat(AgentProcess.sample(metrics, "route_agent_routes{state=\"desired\"}")).isEqualTo(3);
    assertThat(AgentProcess.sample(metrics, "route_agent_routes{state=\"installed\"}")).isEqualTo(3);
    assertThat(AgentProcess.sample(metrics, "route_agent_routes{state=\"missing\"}")).isZero();
    assertThat(AgentProcess.sample(metrics, "route_agent_routes{state=\"waiting\"}")).isZero();
    assertThat(AgentProcess.sample(metrics, "route_agent_reconciles_total{result=\"success\"}")).isGreaterThanOrEqualTo(1);
    AgentProcess.sample(metrics, "route_agent_reconciles_total{result=\"failure\"}");
    assertThat(AgentProcess.sample(metrics, "route_agent_reconcile_seconds_count")).isGreaterThanOrEqualTo(1);
    AgentProcess.sample(metrics, "route_agent_reconcile_seconds_sum");
    assertThat(AgentProcess.sample(metrics, "route_agent_route_changes_total{op=\"add\"}")).isGreaterThanOrEqualTo(4);
    AgentProcess.sample(metrics, "route_agent_route_changes_total{op=\"replace\"}");
    AgentProcess.sample(metrics, "route_agent_route_changes_total{op=\"delete\"}");
    assertThat(AgentProcess.sample(metrics, "route_agent_config_reloads_total{result=\"success\"}")).isGreaterThanOrEqualTo(1);
    AgentProcess.sample(metrics, "route_agent_config_reloads_total{result=\"failure\"}");
    assertThat(AgentProcess.sample(metrics, "route_agent_config_valid")).isEqualTo(1);
    assertThat(AgentProcess.sample(metrics, "route_agent_netlink_overruns_total")).isZero();
    assertThat(metrics)
        .contains("# TYPE route_agent_routes gauge")
        .contains("# TYPE route_agent_reconciles_total counter")
        .containsPattern("(?m)^jvm_memory_used_bytes\\{")
        .containsPattern("(?m)^jvm_threads_live_threads ")
        .containsPattern("(?m)^jvm_gc_");

    AgentProcess.Response health = agent.http("/healthz");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
    assertThat(agent.http("/nothing").status()).isEqualTo(404);
  }

  @Test
  void healthzNeverSaysTheWatcherStoppedWhileStarting() {
    // A probe started before the daemon records every /healthz answer until the first 200.
    for (int start = 0; start < 3; start++) {
      Process probe;
      try {
        probe = new ProcessBuilder("ip", "netns", "exec", ns.name, "bash", "-c",
            "for i in $(seq 1 100000); do exec 3<>/dev/tcp/127.0.0.1/9469 || continue;"
                + " printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3; r=$(cat <&3); exec 3<&-;"
                + " echo \"${r##*$'\\n'}\"; case $r in *' 200 '*) break;; esac; done 2>/dev/null")
            .redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      AgentProcess agent = launch(Map.of()).awaitHealthy();
      String answers;
      try {
        assertThat(probe.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        answers = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      } finally {
        probe.destroyForcibly();
      }
      assertThat(answers).contains("ok").doesNotContain("watcher stopped");
      agent.close();
    }
  }

  @Test
  void healthzSays503WithTheReasonWhenARouteIsRefused() throws IOException {
    // Inside eth2's connected subnet without override: refused by the guard rails.
    Files.writeString(config, ROUTES + "  - 172.31.64.0/24 via 172.31.64.1 dev eth2\n");
    AgentProcess agent = launch(Map.of());
    agent.awaitLog("cause=startup", Duration.ofSeconds(20));
    long deadline = System.nanoTime() + SOON.toNanos();
    AgentProcess.Response health;
    do {
      health = agent.http("/healthz");
      // The start-up's lines are logged before its verdict: skip the 503 "starting" before it.
    } while ((health.status() != 503 || health.body().contains("starting")) && System.nanoTime() < deadline);
    assertThat(health.status()).as(health.body() + agent.log()).isEqualTo(503);
    assertThat(health.body()).startsWith("unhealthy: ").contains("refused");
    assertThat(hasAll(R1, R2, R3).test(routes())).as(routes()).isTrue();
  }

  @Test
  void journalStreamPutsTheSyslogPriorityOnEveryLine() throws IOException {
    // An info (added), a warning (waiting for an absent interface) and, after a reload, errors.
    Files.writeString(config, ROUTES + "  - 10.40.0.0/16 dev eth9\n");
    AgentProcess agent = launchUnderJournal().awaitHealthy();
    Files.writeString(config, "routes:\n  - to: 10.0.0.0/33\n");
    agent.awaitSample("route_agent_config_valid", v -> v == 0, SOON);
    agent.awaitLog("<3>", SOON);

    List<String> lines = agent.log().lines().filter(l -> !l.isEmpty()).toList();
    assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).matches("<[0-7]>\\S.*"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("<6>added to=10.0.0.0/16"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("<4>waiting").contains("eth9"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("<3>invalid config").contains("routes.yaml:2:"));
  }

  @Test
  void anInheritedJournalStreamThatIsNotOurStderrPutsNoPrefix() throws IOException {
    // A shell started from a service inherits JOURNAL_STREAM while its stderr is elsewhere.
    AgentProcess agent = launch(Map.of("JOURNAL_STREAM", "8:123456")).awaitHealthy();
    assertThat(agent.log().lines().filter(l -> !l.isEmpty()).toList())
        .isNotEmpty()
        .noneSatisfy(line -> assertThat(line).startsWith("<"));
  }

  @Test
  void withoutJournalStreamLinesCarryNoPriorityPrefix() throws IOException {
    Files.writeString(config, ROUTES + "  - 10.40.0.0/16 dev eth9\n");
    AgentProcess agent = startAgent();
    Files.writeString(config, "routes:\n  - to: 10.0.0.0/33\n");
    agent.awaitSample("route_agent_config_valid", v -> v == 0, SOON);
    agent.awaitLog("ERROR", SOON);
    List<String> lines = agent.log().lines().filter(l -> !l.isEmpty()).toList();
    assertThat(lines).isNotEmpty().noneSatisfy(line -> assertThat(line).startsWith("<"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(" INFO  added to=10.0.0.0/16"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(" WARN  waiting"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(" ERROR invalid config"));
  }

  @Test
  void theLogCopyGoesToLogsBesideTheRoutesFileNotIntoTheWatchedDirectory() throws IOException {
    assertThat(dir.resolve("logs")).doesNotExist();
    AgentProcess agent = startAgent();
    java.nio.file.Path copy = dir.resolve("logs").resolve("route-agent.log");
    assertThat(copy).exists();
    assertThat(Files.readString(copy)).contains("added to=10.0.0.0/16 via=172.31.64.1 dev=eth2 cause=startup");
    assertThat(dir.resolve("route-agent.log")).doesNotExist();
    assertThat(agent.alive()).isTrue();
  }

  @Test
  void sigtermExitsZeroWithinASecondAndLeavesTheRoutes() throws InterruptedException {
    AgentProcess agent = startAgent();
    String before = routes();
    assertThat(agent.terminate(Duration.ofSeconds(1))).as(agent.log()).isZero();
    assertThat(agent.log()).contains("stopping cause=signal");
    assertThat(routes()).isEqualTo(before);
    assertThat(hasAll(R1, R2, R3).test(before)).isTrue();

    // A restart finds nothing to change.
    AgentProcess again = startAgent();
    assertThat(again.log()).doesNotContainPattern(CHANGE_LINE);
    assertThat(routes()).isEqualTo(before);
  }

  @Test
  void killMinusNineLeavesTheRoutesAndARestartChangesNothing() throws InterruptedException {
    AgentProcess agent = startAgent();
    String before = routes();
    agent.kill();
    assertThat(routes()).isEqualTo(before);

    AgentProcess again = startAgent();
    assertThat(again.log()).doesNotContainPattern(CHANGE_LINE);
    String metrics = again.metrics();
    for (String op : List.of("add", "replace", "delete")) {
      assertThat(AgentProcess.sample(metrics, "route_agent_route_changes_total{op=\"" + op + "\"}")).as(op).isZero();
    }
    assertThat(routes()).isEqualTo(before);
  }

  @Test
  void aSecondRunInTheSameNamespaceRefusesToStart() throws InterruptedException {
    AgentProcess first = startAgent();
    AgentProcess second = launch(Map.of());
    assertThat(second.awaitExit(Duration.ofSeconds(20))).as(second.log()).isEqualTo(1);
    assertThat(second.log())
        .contains("another route-agent (pid " + first.pid() + ")")
        .contains("lock")
        .doesNotContain("Exception", "\tat ");
    assertThat(first.alive()).isTrue();

    // The first one still repairs.
    ns.ip("route", "del", "10.0.0.0/16");
    awaitRoutes(first, hasAll(R1, R2, R3));
  }
}
