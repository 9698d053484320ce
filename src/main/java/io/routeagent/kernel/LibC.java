package io.routeagent.kernel;

import java.nio.ByteBuffer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls the agent makes. Every call saves errno, which {@link NativeLibC#lastErrno}
 * reads right after a call that returned -1, on the same thread. Public only because jnr-ffi
 * generates the implementation in its own class loader; nothing outside this package uses it.
 */
public interface LibC {
  /** {@code #define AF_NETLINK 16} */
  int AF_NETLINK = 16;
  /** {@code #define AF_UNIX 1} */
  int AF_UNIX = 1;
  /** {@code SOCK_RAW = 3} */
  int SOCK_RAW = 3;
  /** {@code SOCK_DGRAM = 2} */
  int SOCK_DGRAM = 2;
  /** {@code SOCK_CLOEXEC = 02000000} */
  int SOCK_CLOEXEC = 0x80000;
  /** {@code #define SOL_SOCKET 1} */
  int SOL_SOCKET = 1;
  /** {@code #define SO_SNDBUF 7} */
  int SO_SNDBUF = 7;
  /** {@code #define SO_RCVBUF 8} */
  int SO_RCVBUF = 8;
  /** {@code #define SO_SNDBUFFORCE 32}: past wmem_max, needs CAP_NET_ADMIN. */
  int SO_SNDBUFFORCE = 32;
  /** {@code #define SO_RCVBUFFORCE 33}: past rmem_max, needs CAP_NET_ADMIN. */
  int SO_RCVBUFFORCE = 33;
  /** {@code #define MSG_DONTWAIT 0x40} */
  int MSG_DONTWAIT = 0x40;
  /** {@code #define MSG_TRUNC 0x20}: recv returns the datagram's real length. */
  int MSG_TRUNC = 0x20;

  @SaveError
  int socket(int domain, int type, int protocol);

  @SaveError
  int bind(int fd, @In ByteBuffer address, int addressLength);

  @SaveError
  int getsockname(int fd, @Out ByteBuffer address, IntByReference addressLength);

  @SaveError
  int setsockopt(int fd, int level, int option, @In IntByReference value, int valueLength);

  /** For the options whose value is a structure (SO_ATTACH_FILTER's {@code struct sock_fprog}). */
  @SaveError
  int setsockopt(int fd, int level, int option, @In ByteBuffer value, int valueLength);

  @SaveError
  int getsockopt(int fd, int level, int option, @Out IntByReference value, IntByReference length);

  @SaveError
  @ssize_t
  long sendto(
      int fd,
      @In ByteBuffer buffer,
      @size_t long length,
      int flags,
      @In ByteBuffer address,
      int addressLength);

  @SaveError
  @ssize_t
  long recv(int fd, @Out ByteBuffer buffer, @size_t long length, int flags);

  @SaveError
  int close(int fd);

  /** {@code #define POLLIN 0x001} */
  short POLLIN = 0x001;
  /** {@code sizeof(struct pollfd)}: int fd, short events, short revents. */
  int POLLFD_SIZE = 8;
  /** {@code EFD_CLOEXEC = O_CLOEXEC} */
  int EFD_CLOEXEC = 0x80000;
  /** {@code EFD_NONBLOCK = O_NONBLOCK} */
  int EFD_NONBLOCK = 0x800;

  @SaveError
  int poll(ByteBuffer fds, @size_t long count, int timeoutMillis);

  @SaveError
  int eventfd(int initialValue, int flags);

  @SaveError
  @ssize_t
  long read(int fd, @Out ByteBuffer buffer, @size_t long length);

  @SaveError
  @ssize_t
  long write(int fd, @In ByteBuffer buffer, @size_t long length);

  /** The mode argument is read only with O_CREAT; pass 0 otherwise. */
  @SaveError
  int open(String path, int flags, int mode);

  @SaveError
  int openat(int directoryFd, String name, int flags, int mode);

  @SaveError
  int renameat(int fromDirectoryFd, String from, int toDirectoryFd, String to);

  @SaveError
  int mkdirat(int directoryFd, String name, int mode);

  int geteuid();
}
