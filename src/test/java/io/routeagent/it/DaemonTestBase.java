package io.routeagent.it;

import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A notebook-like namespace, a routes file in a temporary directory, and the daemons a test
 * starts; all of them are killed, and the namespace deleted, after each test.
 */
abstract class DaemonTestBase extends NamespaceTest {
  static final String R1 = "10.0.0.0/16 via 172.31.64.1 dev eth2 proto 157";
  static final String R2 = "10.20.0.0/16 via 172.31.64.1 dev eth2 proto 157 metric 50";
  static final String R3 = "10.30.0.0/16 via 172.31.64.1 dev eth2 proto 157";
  /** How long a repair or a reload may take before a test fails: generous for a busy CI machine. */
  static final Duration SOON = Duration.ofSeconds(3);

  Path lockDir;
  private final List<AgentProcess> agents = new ArrayList<>();
  private int started;

  @Override
  String initialRoutesFile() {
    return ROUTES;
  }

  @BeforeEach
  void chooseLockDir() {
    lockDir = dir.resolve("lock");
  }

  /** Before the namespace goes: JUnit runs a subclass's @AfterEach before its superclass's. */
  @AfterEach
  void killAgents() {
    agents.forEach(AgentProcess::close);
  }

  /** Starts {@code route-agent run} in the namespace, without waiting. */
  AgentProcess launch(Map<String, String> environment, String... extraArgs) {
    AgentProcess agent = AgentProcess.start(ns, config, lockDir, dir.resolve("agent-" + (++started) + ".out"),
        environment, extraArgs);
    agents.add(agent);
    return agent;
  }

  /**
   * Starts the daemon as systemd would with its output on the journal: JOURNAL_STREAM names the
   * device and inode of the very file its stderr goes to.
   */
  AgentProcess launchUnderJournal() throws IOException {
    Path output = dir.resolve("agent-" + (++started) + ".out");
    Files.createFile(output);
    String stream = Files.getAttribute(output, "unix:dev") + ":" + Files.getAttribute(output, "unix:ino");
    AgentProcess agent = AgentProcess.start(ns, config, lockDir, output, Map.of("JOURNAL_STREAM", stream));
    agents.add(agent);
    return agent;
  }

  /** Starts the daemon and waits until its first reconcile is done (/healthz 200). */
  AgentProcess startAgent(String... extraArgs) {
    return launch(Map.of(), extraArgs).awaitHealthy();
  }

  String routes() {
    return ns.ip("route");
  }

  /** Polls {@code ip route} until {@code condition} holds. */
  String awaitRoutes(AgentProcess agent, Predicate<String> condition) {
    return ns.awaitIp(condition, SOON, agent::log, "route");
  }

  static Predicate<String> hasAll(String... lines) {
    return table -> {
      for (String line : lines) {
        if (!table.lines().anyMatch(l -> l.trim().equals(line))) {
          return false;
        }
      }
      return true;
    };
  }

  static Predicate<String> hasNone(String... fragments) {
    return table -> {
      for (String fragment : fragments) {
        if (table.contains(fragment)) {
          return false;
        }
      }
      return true;
    };
  }
}
