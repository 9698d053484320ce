package io.routeagent.kernel;

import io.routeagent.netlink.Netlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An rtnetlink socket: owns the file descriptor, reads errno right after each failing call, and
 * retries EINTR. Not thread-safe: one thread sends and receives.
 */
public final class NetlinkSocket implements AutoCloseable {
  /** {@code sizeof(struct sockaddr_nl)}: u16 family, u16 pad, u32 pid, u32 groups. */
  private static final int SOCKADDR_NL_SIZE = 12;

  private final LibC libc = NativeLibC.libc();
  private final ByteBuffer kernelAddress = sockaddrNl(0);
  private final int fd;
  private final int portId;
  private boolean closed;

  private NetlinkSocket(int fd, int portId) {
    this.fd = fd;
    this.portId = portId;
  }

  /**
   * Opens a NETLINK_ROUTE socket, asks for extended acks and capped error echoes, and binds it
   * with a port the kernel picks (read back with getsockname: it is not always the pid).
   */
  public static NetlinkSocket open() throws KernelException {
    LibC libc = NativeLibC.libc();
    int fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, Netlink.NETLINK_ROUTE);
    if (fd < 0) {
      throw syscallFailure("opening a netlink socket");
    }
    try {
      setInt(libc, fd, Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, 1, "enabling extended acks");
      setInt(libc, fd, Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, 1, "capping error echoes");
      if (libc.bind(fd, sockaddrNl(0), SOCKADDR_NL_SIZE) < 0) {
        throw syscallFailure("binding a netlink socket");
      }
      ByteBuffer bound = ByteBuffer.allocateDirect(SOCKADDR_NL_SIZE).order(ByteOrder.nativeOrder());
      if (libc.getsockname(fd, bound, nativeInt(SOCKADDR_NL_SIZE)) < 0) {
        throw syscallFailure("reading a netlink socket's port");
      }
      return new NetlinkSocket(fd, bound.getInt(4));
    } catch (KernelException e) {
      libc.close(fd);
      throw e;
    }
  }

  /** Joins a multicast group (RTNLGRP_*), to receive its notifications. */
  public void join(int group) throws KernelException {
    setInt(libc, fd, Netlink.SOL_NETLINK, Netlink.NETLINK_ADD_MEMBERSHIP, group, "joining group " + group);
  }

  /**
   * Sets the receive buffer. SO_RCVBUFFORCE passes the rmem_max cap but needs CAP_NET_ADMIN;
   * without it the capped SO_RCVBUF is the best there is (enough to read, as status does).
   */
  public void setReceiveBuffer(int bytes) throws KernelException {
    if (libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, nativeInt(bytes), 4) < 0) {
      setInt(libc, fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, bytes, "setting the receive buffer");
    }
  }

  /** As {@link #setReceiveBuffer}, for what one send may carry. */
  public void setSendBuffer(int bytes) throws KernelException {
    if (libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUFFORCE, nativeInt(bytes), 4) < 0) {
      setInt(libc, fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, bytes, "setting the send buffer");
    }
  }

  /**
   * Stops the notifications that {@code requester}'s own requests cause from reaching this socket
   * (see {@link SocketFilter}).
   */
  public void ignoreChangesBy(int requester) throws KernelException {
    SocketFilter.droppingPort(requester, program -> {
      if (libc.setsockopt(fd, LibC.SOL_SOCKET, SocketFilter.SO_ATTACH_FILTER, program, SocketFilter.PROGRAM_SIZE) < 0) {
        throw syscallFailure("attaching a socket filter");
      }
    });
  }

  /** The effective send buffer, which bounds one send's length. */
  public int sendBuffer() throws KernelException {
    ByteBuffer value = nativeInt(0);
    if (libc.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, value, nativeInt(4)) < 0) {
      throw syscallFailure("reading the send buffer size");
    }
    return value.getInt(0);
  }

  public int portId() {
    return portId;
  }

  int fd() {
    return fd;
  }

  /** Sends {@code length} bytes from position 0 of a direct buffer to the kernel, as one datagram. */
  public void send(ByteBuffer buffer, int length) throws KernelException {
    while (true) {
      long sent = libc.sendto(fd, buffer, length, 0, kernelAddress, SOCKADDR_NL_SIZE);
      if (sent >= 0) {
        return;
      }
      Errno errno = NativeLibC.lastErrno();
      if (!ErrnoPolicy.retry(errno)) {
        throw new KernelException(errno, "sending to the kernel", false, null);
      }
    }
  }

  /**
   * Receives one datagram into position 0 of a direct buffer and returns its length; with
   * {@code dontWait}, returns -1 when nothing is queued. ENOBUFS (the kernel dropped messages
   * for us) comes out as a KernelException the caller must handle.
   */
  public int receive(ByteBuffer buffer, boolean dontWait) throws KernelException {
    int flags = LibC.MSG_TRUNC | (dontWait ? LibC.MSG_DONTWAIT : 0);
    while (true) {
      long received = libc.recv(fd, buffer, buffer.capacity(), flags);
      if (received >= 0) {
        if (received > buffer.capacity()) {
          throw new IllegalStateException(
              "a " + received + "-byte datagram does not fit a " + buffer.capacity() + "-byte buffer");
        }
        return (int) received;
      }
      Errno errno = NativeLibC.lastErrno();
      if (ErrnoPolicy.retry(errno)) {
        continue;
      }
      if (dontWait && ErrnoPolicy.nothingQueued(errno)) {
        return -1;
      }
      throw new KernelException(errno, "receiving from the kernel", false, null);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      libc.close(fd);
    }
  }

  private static ByteBuffer sockaddrNl(int groups) {
    ByteBuffer address = ByteBuffer.allocateDirect(SOCKADDR_NL_SIZE).order(ByteOrder.nativeOrder());
    address.putShort(0, (short) LibC.AF_NETLINK);
    address.putInt(4, 0);
    address.putInt(8, groups);
    return address;
  }

  private static void setInt(LibC libc, int fd, int level, int option, int value, String what)
      throws KernelException {
    if (libc.setsockopt(fd, level, option, nativeInt(value), 4) < 0) {
      throw syscallFailure(what);
    }
  }

  /** A C int in native memory: a socket option's value, or a socklen_t the call reads and writes. */
  private static ByteBuffer nativeInt(int value) {
    return ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, value);
  }

  private static KernelException syscallFailure(String operation) {
    return new KernelException(NativeLibC.lastErrno(), operation, false, null);
  }
}
