package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import io.routeagent.testing.RootOnly;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routes directory as it is on a notebook with root disabled: owned by a person without
 * privileges (here uid {@value #PERSON}), read by the daemon under another uid ({@value #AGENT})
 * that holds only CAP_NET_ADMIN, as the unit runs it. The person tries file tricks on the daemon;
 * each was an attack that worked (issue 10, item 4) and must now fail.
 */
class UnprivilegedUserIT extends NamespaceTest {
  static final int PERSON = 61001;
  static final int AGENT = 61002;
  private static final Duration SOON = Duration.ofSeconds(10);

  private Path routesDir;
  private Path launcher;
  private final List<AgentProcess> agents = new ArrayList<>();

  @Override
  String initialRoutesFile() {
    return ROUTES;
  }

  /**
   * Lays out DIR/home/route-agent (the person's, 0755) with routes.yaml and logs/ (the agent's),
   * and a copy of the launcher and jar that the agent's uid may read wherever the build lives.
   */
  @BeforeEach
  void layOut() throws IOException {
    RootOnly.require();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path home = Files.createDirectories(dir.resolve("home"));
    routesDir = Files.createDirectories(home.resolve("route-agent"));
    Files.move(config, routesDir.resolve("routes.yaml"));
    config = routesDir.resolve("routes.yaml");
    Path logs = Files.createDirectories(routesDir.resolve("logs"));
    chown(PERSON, routesDir, config);
    chown(AGENT, logs);
    Path bin = Files.createDirectories(dir.resolve("agent/bin"));
    Path lib = Files.createDirectories(dir.resolve("agent/lib"));
    launcher = Files.copy(Netns.TOP.resolve("agent/route-agent"), bin.resolve("route-agent"));
    Files.copy(Netns.TOP.resolve("target/route-agent.jar"), lib.resolve("route-agent.jar"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  @AfterEach
  void stopAgents() {
    agents.forEach(AgentProcess::close);
  }

  private static void chown(int uid, Path... paths) {
    for (Path path : paths) {
      Commands.Result r = Commands.run(List.of("chown", "-h", uid + ":" + uid, path.toString()));
      assertThat(r.status()).as(r.output()).isZero();
    }
  }

  /** Runs a shell command as the person, in the routes directory. */
  private void asPerson(String script) {
    Commands.Result r = Commands.run(List.of("setpriv", "--reuid=" + PERSON, "--regid=" + PERSON,
        "--clear-groups", "sh", "-c", "cd '" + routesDir + "' && " + script));
    assertThat(r.status()).as("as uid %d: %s: %s", PERSON, script, r.output()).isZero();
  }

  /** The setpriv prefix of the unit's identity: another uid, CAP_NET_ADMIN and nothing else. */
  private List<String> asAgent() {
    return List.of("setpriv", "--reuid=" + AGENT, "--regid=" + AGENT, "--clear-groups",
        "--inh-caps=+net_admin", "--ambient-caps=+net_admin", launcher.toString());
  }

  private AgentProcess startAgent() throws IOException {
    Path lock = Files.createDirectories(dir.resolve("lock"));
    Path state = Files.createDirectories(dir.resolve("state"));
    chown(AGENT, lock, state);
    AgentProcess agent = AgentProcess.start(ns, asAgent(), config, lock,
        dir.resolve("agent-" + agents.size() + ".out"), Map.of(), "--state-dir", state.toString());
    agents.add(agent);
    return agent;
  }

  private Commands.Result check(Path file) {
    List<String> command = new ArrayList<>(asAgent());
    command.addAll(List.of("--config", file.toString(), "check"));
    return Commands.run(command);
  }

  @Test
  void aLinkToAFileOnlyTheAgentMayReadIsNotReadNorEchoed() throws IOException {
    Path secret = Files.writeString(dir.resolve("agent-secret"), "root:$6$notreallyahash:19000:0:99999:7:::\n");
    chown(AGENT, secret);
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    asPerson("ln -s '" + secret + "' routes.d.yaml && mkdir routes.d && ln -s '" + secret + "' routes.d/x.yaml");

    Commands.Result checked = check(routesDir.resolve("routes.d.yaml"));
    assertThat(checked.status()).isEqualTo(1);
    assertThat(checked.output()).contains("it is a symbolic link").doesNotContain("$6$");

    AgentProcess agent = startAgent();
    agent.awaitLog("x.yaml: it is a symbolic link", SOON);
    assertThat(ns.ip("route")).doesNotContain("proto 157");
    String copy = Files.readString(routesDir.resolve("logs/route-agent.log"));
    assertThat(copy).contains("it is a symbolic link");
    assertThat(agent.log() + copy).doesNotContain("$6$").doesNotContain("notreallyahash");
  }

  @Test
  void aFifoNeverBlocksTheDaemonNorCheck() throws IOException {
    AgentProcess agent = startAgent().awaitHealthy();
    ns.awaitIp(DaemonTestBase.hasAll(DaemonTestBase.R1), SOON, agent::log, "route");

    asPerson("rm routes.yaml && mkfifo routes.yaml");
    agent.awaitLog("it is a FIFO (named pipe), not a regular file", SOON);
    // The event loop still runs: a deleted route comes back, and the last good file stays in force.
    ns.ip("route", "del", "10.0.0.0/16");
    ns.awaitIp(DaemonTestBase.hasAll(DaemonTestBase.R1, DaemonTestBase.R2), SOON, agent::log, "route");
    assertThat(agent.sample("route_agent_config_valid")).isZero();

    Commands.Result checked = check(config);
    assertThat(checked.status()).isEqualTo(1);
    assertThat(checked.output()).contains("routes.yaml: it is a FIFO (named pipe), not a regular file");
  }

  @Test
  void aFileJustUnderTheOldLimitIsOneClearLineNotAnOutOfMemoryError() throws IOException {
    Path big = routesDir.resolve("big.yaml");
    // Valid YAML (a comment) of 63 MiB: it was read whole and ended in OutOfMemoryError.
    Files.writeString(big, "routes: []\n#");
    try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
      file.seek(file.length());
      byte[] chunk = "x".repeat(1 << 20).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      for (int i = 0; i < 63; i++) {
        file.write(chunk);
      }
    }
    chown(PERSON, big);
    Commands.Result checked = check(big);
    assertThat(checked.status()).isEqualTo(1);
    assertThat(checked.output())
        .contains("big.yaml: the file is larger than the limit of 8 MiB")
        .doesNotContain("OutOfMemoryError")
        .doesNotContain("\tat ");
  }

  /** The JDK reports EACCES with the path alone: import said "cannot read it: PATH", not why. */
  @Test
  void importOfAScriptThePersonMayNotReadSaysPermissionDenied() throws IOException {
    Path script = Files.writeString(dir.resolve("on-start.sh"), "ip route add 10.0.0.0/16 via 172.31.64.1 dev eth2\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-------"));
    Commands.Result imported = Commands.run(List.of("setpriv", "--reuid=" + PERSON, "--regid=" + PERSON,
        "--clear-groups", launcher.toString(), "import", script.toString()));
    assertThat(imported.status()).isEqualTo(1);
    assertThat(imported.output()).isEqualTo("route-agent: " + script + ": cannot read it: EACCES Permission denied\n");
  }

  @Test
  void theLogCopyIsNeverWrittenThroughALinkNorIntoALogsDirectoryThePersonOwns() throws IOException {
    Path target = Files.writeString(dir.resolve("agent-file"), "untouched\n");
    chown(AGENT, target);
    // The person cannot write into the agent's logs/, but owns its parent: swap in their own.
    asPerson("mv logs logs.old && mkdir logs && ln -s '" + target + "' logs/route-agent.log");

    AgentProcess agent = startAgent().awaitHealthy();
    // A repair makes the daemon log a line more.
    ns.ip("route", "del", "10.0.0.0/16");
    ns.awaitIp(DaemonTestBase.hasAll(DaemonTestBase.R1), SOON, agent::log, "route");
    agent.awaitLog("cause=deleted-externally", SOON);
    assertThat(Files.readString(target)).isEqualTo("untouched\n");
    assertThat(agent.log()).contains("no log copy: ")
        .contains("logs belongs to uid " + PERSON + ", not to the agent's uid " + AGENT);
  }

  @Test
  void theLogCopyIsNeverWrittenThroughALinkInTheAgentsOwnLogs() throws IOException {
    Path target = Files.writeString(dir.resolve("agent-file"), "untouched\n");
    chown(AGENT, target);
    Path logs = routesDir.resolve("logs");
    Files.createSymbolicLink(logs.resolve("route-agent.log"), target);
    chown(AGENT, logs.resolve("route-agent.log"));

    AgentProcess agent = startAgent().awaitHealthy();
    ns.ip("route", "del", "10.0.0.0/16");
    agent.awaitLog("cause=deleted-externally", SOON);
    assertThat(Files.readString(target)).isEqualTo("untouched\n");
    assertThat(agent.log()).contains("no log copy: ").contains("route-agent.log: it is a symbolic link");
  }
}
