package io.routeagent.daemon;

import io.routeagent.kernel.FileAccessException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps two daemons off one kernel table: an exclusive lock on a file named after the network
 * namespace (agents in different namespaces do not share a table, so they may run side by side).
 * The kernel drops the lock when the process dies, so a crash never leaves a stale lock.
 *
 * <p>The file says who holds it, for a second daemon's message and for a one-shot {@code apply}
 * that must not fight the daemon ({@link DaemonLock}): the holder's pid on the first line (all an
 * older agent wrote, and all it reads), the absolute path of the routes file it applies on the
 * second.
 */
final class LockFile implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private LockFile(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** This network namespace's lock file in {@code directory}. */
  static Path path(Path directory) {
    return directory.resolve(NetworkNamespace.name() + ".lock");
  }

  /**
   * Takes the lock or explains who holds it.
   *
   * @param watched the routes file this daemon applies, recorded in the lock file
   * @throws FileAccessException when the directory or the file cannot be made, locked or written
   */
  static LockFile acquire(Path directory, Path watched) throws FileAccessException, AlreadyRunningException {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw FileAccessException.of(directory, "it cannot be made a directory", e);
    }
    Path path = path(directory);
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw FileAccessException.of(path, "it cannot be opened for writing", e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException e) {
      throw closedAfter(channel, FileAccessException.of(path, "it cannot be locked", e));
    }
    if (lock == null) {
      String pid = DaemonLock.holder(directory)
          .filter(h -> h.pid().isPresent())
          .map(h -> String.valueOf(h.pid().getAsLong()))
          .orElse("unknown");
      throw closedAfter(channel, new AlreadyRunningException("another route-agent (pid " + pid
          + ") already manages this network namespace's routes (lock " + path + ")"));
    }
    try {
      channel.truncate(0);
      String content = ProcessHandle.current().pid() + "\n" + watched.toAbsolutePath().normalize() + "\n";
      channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
    } catch (IOException e) {
      throw closedAfter(channel, FileAccessException.of(path, "it cannot be written", e));
    }
    return new LockFile(channel, lock);
  }

  /** Closes the channel of a lock not taken (dropping it if held); {@code failure}, with any close error in it. */
  private static <E extends Exception> E closedAfter(FileChannel channel, E failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }

  static final class AlreadyRunningException extends Exception {
    private static final long serialVersionUID = 1L;

    AlreadyRunningException(String message) {
      super(message);
    }
  }
}
