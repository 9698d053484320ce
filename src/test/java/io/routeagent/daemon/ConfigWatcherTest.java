package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
  @TempDir Path dir;

  /** A temporary directory is never a bind mount of its own: nothing can make it unreachable. */
  private static final java.util.function.Consumer<String> NOT_LOST = why -> {
    throw new AssertionError("the routes directory was taken as lost: " + why);
  };

  /**
   * Issue 11, defect 2: a user renames the routes directory and makes a new one under its name.
   * inotify went on watching the old one, so edits to the new routes file were never seen (and
   * the old one's were applied). The watcher now watches the directory that has the name.
   */
  @Test
  void aRoutesDirectoryRenamedAndMadeAgainIsWatchedAgain() throws Exception {
    Path routes = java.nio.file.Files.createDirectories(dir.resolve("route-agent"));
    java.nio.file.Files.writeString(routes.resolve("routes.yaml"), "routes: []\n");
    java.util.concurrent.Semaphore changes = new java.util.concurrent.Semaphore(0);
    try (ConfigWatcher watcher = new ConfigWatcher(routes.resolve("routes.yaml"), routes.resolve("routes.d"), null,
        10, quiet -> changes.release(), NOT_LOST)) {
      watcher.start();
      java.nio.file.Files.move(routes, dir.resolve("route-agent.old"));
      changes.acquire(changes.availablePermits()); // the old directory's own events, if any
      java.nio.file.Files.createDirectories(routes.resolve("routes.d"));
      assertThat(changes.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS)).as("the new directory seen").isTrue();
      changes.drainPermits();
      java.nio.file.Files.writeString(routes.resolve("routes.yaml"), "routes: []\n");
      assertThat(changes.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS)).as("a file of the new directory").isTrue();
      changes.drainPermits();
      java.nio.file.Files.writeString(routes.resolve("routes.d/extra.yaml"), "routes: []\n");
      assertThat(changes.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS)).as("its routes.d").isTrue();
    }
  }

  /**
   * /healthz is served before the watcher's thread starts: a watcher that has not started yet has
   * not stopped, or the first health checks of every start say "the config watcher stopped".
   */
  @Test
  void aWatcherNotStartedYetIsNotReportedAsStopped() throws IOException, InterruptedException {
    ConfigWatcher watcher = new ConfigWatcher(dir.resolve("routes.yaml"), dir.resolve("routes.d"), null, 10, quiet -> {}, NOT_LOST);
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
        policy, 10, quiet -> changes.release(), NOT_LOST)) {
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

  private static final long MS = 1_000_000;

  /**
   * Security review, finding 2: a hidden file rewritten every 100 ms in the routes directory
   * postponed every reload for as long as it was written. Only the configuration's own names
   * restart the quiet now (this test's events are those {@link ConfigWatcher#relevant} lets
   * through; the one below feeds it a real keep-alive file).
   */
  @Test
  void aStreamOfWritesIsToldOfNoLaterThanTheCapAfterItsFirstWrite() {
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(-7 * MS);
    ConfigWatcher.Timers timers = new ConfigWatcher.Timers(clock::get, 200 * MS);
    timers.checked(); // the directory check is the other test's
    assertThat(timers.changeDue()).as("nothing heard").isFalse();
    timers.heard();
    clock.addAndGet(150 * MS);
    timers.heard();
    assertThat(timers.untilNext()).as("a write restarts the quiet").isEqualTo(200 * MS);
    clock.addAndGet(200 * MS);
    assertThat(timers.changeDue()).as("quiet for 200 ms").isTrue();
    assertThat(timers.told()).as("told once the files were quiet").isTrue();
    assertThat(timers.changeDue()).isFalse();

    clock.addAndGet(10 * MS);
    timers.checked();
    timers.heard();
    for (int i = 0; i < 19; i++) { // a write every 100 ms, for 1.9 s
      clock.addAndGet(100 * MS);
      timers.heard();
      assertThat(timers.changeDue()).isFalse();
    }
    assertThat(timers.untilNext()).as("the cap, 2 s after the first write").isEqualTo(100 * MS);
    clock.addAndGet(100 * MS);
    timers.heard();
    assertThat(timers.changeDue()).as("told though the writes go on").isTrue();
    assertThat(timers.told()).as("told while the files are still written").isFalse();
  }

  @Test
  void theDirectoryIsCheckedOnItsOwnScheduleWhateverTheEvents() {
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(5 * MS);
    ConfigWatcher.Timers timers = new ConfigWatcher.Timers(clock::get, 200 * MS);
    assertThat(timers.checkDue()).as("at the start").isTrue();
    timers.checked();
    for (int i = 0; i < 19; i++) {
      clock.addAndGet(100 * MS);
      timers.heard();
      if (timers.changeDue()) {
        timers.told();
      }
      assertThat(timers.checkDue()).isFalse();
    }
    assertThat(timers.untilNext()).isEqualTo(100 * MS);
    clock.addAndGet(100 * MS);
    assertThat(timers.checkDue()).as("2 s after the last check").isTrue();
  }

  /**
   * The reviewer's keep-alive loop, on real files: a hidden file written without pause beside the
   * routes file. The routes file's write is still told (without the fix it never was, while the
   * loop ran), and so is the policy's.
   */
  @Test
  void writesOfAnotherFileInTheDirectoryDoNotPostponeAChange() throws Exception {
    Path routes = java.nio.file.Files.createDirectories(dir.resolve("route-agent"));
    Path policy = dir.resolve("etc/route-agent/policy.yaml");
    java.nio.file.Files.createDirectories(policy.getParent());
    java.util.concurrent.Semaphore changes = new java.util.concurrent.Semaphore(0);
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread keepAlive = new Thread(() -> {
      while (writing.get()) {
        try {
          java.nio.file.Files.writeString(routes.resolve(".keepalive"), "");
          Thread.sleep(2);
        } catch (IOException | InterruptedException e) {
          return;
        }
      }
    });
    // A quiet far longer than the keep-alive's period: without the fix, the change waits for ever.
    try (ConfigWatcher watcher = new ConfigWatcher(routes.resolve("routes.yaml"), routes.resolve("routes.d"), policy,
        500, quiet -> changes.release(), NOT_LOST)) {
      watcher.start();
      keepAlive.start();
      java.nio.file.Files.writeString(routes.resolve("routes.yaml"), "routes: []\n");
      assertThat(changes.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS)).as("the routes file").isTrue();
      changes.drainPermits();
      java.nio.file.Files.writeString(policy, "allow: {}\n");
      assertThat(changes.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS)).as("the policy").isTrue();
    } finally {
      writing.set(false);
      keepAlive.join();
    }
  }
}
