package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hot reload of the routes file by the running daemon: edits in place, atomic renames, drop-ins,
 * deletion and invalid files; applied within about two seconds, without a restart.
 */
class DaemonConfigIT extends DaemonTestBase {
  private static final String R4 = "10.40.0.0/16 via 172.31.64.1 dev eth2 proto 157";
  private static final String R5 = "10.50.0.0/16 via 172.31.64.1 dev eth2 proto 157";
  /**
   * How long a reload may take before the test gives up: a deadline for an event, not a speed
   * target (a reload takes a second or two, the watcher waiting 200 ms for quiet; on a loaded
   * 2-core CI machine a tight deadline would only make the test flaky).
   */
  private static final Duration RELOAD = Duration.ofSeconds(20);

  private String awaitTable(AgentProcess agent, java.util.function.Predicate<String> condition) {
    return ns.awaitIp(condition, RELOAD, agent::log, "route");
  }

  @Test
  void anEditInPlaceIsApplied() throws IOException {
    AgentProcess agent = startAgent();
    Object inode = Files.getAttribute(config, "unix:ino");
    Files.writeString(config, ROUTES.replace("10.30.0.0/16", "10.40.0.0/16")); // truncates and writes
    assertThat(Files.getAttribute(config, "unix:ino")).isEqualTo(inode);

    awaitTable(agent, hasAll(R1, R2, R4).and(hasNone("10.30.0.0/16")));
    // The table can show the reload before the log does: the lines follow the kernel's acks.
    agent.awaitLog("deleted to=10.30.0.0/16", SOON);
    assertThat(agent.log()).contains("added to=10.40.0.0/16 via=172.31.64.1 dev=eth2 cause=config-reload")
        .contains("deleted to=10.30.0.0/16 via=172.31.64.1 dev=eth2 cause=config-reload");
    assertThat(agent.alive()).isTrue();
  }

  @Test
  void aFileReplacedByRenameIsApplied() throws IOException {
    AgentProcess agent = startAgent();
    Path temporary = dir.resolve(".routes.yaml.swp");
    Files.writeString(temporary, ROUTES + "  - 10.50.0.0/16 via 172.31.64.1 dev eth2\n");
    Files.move(temporary, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    awaitTable(agent, hasAll(R1, R2, R3, R5));

    // And a second time: the watcher still follows the new file.
    Files.writeString(temporary, ROUTES);
    Files.move(temporary, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    awaitTable(agent, hasAll(R1, R2, R3).and(hasNone("10.50.0.0/16")));
  }

  @Test
  void aFileAddedToRoutesDIsApplied() throws IOException {
    AgentProcess agent = startAgent();
    // routes.d does not exist at start: mkdir then a file in it, at once, as `mkdir -p && cp` do.
    Path dropIns = Files.createDirectory(dir.resolve("routes.d"));
    Files.writeString(dropIns.resolve("vpn.yaml"), "routes:\n  - 10.40.0.0/16 via 172.31.64.1 dev eth2\n");
    awaitTable(agent, hasAll(R1, R2, R3, R4));

    // A second drop-in into the now-watched directory; a non-yaml file is ignored.
    Files.writeString(dropIns.resolve("peer.yaml"), "routes:\n  - 10.50.0.0/16 via 172.31.64.1 dev eth2\n");
    Files.writeString(dropIns.resolve("notes.txt"), "not a routes file\n");
    awaitTable(agent, hasAll(R1, R2, R3, R4, R5));

    // Removing a drop-in removes its routes.
    Files.delete(dropIns.resolve("vpn.yaml"));
    awaitTable(agent, hasAll(R1, R2, R3, R5).and(hasNone("10.40.0.0/16")));
    assertThat(agent.sample("route_agent_config_valid")).isEqualTo(1);
  }

  @Test
  void aDeletedFileChangesNothingUntilItIsBack() throws IOException {
    AgentProcess agent = startAgent();
    String before = routes();
    Files.delete(config);
    agent.awaitSample("route_agent_config_valid", v -> v == 0, RELOAD);
    assertThat(agent.sample("route_agent_config_reloads_total{result=\"failure\"}")).isGreaterThanOrEqualTo(1);
    agent.awaitLog("routes.yaml: the file does not exist", SOON);
    assertThat(routes()).isEqualTo(before);
    // Still repairing with the last good config.
    ns.ip("route", "del", "10.0.0.0/16");
    awaitRoutes(agent, hasAll(R1, R2, R3));

    Files.writeString(config, ROUTES + "  - 10.40.0.0/16 via 172.31.64.1 dev eth2\n");
    awaitTable(agent, hasAll(R1, R2, R3, R4));
    agent.awaitSample("route_agent_config_valid", v -> v == 1, SOON);
  }

  @Test
  void anInvalidFileChangesNothingAndIsReportedWithLineAndColumnUntilFixed() throws IOException {
    AgentProcess agent = startAgent();
    String before = routes();
    // Line 3, column 10: a gateway with a prefix length. The other routes would be pruned if it were applied.
    Files.writeString(config, "routes:\n  - to: 10.40.0.0/16\n    via: 172.31.64.1/33\n");
    agent.awaitSample("route_agent_config_valid", v -> v == 0, RELOAD);
    agent.awaitLog("invalid config, the last good one stays in force", SOON);
    assertThat(agent.log()).contains("routes.yaml:3:10: \"172.31.64.1/33\" is not an IP address");
    assertThat(agent.http("/healthz").status()).isEqualTo(200);

    // An empty file (a half-written one) is invalid too and must not wipe the table.
    double failures = agent.sample("route_agent_config_reloads_total{result=\"failure\"}");
    Files.writeString(config, "");
    agent.awaitSample("route_agent_config_reloads_total{result=\"failure\"}", v -> v > failures, RELOAD);
    assertThat(agent.sample("route_agent_config_valid")).isZero();
    assertThat(routes()).isEqualTo(before);
    agent.awaitLog("routes.yaml: the file is empty", SOON);

    Files.writeString(config, "routes:\n  - to: 10.40.0.0/16\n    via: 172.31.64.1\n");
    awaitTable(agent, hasAll(R4).and(hasNone("10.0.0.0/16", "10.20.0.0/16", "10.30.0.0/16")));
    agent.awaitSample("route_agent_config_valid", v -> v == 1, SOON);
  }

  @Test
  void aFileFixedBackToTheLastGoodOneIsSaidToBeValidAgain() throws IOException {
    AgentProcess agent = startAgent();
    Files.writeString(config, ROUTES.replace("10.30.0.0/16", "10.30.0.0/33")); // a typo saved
    agent.awaitSample("route_agent_config_valid", v -> v == 0, RELOAD);
    agent.awaitLog("invalid config, the last good one stays in force", SOON);

    Files.writeString(config, ROUTES); // fixed back: exactly the file in force
    agent.awaitSample("route_agent_config_valid", v -> v == 1, RELOAD);
    agent.awaitLog("the routes file is valid again; it declares what is already in force", SOON);
    String[] lines = agent.log().strip().split("\n");
    assertThat(lines[lines.length - 1]).contains("the routes file is valid again");
  }

  @Test
  void aNewEmptyDropInBlocksNoOtherEdit() throws IOException {
    AgentProcess agent = startAgent();
    Path dropIns = Files.createDirectory(dir.resolve("routes.d"));
    Files.writeString(dropIns.resolve("untitled.yaml"), ""); // Jupyter's "New File"
    Files.writeString(config, ROUTES + "  - 10.40.0.0/16 via 172.31.64.1 dev eth2\n");
    awaitTable(agent, hasAll(R1, R2, R3, R4));
    agent.awaitLog("untitled.yaml: the file is empty and declared nothing before", SOON);
    assertThat(agent.sample("route_agent_config_valid")).isEqualTo(1);

    // Renamed and filled in: applied; then emptied while its routes are in force: an error, nothing pruned.
    Files.move(dropIns.resolve("untitled.yaml"), dropIns.resolve("vpn.yaml"));
    Files.writeString(dropIns.resolve("vpn.yaml"), "routes:\n  - 10.50.0.0/16 via 172.31.64.1 dev eth2\n");
    awaitTable(agent, hasAll(R1, R2, R3, R4, R5));
    Files.writeString(dropIns.resolve("vpn.yaml"), "");
    agent.awaitSample("route_agent_config_valid", v -> v == 0, RELOAD);
    agent.awaitLog("vpn.yaml: the file is empty, and its routes are in force", SOON);
    assertThat(routes()).contains("10.50.0.0/16");
  }

  /**
   * A drop-in uploaded in two chunks (as JupyterLab appends 1 MiB chunks), the first a valid file
   * of 600 routes: nothing of it reaches the kernel before the last chunk, and the whole file does
   * about 30 s after it.
   */
  @Test
  void aChunkedUploadIsAppliedOnlyOnceTheFileHasSettled() throws IOException {
    AgentProcess agent = startAgent();
    StringBuilder first = new StringBuilder("routes:\n");
    StringBuilder rest = new StringBuilder();
    for (int i = 0; i < 1200; i++) {
      (i < 600 ? first : rest).append("  - \"10.").append(100 + i / 256).append('.').append(i % 256)
          .append(".0/24 via 172.31.64.1 dev eth2\"\n");
    }
    Path dropIns = Files.createDirectory(dir.resolve("routes.d"));
    Path big = dropIns.resolve("big.yaml");
    Files.writeString(big, first);
    agent.awaitLog("holding a change until", RELOAD);
    assertThat(routes()).doesNotContain("10.100.0.0/24");

    Files.writeString(big, rest, java.nio.file.StandardOpenOption.APPEND); // the last chunk
    ns.awaitIp(table -> table.contains("10.104.175.0/24") && table.contains("10.100.0.0/24"),
        Duration.ofSeconds(60), agent::log, "route");
    agent.awaitLog("config reloaded routes=1203", SOON);
    assertThat(agent.log()).as("the first chunk was never applied")
        .doesNotContain("config reloaded routes=603")
        .contains("(added=600 replaced=0 removed=0, 3 installed)")
        .contains("(added=1200 replaced=0 removed=0, 3 installed)");
  }
}
