package io.routeagent.daemon;

import io.routeagent.config.Quoted;
import io.routeagent.kernel.MountSource;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the routes file's directory, its routes.d and the policy's directory (inotify through
 * the JDK's WatchService), so that writes in place, atomic renames, deletion and re-creation are
 * all seen, and calls back once the files have been quiet for a moment (an editor's half-written
 * file is not read), or at the latest {@link #WAIT_AT_MOST} after the first write: see {@link
 * Timers}.
 *
 * <p>The routes directory itself may be renamed or deleted and made again under its name (a
 * Jupyter user moving the folder): inotify keeps watching the old one. Every {@link
 * #CHECK_MILLIS} the watcher looks again: where the path now names another directory it watches
 * that one and reads it; where the directory is a bind mount (the systemd unit's BindPaths=) whose
 * source has moved, the new directory cannot be reached from here at all, and it says so ({@code
 * onLost}), for the agent to be started again with a new bind.
 */
final class ConfigWatcher implements AutoCloseable {
  private final Path file;
  private final Path dropIns;
  private final Path policy;
  private final long quietMillis;
  private final Consumer<Boolean> onChange;
  private final Consumer<String> onLost;
  private final WatchService watcher;
  private final Thread thread;
  /** The bind mount that showed the routes directory at the start, if the directory is one. */
  private final Optional<MountSource> bind;
  private WatchKey directoryKey;
  /** The identity (device, inode) of the directory {@link #directoryKey} watches. */
  private Object directoryIdentity;
  private WatchKey dropInKey;
  private WatchKey policyKey;

  /** How often the watcher checks that the routes directory is still the one it watches. */
  static final long CHECK_MILLIS = 2_000;

  /**
   * The longest a change is waited for once its first write is seen, however often the files are
   * written after it (see {@link Timers}).
   */
  static final long WAIT_AT_MOST = 2_000;

  /**
   * @param policy the administrator's policy file, or null
   * @param onChange called once the files have been quiet for {@code quietMillis} after a change
   *     (with true), or {@link #WAIT_AT_MOST} after its first write while they are still written to
   *     (with false: whoever reads them must not take them for finished)
   * @param onLost called, once, with the reason, when the routes directory has become unreachable
   *     from this process (see the class comment); the watcher stops
   */
  ConfigWatcher(Path file, Path dropIns, Path policy, long quietMillis, Consumer<Boolean> onChange,
      Consumer<String> onLost)
      throws IOException {
    this.file = file.toAbsolutePath().normalize();
    this.dropIns = dropIns.toAbsolutePath().normalize();
    this.policy = policy == null ? null : policy.toAbsolutePath().normalize();
    this.quietMillis = quietMillis;
    this.onChange = onChange;
    this.onLost = onLost;
    this.watcher = FileSystems.getDefault().newWatchService();
    this.bind = MountSource.of(this.file.getParent())
        .filter(mount -> mount.bound() && Path.of(mount.mountPoint()).equals(this.file.getParent()));
    registerDirectory();
    registerDropIns();
    registerPolicy();
    thread = new Thread(this::loop, "config-watcher");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** False once the watcher has stopped; true before {@link #start} (/healthz is up before it). */
  boolean alive() {
    return thread.getState() == Thread.State.NEW || thread.isAlive();
  }

  private WatchKey register(Path directory) throws IOException {
    return directory.register(watcher,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
  }

  private void registerDirectory() throws IOException {
    Path directory = file.getParent();
    directoryKey = register(directory);
    directoryIdentity = identity(directory);
  }

  /** The directory's device and inode, or null when there is none by that name. */
  private static Object identity(Path directory) {
    try {
      return Files.readAttributes(directory, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * False when the routes directory cannot be reached any more (said through {@code onLost});
   * where its name now names another directory, watches that one and tells of a change.
   */
  private boolean directoryStillWatched() throws IOException {
    Path directory = file.getParent();
    if (bind.isPresent()) {
      Optional<MountSource> now = MountSource.of(directory);
      if (!now.equals(bind)) {
        onLost.accept(now.filter(mount -> mount.mountPoint().equals(bind.get().mountPoint()))
            .map(mount -> mount.deleted()
                ? directory + " was deleted where it is bound from"
                : directory + " was moved where it is bound from (it is now "
                    + Quoted.of(mount.root().replaceAll("\\p{Cntrl}", "?")) + " there)")
            .orElse(directory + " is no longer mounted here"));
        return false;
      }
      return true;
    }
    Object identity = identity(directory);
    if (identity != null && !identity.equals(directoryIdentity)) {
      directoryKey.cancel();
      if (dropInKey != null) {
        dropInKey.cancel();
        dropInKey = null;
      }
      try {
        registerDirectory();
        registerDropIns();
      } catch (IOException e) {
        // Gone again between the look and the watch (a user still moving things): the next check
        // tries again, rather than the watcher stopping for good.
        directoryIdentity = null;
        return true;
      }
      onChange.accept(false); // a directory moved in may still be written to
    }
    return true;
  }

  /** routes.d may appear after start; it is (re-)registered whenever its parent changes. */
  private void registerDropIns() throws IOException {
    if (dropInKey != null && dropInKey.isValid()) {
      return;
    }
    dropInKey = Files.isDirectory(dropIns) ? register(dropIns) : null;
  }

  /**
   * The policy's directory (/etc/route-agent) may appear after start, as routes.d may: until it
   * does, the nearest directory above it that exists is watched for it.
   */
  private void registerPolicy() throws IOException {
    if (policy == null
        || (policyKey != null && policyKey.isValid() && policyKey.watchable().equals(policy.getParent()))) {
      return;
    }
    Path directory = policy.getParent();
    while (directory != null && !Files.isDirectory(directory)) {
      directory = directory.getParent();
    }
    if (directory != null) {
      policyKey = register(directory);
    }
  }

  private void loop() {
    Timers timers = new Timers(System::nanoTime, quietMillis * 1_000_000);
    try {
      while (true) {
        if (timers.checkDue()) {
          if (!directoryStillWatched()) {
            return;
          }
          timers.checked();
        }
        WatchKey key = watcher.poll(timers.untilNext(), TimeUnit.NANOSECONDS);
        if (key != null && relevant(key)) {
          timers.heard();
        }
        if (timers.changeDue()) {
          registerDropIns();
          registerPolicy();
          onChange.accept(timers.told());
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("watching " + file.getParent(), e);
    }
  }

  /**
   * When the watcher is to tell of a change and to check the directory, on a clock (nanoseconds,
   * {@link System#nanoTime} but in tests). Only events on the names that make the configuration
   * count ({@link #relevant}): another file written there over and over (a hidden keep-alive, a
   * log) would otherwise postpone every reload, and the directory check, for as long as it is
   * written. A relevant write restarts the quiet, but a change is told no later than {@link
   * #WAIT_AT_MOST} after the first write it waits for: a file written without pause is read all the
   * same (the loop's back-off and held change keep that from costing much). The directory check
   * runs every {@link #CHECK_MILLIS} whatever the events.
   */
  static final class Timers {
    private final java.util.function.LongSupplier clock;
    private final long quiet;
    private long nextCheck;
    /** Whether a relevant event waits to be told; since when, and the latest one. */
    private boolean pending;
    private long firstHeard;
    private long lastHeard;

    /** The directory is checked first at once: it may have changed before the watch began. */
    Timers(java.util.function.LongSupplier clock, long quietNanos) {
      this.clock = clock;
      this.quiet = quietNanos;
      this.nextCheck = clock.getAsLong();
    }

    /** A relevant event: the quiet starts again, within {@link #WAIT_AT_MOST} of the first one. */
    void heard() {
      long now = clock.getAsLong();
      if (!pending) {
        pending = true;
        firstHeard = now;
      }
      lastHeard = now;
    }

    /** Whether the change waited for is to be told now. */
    boolean changeDue() {
      return pending && untilChange() == 0;
    }

    /**
     * The change was told; whether the files had been quiet for the whole quiet by then (false when
     * {@link #WAIT_AT_MOST} told it while they were still being written).
     */
    boolean told() {
      pending = false;
      return clock.getAsLong() - (lastHeard + quiet) >= 0;
    }

    boolean checkDue() {
      return clock.getAsLong() - nextCheck >= 0;
    }

    void checked() {
      nextCheck = clock.getAsLong() + CHECK_MILLIS * 1_000_000;
    }

    /** How long to wait for events before something is due, in nanoseconds (0: now). */
    long untilNext() {
      long untilCheck = Math.max(0, nextCheck - clock.getAsLong());
      return pending ? Math.min(untilCheck, untilChange()) : untilCheck;
    }

    private long untilChange() {
      long now = clock.getAsLong();
      long quietEnd = lastHeard + quiet - now;
      long cap = firstHeard + WAIT_AT_MOST * 1_000_000 - now;
      return Math.max(0, Math.min(quietEnd, cap));
    }
  }

  private boolean relevant(WatchKey key) {
    boolean relevant = false;
    Path directory = (Path) key.watchable();
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
        relevant = true;
        continue;
      }
      Path name = directory.resolve((Path) event.context());
      relevant |= name.equals(file)
          || name.equals(dropIns)
          || (directory.equals(dropIns) && name.getFileName().toString().endsWith(".yaml"))
          || (policy != null && policy.startsWith(name));
    }
    key.reset();
    return relevant;
  }

  @Override
  public void close() throws IOException {
    watcher.close();
    thread.interrupt();
  }
}
