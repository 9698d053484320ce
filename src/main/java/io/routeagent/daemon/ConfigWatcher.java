package io.routeagent.daemon;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the routes file's directory, its routes.d and the policy's directory (inotify through
 * the JDK's WatchService), so that writes in place, atomic renames, deletion and re-creation are
 * all seen, and calls back once the files have been quiet for a moment: an editor's half-written
 * file is not read.
 */
final class ConfigWatcher implements AutoCloseable {
  private final Path file;
  private final Path dropIns;
  private final Path policy;
  private final long quietMillis;
  private final Runnable onChange;
  private final WatchService watcher;
  private final Thread thread;
  private WatchKey dropInKey;
  private WatchKey policyKey;

  ConfigWatcher(Path file, Path dropIns, long quietMillis, Runnable onChange) throws IOException {
    this(file, dropIns, null, quietMillis, onChange);
  }

  /** @param policy the administrator's policy file, or null */
  ConfigWatcher(Path file, Path dropIns, Path policy, long quietMillis, Runnable onChange)
      throws IOException {
    this.file = file.toAbsolutePath();
    this.dropIns = dropIns.toAbsolutePath();
    this.policy = policy == null ? null : policy.toAbsolutePath();
    this.quietMillis = quietMillis;
    this.onChange = onChange;
    this.watcher = FileSystems.getDefault().newWatchService();
    register(this.file.getParent());
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
      while (true) {
        WatchKey key = watcher.take();
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
