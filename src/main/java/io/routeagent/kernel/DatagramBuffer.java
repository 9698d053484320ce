package io.routeagent.kernel;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A direct buffer for datagrams from the kernel, in native memory that is not cleared first.
 * {@link ByteBuffer#allocateDirect} clears all of it, which makes every page resident, while the
 * kernel writes one datagram at a time (at most 32 KiB for a dump, far less for a notification):
 * the daemon's two 1 MiB buffers were 2 MiB of its resident memory. The memory is freed by
 * {@link #close}; the buffer must not be used after.
 */
final class DatagramBuffer implements AutoCloseable {
  private static final MemoryIO MEMORY = MemoryIO.getInstance();

  private final long address;
  private final ByteBuffer buffer;
  private boolean closed;

  DatagramBuffer(int capacity) {
    address = MEMORY.allocateMemory(capacity, false);
    if (address == 0) {
      throw new OutOfMemoryError("cannot allocate a " + capacity + "-byte receive buffer");
    }
    buffer = MEMORY.newDirectByteBuffer(address, capacity).order(ByteOrder.nativeOrder());
  }

  ByteBuffer buffer() {
    return buffer;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      MEMORY.freeMemory(address);
    }
  }
}
