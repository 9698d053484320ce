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
 * all seen, and calls back once the files have been quiet for a moment: an editor's half-written
 * file is not read.
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
  private final Runnable onChange;
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
   * @param policy the administrator's policy file, or null
   * @param onChange called once the files have been quiet for {@code quietMillis} after a change
   * @param onLost called, once, with the reason, when the routes directory has become unreachable
   *     from this process (see the class comment); the watcher stops
   */
  ConfigWatcher(Path file, Path dropIns, Path policy, long quietMillis, Runnable onChange, Consumer<String> onLost)
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
      onChange.run();
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
    try {
      while (directoryStillWatched()) {
        WatchKey key = watcher.poll(CHECK_MILLIS, TimeUnit.MILLISECONDS);
        if (key == null) {
          continue;
        }
        boolean relevant = relevant(key);
        // Debounce: wait until the directory has been quiet, then read once.
        WatchKey more;
        while ((more = watcher.poll(quietMillis, TimeUnit.MILLISECONDS)) != null) {
          relevant |= relevant(more);
        }
        registerDropIns();
        registerPolicy();
        if (relevant) {
          onChange.run();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("watching " + file.getParent(), e);
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
