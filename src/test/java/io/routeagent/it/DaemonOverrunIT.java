package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * ENOBUFS on the event socket: with a tiny receive buffer (the hidden --event-receive-buffer), a
 * storm of foreign route changes from another process overruns it while desired routes are being
 * deleted. The agent must count the overruns, resync, converge, and keep its memory bounded.
 */
class DaemonOverrunIT extends DaemonTestBase {
  private static final int DESIRED = 50;
  private static final long RSS_LIMIT_KIB = 200 * 1024;

  @Test
  void aStormOfForeignChangesOverrunsTheEventSocketAndTheDesiredRoutesStillConverge() throws Exception {
    StringBuilder file = new StringBuilder("routes:\n");
    List<String> desired = new ArrayList<>();
    StringBuilder deletions = new StringBuilder();
    for (int i = 0; i < DESIRED; i++) {
      file.append("  - 10.1.").append(i).append(".0/24 via 172.31.64.1 dev eth2\n");
      desired.add("10.1." + i + ".0/24 via 172.31.64.1 dev eth2 proto 157");
      deletions.append("route del 10.1.").append(i).append(".0/24\n");
    }
    Files.writeString(config, file);
    Path deleteBatch = Files.writeString(dir.resolve("delete.batch"), deletions);
    // Foreign routes in 10.200.0.0/16 (proto static), added and deleted again, round after round.
    StringBuilder storm = new StringBuilder();
    for (int round = 0; round < 6; round++) {
      for (String op : List.of("add", "del")) {
        for (int i = 0; i < 3000; i++) {
          storm.append("route ").append(op).append(" 10.200.").append(i / 256).append('.').append(i % 256)
              .append("/32 dev eth0 proto static\n");
        }
      }
    }
    Path stormBatch = Files.writeString(dir.resolve("storm.batch"), storm);
    ns.ip("route", "add", "10.99.0.0/16", "via", "172.31.64.1", "dev", "eth2", "proto", "static");

    AgentProcess agent = startAgent("--event-receive-buffer", "4096");
    Predicate<String> converged = table -> desired.stream().allMatch(route -> table.lines().anyMatch(l -> l.trim().equals(route)));
    assertThat(converged.test(routes())).as(routes()).isTrue();

    Process stormer = new ProcessBuilder("ip", "-n", ns.name, "-batch", stormBatch.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("storm.out").toFile()).start();
    long peakRss = 0;
    int deletionRounds = 0;
    try {
      while (!stormer.waitFor(100, TimeUnit.MILLISECONDS)) {
        // -force: go on past the routes that are already gone.
        Netns.run(List.of("ip", "-n", ns.name, "-force", "-batch", deleteBatch.toString()));
        deletionRounds++;
        peakRss = Math.max(peakRss, agent.residentKib());
        assertThat(stormer.isAlive() || stormer.exitValue() == 0).isTrue();
        if (deletionRounds > 600) {
          throw new AssertionError("the storm did not end within a minute");
        }
      }
    } finally {
      stormer.destroyForcibly();
    }
    assertThat(stormer.exitValue()).as(Files.readString(dir.resolve("storm.out"))).isZero();
    // One more mass delete after the storm, then everything must be back.
    Netns.run(List.of("ip", "-n", ns.name, "-force", "-batch", deleteBatch.toString()));

    String table = ns.awaitIp(converged, Duration.ofSeconds(5), agent::log, "route");
    assertThat(table).contains("10.99.0.0/16 via 172.31.64.1 dev eth2 proto static"); // foreign: untouched
    String metrics = agent.awaitSample("route_agent_routes{state=\"installed\"}", v -> v == DESIRED, SOON);
    assertThat(AgentProcess.sample(metrics, "route_agent_netlink_overruns_total"))
        .as("the storm should overrun a %d-byte buffer; log:%n%s", 4096, agent.log())
        .isGreaterThan(0);
    assertThat(agent.log()).contains("netlink overrun");
    assertThat(agent.alive()).isTrue();
    assertThat(agent.http("/healthz").status()).isEqualTo(200);
    peakRss = Math.max(peakRss, agent.residentKib());
    assertThat(peakRss).as("peak VmRSS in KiB").isLessThan(RSS_LIMIT_KIB);
    System.out.printf("overrun storm: %d deletion rounds, %.0f overruns, peak RSS %d KiB%n",
        deletionRounds, AgentProcess.sample(metrics, "route_agent_netlink_overruns_total"), peakRss);
  }

  /**
   * The agent's own changes do not come back to it: 400 routes added at the start would send a
   * notification each (about 1 KiB of socket memory apiece) to a 4 KiB receive buffer, an overrun
   * and a full resync for nothing, unless the kernel drops them before they are queued. Another
   * program's change still comes through, and is repaired.
   */
  @Test
  void theAgentsOwnChangesDoNotOverrunItsEventSocket() throws Exception {
    Files.writeString(config, routesFile(400));
    AgentProcess agent = startAgent("--event-receive-buffer", "4096");
    agent.awaitSample("route_agent_routes{state=\"installed\"}", v -> v == 400, SOON);

    ns.ip("route", "del", "10.2.7.64/26");
    ns.awaitIp(table -> table.contains("10.2.7.64/26 via 172.31.64.1 dev eth2 proto 157"), SOON, agent::log, "route");
    agent.awaitLog("cause=deleted-externally", SOON);

    String metrics = agent.awaitSample("route_agent_drift_repairs_total", v -> v == 1, SOON);
    assertThat(AgentProcess.sample(metrics, "route_agent_netlink_overruns_total")).as(agent.log()).isZero();
    assertThat(agent.log()).doesNotContain("netlink overrun");
  }

  /** {@code count} /26 routes in 10.2.0.0/16 via eth2's router. */
  private static String routesFile(int count) {
    StringBuilder file = new StringBuilder("routes:\n");
    for (int i = 0; i < count; i++) {
      file.append("  - 10.2.").append(i / 4).append('.').append(i % 4 * 64).append("/26 via 172.31.64.1 dev eth2\n");
    }
    return file.toString();
  }
}
