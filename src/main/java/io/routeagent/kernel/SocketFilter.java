package io.routeagent.kernel;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A classic BPF program for SO_ATTACH_FILTER that drops the notifications caused by one netlink
 * port's requests. The kernel stamps a notification with the port id of the request that caused
 * it (nlmsg_pid), and runs a socket's filter before it queues a notification for it, so what the
 * filter drops never reaches the socket: no memory, no wake-up, no read. Notifications of changes
 * the kernel made itself carry port 0, those of other programs their own port.
 */
final class SocketFilter {
  /** {@code #define SO_ATTACH_FILTER 26} (asm-generic/socket.h) */
  static final int SO_ATTACH_FILTER = 26;

  // linux/bpf_common.h
  private static final short BPF_LD = 0x00;
  private static final short BPF_JMP = 0x05;
  private static final short BPF_RET = 0x06;
  private static final short BPF_W = 0x00;
  private static final short BPF_ABS = 0x20;
  private static final short BPF_JEQ = 0x10;
  private static final short BPF_K = 0x00;

  /** {@code offsetof(struct nlmsghdr, nlmsg_pid)} */
  private static final int NLMSG_PID_OFFSET = 12;
  /** {@code sizeof(struct sock_filter)}: u16 code, u8 jt, u8 jf, u32 k. */
  private static final int INSTRUCTION_SIZE = 8;
  /** {@code sizeof(struct sock_fprog)} on a 64-bit kernel: u16 len, padding, a pointer. */
  static final int PROGRAM_SIZE = 16;

  private static final MemoryIO MEMORY = MemoryIO.getInstance();

  private SocketFilter() {}

  /**
   * Calls {@code attach} with a {@code struct sock_fprog} that drops every datagram whose first
   * message carries {@code portId} and keeps all others whole. The program lives in native memory
   * during the call only: the kernel copies it.
   */
  static <E extends Exception> void droppingPort(int portId, Attach<E> attach) throws E {
    // BPF_ABS loads in network byte order; nlmsg_pid is in the host's.
    int pid = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(portId) : portId;
    int[][] program = {
      {BPF_LD | BPF_W | BPF_ABS, 0, 0, NLMSG_PID_OFFSET},
      {BPF_JMP | BPF_JEQ | BPF_K, 1, 0, pid}, // ours: jump to the drop
      {BPF_RET | BPF_K, 0, 0, -1}, // keep the whole datagram
      {BPF_RET | BPF_K, 0, 0, 0}, // drop it
    };
    long block = MEMORY.allocateMemory(PROGRAM_SIZE + program.length * INSTRUCTION_SIZE, true);
    if (block == 0) {
      throw new OutOfMemoryError("cannot allocate a socket filter");
    }
    try {
      long instructions = block + PROGRAM_SIZE;
      for (int i = 0; i < program.length; i++) {
        long at = instructions + (long) i * INSTRUCTION_SIZE;
        MEMORY.putShort(at, (short) program[i][0]);
        MEMORY.putByte(at + 2, (byte) program[i][1]);
        MEMORY.putByte(at + 3, (byte) program[i][2]);
        MEMORY.putInt(at + 4, program[i][3]);
      }
      MEMORY.putShort(block, (short) program.length);
      MEMORY.putAddress(block + 8, instructions);
      attach.attach(MEMORY.newDirectByteBuffer(block, PROGRAM_SIZE).order(ByteOrder.nativeOrder()));
    } finally {
      MEMORY.freeMemory(block);
    }
  }

  /** The setsockopt(SO_ATTACH_FILTER) call, given the {@code struct sock_fprog}. */
  interface Attach<E extends Exception> {
    void attach(ByteBuffer program) throws E;
  }
}
