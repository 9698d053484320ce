package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
  @TempDir Path dir;

  /**
   * /healthz is served before the watcher's thread starts: a watcher that has not started yet has
   * not stopped, or the first health checks of every start say "the config watcher stopped".
   */
  @Test
  void aWatcherNotStartedYetIsNotReportedAsStopped() throws IOException, InterruptedException {
    ConfigWatcher watcher = new ConfigWatcher(dir.resolve("routes.yaml"), dir.resolve("routes.d"), 10, () -> {});
    assertThat(watcher.alive()).isTrue();
    watcher.start();
    assertThat(watcher.alive()).isTrue();
    watcher.close();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (watcher.alive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(watcher.alive()).as("a closed watcher has stopped").isFalse();
  }

  /**
   * The policy's directory may not exist when the daemon starts (/etc/route-agent before the
   * lifecycle script wrote it): its creation, and then the policy's, are still seen.
   */
  @Test
  void aPolicyWrittenIntoADirectoryMadeAfterStartIsSeen() throws Exception {
    Path policy = dir.resolve("etc/route-agent/policy.yaml");
    java.util.concurrent.Semaphore changes = new java.util.concurrent.Semaphore(0);
    java.nio.file.Files.createDirectories(dir.resolve("routes"));
    try (ConfigWatcher watcher = new ConfigWatcher(dir.resolve("routes/routes.yaml"), dir.resolve("routes/routes.d"),
        policy, 10, changes::release)) {
      watcher.start();
      java.nio.file.Files.createDirectories(policy.getParent());
      assertThat(changes.tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS)).as("the directory made").isTrue();
      changes.drainPermits();
      java.nio.file.Files.writeString(policy, "allow: {}\n");
      assertThat(changes.tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS)).as("the policy written").isTrue();
      changes.drainPermits();
      java.nio.file.Files.writeString(dir.resolve("etc/route-agent/other.yaml"), "x\n");
      java.nio.file.Files.writeString(policy, "allow: { adopt: true }\n");
      assertThat(changes.tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS)).as("the policy edited").isTrue();
    }
  }
}
