package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A one-shot apply with another file while {@code run} manages the same namespace: it used to add
 * its routes and delete the daemon's, which the daemon reverted a moment later, a fight nobody
 * saw. Now apply refuses, naming the daemon's pid and the file it applies; plan warns and goes on;
 * --force applies, with a warning.
 */
class DaemonLockIT extends DaemonTestBase {
  private static final String OTHER = "10.50.0.0/16 via 172.31.64.1 dev eth2 proto 157";

  private Path otherFile() throws IOException {
    return Files.writeString(dir.resolve("other.yaml"), "routes:\n  - 10.50.0.0/16 via 172.31.64.1 dev eth2\n");
  }

  @Test
  void applyRefusesWhileTheDaemonRunsNamingItsPidAndFilePlanWarnsForceApplies() throws IOException {
    AgentProcess agent = startAgent();
    awaitRoutes(agent, hasAll(R1, R2, R3));
    Path other = otherFile();
    String lock = lockDir.toString();

    Commands.Result refused = ns.agent(other, "apply", "--lock-dir", lock);
    assertThat(refused.status()).as(refused.output()).isEqualTo(4);
    assertThat(refused.output().strip().lines().toList()).as(refused.output()).singleElement().asString()
        .startsWith("route-agent: refusing to apply: a route-agent daemon (pid " + agent.pid() + ")")
        .contains("from " + config.toAbsolutePath(), "edit " + config.toAbsolutePath(), "--force");
    assertThat(routes()).contains("10.0.0.0/16").doesNotContain("10.50.0.0/16");

    Commands.Result plan = ns.agent(other, "plan", "--lock-dir", lock);
    assertThat(plan.status()).as(plan.output()).isEqualTo(2);
    assertThat(plan.output()).contains("route-agent: warning: a route-agent daemon (pid " + agent.pid() + ")",
        "apply would refuse", "edit " + config.toAbsolutePath()).containsPattern("add +10.50.0.0/16");

    Commands.Result forced = ns.agent(other, "apply", "--lock-dir", lock, "--force");
    assertThat(forced.status()).as(forced.output()).isZero();
    assertThat(forced.output()).contains("route-agent: warning: --force: applying while a route-agent daemon (pid "
        + agent.pid() + ")");
    // The daemon puts its own routes back: what its file says wins.
    awaitRoutes(agent, hasAll(R1, R2, R3));

    // Once the daemon is gone, nothing holds the lock: apply goes ahead.
    agent.close();
    Commands.Result alone = ns.agent(other, "apply", "--lock-dir", lock);
    assertThat(alone.status()).as(alone.output()).isZero();
    assertThat(alone.output()).doesNotContain("daemon");
    assertThat(routes()).contains(OTHER.substring(0, OTHER.indexOf(" proto")));
  }

  @Test
  void aDaemonInAnotherNamespaceDoesNotStopApplyHere() throws IOException {
    startAgent();
    Path other = otherFile();
    // The same lock directory, another namespace: another lock file, not held.
    try (Netns elsewhere = Netns.notebook()) {
      Commands.Result apply = elsewhere.agent(other, "apply", "--lock-dir", lockDir.toString());
      assertThat(apply.status()).as(apply.output()).isZero();
      assertThat(apply.output()).doesNotContain("daemon");
    }
  }
}
