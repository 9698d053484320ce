package io.routeagent.daemon;

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
 */
final class LockFile implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private LockFile(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or explains who holds it. */
  static LockFile acquire(Path directory) throws IOException, AlreadyRunningException {
    Files.createDirectories(directory);
    Path path = directory.resolve(NetworkNamespace.name() + ".lock");
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      String holder = Files.readString(path, StandardCharsets.US_ASCII).trim();
      channel.close();
      throw new AlreadyRunningException("another route-agent (pid " + (holder.isEmpty() ? "unknown" : holder)
          + ") already manages this network namespace's routes (lock " + path + ")");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    return new LockFile(channel, lock);
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
