package io.routeagent.kernel;

import java.nio.ByteBuffer;

/**
 * The libc calls the agent makes, bound by {@link NativeLibC} through jffi. Every call but
 * {@code geteuid} saves errno, which {@link NativeLibC#lastErrno} reads right after a call that
 * returned -1, on the same thread. A buffer argument is a direct buffer, passed as its address
 * plus its position (a heap buffer is refused); a string is passed NUL-terminated, in the
 * platform's default charset.
 */
interface LibC {
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

  int socket(int domain, int type, int protocol);

  int bind(int fd, ByteBuffer address, int addressLength);

  /** {@code addressLength}: a 4-byte socklen_t, in and out. */
  int getsockname(int fd, ByteBuffer address, ByteBuffer addressLength);

  int setsockopt(int fd, int level, int option, ByteBuffer value, int valueLength);

  /** {@code length}: a 4-byte socklen_t, in and out. */
  int getsockopt(int fd, int level, int option, ByteBuffer value, ByteBuffer length);

  long sendto(int fd, ByteBuffer buffer, long length, int flags, ByteBuffer address, int addressLength);

  long recv(int fd, ByteBuffer buffer, long length, int flags);

  int close(int fd);

  /** {@code #define POLLIN 0x001} */
  short POLLIN = 0x001;
  /** {@code sizeof(struct pollfd)}: int fd, short events, short revents. */
  int POLLFD_SIZE = 8;
  /** {@code EFD_CLOEXEC = O_CLOEXEC} */
  int EFD_CLOEXEC = 0x80000;
  /** {@code EFD_NONBLOCK = O_NONBLOCK} */
  int EFD_NONBLOCK = 0x800;

  int poll(ByteBuffer fds, long count, int timeoutMillis);

  int eventfd(int initialValue, int flags);

  long read(int fd, ByteBuffer buffer, long length);

  long write(int fd, ByteBuffer buffer, long length);

  /** The mode argument is read only with O_CREAT; pass 0 otherwise. */
  int open(String path, int flags, int mode);

  int openat(int directoryFd, String name, int flags, int mode);

  int renameat(int fromDirectoryFd, String from, int toDirectoryFd, String to);

  int mkdirat(int directoryFd, String name, int mode);

  int geteuid();
}
