package io.routeagent.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** An AF_UNIX datagram socket that sends to one address: the syscalls under sd_notify(3). */
public final class UnixDatagramSocket implements AutoCloseable {
  /** {@code sizeof(struct sockaddr_un)}: u16 sun_family, char sun_path[108]. */
  private static final int SOCKADDR_UN_SIZE = 110;
  /** The longest {@code sun_path} this class sends to, its terminating NUL left out. */
  public static final int MAX_PATH_BYTES = SOCKADDR_UN_SIZE - 2 - 1;

  private final LibC libc = NativeLibC.libc();
  private final int fd;
  private final ByteBuffer address;
  private final int addressLength;
  private final ByteBuffer message = ByteBuffer.allocateDirect(4096);

  private UnixDatagramSocket(int fd, ByteBuffer address, int addressLength) {
    this.fd = fd;
    this.address = address;
    this.addressLength = addressLength;
  }

  /**
   * Opens a socket that sends to {@code path}: a file system path, or with a leading NUL byte a
   * name in the abstract namespace (not NUL-terminated: the address length says where it ends).
   */
  public static UnixDatagramSocket open(byte[] path) throws KernelException {
    if (path.length == 0 || path.length > MAX_PATH_BYTES) {
      throw new IllegalArgumentException("a socket path of " + path.length + " bytes");
    }
    ByteBuffer address = ByteBuffer.allocateDirect(SOCKADDR_UN_SIZE).order(ByteOrder.nativeOrder());
    address.putShort(0, (short) LibC.AF_UNIX);
    address.put(2, path);
    LibC libc = NativeLibC.libc();
    int fd = libc.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw new KernelException(NativeLibC.lastErrno(), "opening a unix socket", false, null);
    }
    int length = 2 + path.length + (path[0] == 0 ? 0 : 1);
    return new UnixDatagramSocket(fd, address, length);
  }

  /** Sends one datagram of at most 4096 bytes (the rest is cut). */
  public void send(byte[] bytes, String operation) throws KernelException {
    int length = Math.min(bytes.length, message.capacity());
    message.put(0, bytes, 0, length);
    if (libc.sendto(fd, message, length, 0, address, addressLength) < 0) {
      throw new KernelException(NativeLibC.lastErrno(), operation, false, null);
    }
  }

  @Override
  public void close() {
    libc.close(fd);
  }
}
