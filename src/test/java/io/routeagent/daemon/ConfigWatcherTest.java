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
}
