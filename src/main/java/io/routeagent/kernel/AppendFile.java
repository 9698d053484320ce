package io.routeagent.kernel;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A file opened for appending by {@link UserDirectory#append}; counts the bytes it holds. */
public final class AppendFile implements AutoCloseable {
  private final LibC libc;
  private final int fd;
  private final Path path;
  private long size;
  private boolean closed;
  /** Reused for every write: a log line is written per repair, and direct buffers are dear. */
  private ByteBuffer buffer = ByteBuffer.allocateDirect(1024);

  AppendFile(LibC libc, int fd, Path path, long size) {
    this.libc = libc;
    this.fd = fd;
    this.path = path;
    this.size = size;
  }

  /** The file's size: what it held when opened plus what was written since. */
  public long size() {
    return size;
  }

  public Path path() {
    return path;
  }

  /** Writes all of {@code bytes}, retrying short writes and EINTR. Not thread-safe. */
  public void write(byte[] bytes) throws FileAccessException {
    if (buffer.capacity() < bytes.length) {
      buffer = ByteBuffer.allocateDirect(Math.max(bytes.length, buffer.capacity() * 2));
    }
    buffer.clear();
    buffer.put(bytes).flip();
    while (buffer.hasRemaining()) {
      long written = libc.write(fd, buffer.slice(), buffer.remaining());
      if (written < 0) {
        Errno errno = NativeLibC.lastErrno();
        if (ErrnoPolicy.retry(errno)) {
          continue;
        }
        throw new FileAccessException(path, "it cannot be written: " + errno.name() + " " + errno.description());
      }
      buffer.position(buffer.position() + (int) written);
      size += written;
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      libc.close(fd);
    }
  }
}
