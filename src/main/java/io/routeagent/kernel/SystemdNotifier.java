package io.routeagent.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * sd_notify(3) without libsystemd: a datagram to the AF_UNIX socket named by $NOTIFY_SOCKET
 * ("@name" for the abstract namespace).
 */
public final class SystemdNotifier implements AutoCloseable {
  /** {@code sizeof(struct sockaddr_un)}: u16 sun_family, char sun_path[108]. */
  private static final int SOCKADDR_UN_SIZE = 110;

  private final LibC libc = NativeLibC.libc();
  private final int fd;
  private final ByteBuffer address;
  private final int addressLength;
  private final ByteBuffer message = ByteBuffer.allocateDirect(4096);

  private SystemdNotifier(int fd, ByteBuffer address, int addressLength) {
    this.fd = fd;
    this.address = address;
    this.addressLength = addressLength;
  }

  /** The notifier for $NOTIFY_SOCKET, or empty when not started by systemd with Type=notify. */
  public static Optional<SystemdNotifier> fromEnvironment() throws KernelException {
    String path = System.getenv("NOTIFY_SOCKET");
    if (path == null || path.isEmpty()) {
      return Optional.empty();
    }
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    if (name.length >= SOCKADDR_UN_SIZE - 2 || (name[0] != '/' && name[0] != '@')) {
      throw new IllegalArgumentException("NOTIFY_SOCKET=" + path + " is not a socket path");
    }
    if (name[0] == '@') {
      name[0] = 0; // abstract namespace
    }
    ByteBuffer address = ByteBuffer.allocateDirect(SOCKADDR_UN_SIZE).order(ByteOrder.nativeOrder());
    address.putShort(0, (short) LibC.AF_UNIX);
    address.put(2, name);
    LibC libc = NativeLibC.libc();
    int fd = libc.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw new KernelException(NativeLibC.lastErrno(), "opening the systemd notify socket", false, null);
    }
    // Abstract names are not NUL-terminated: the length says where they end.
    int length = 2 + name.length + (name[0] == 0 ? 0 : 1);
    return Optional.of(new SystemdNotifier(fd, address, length));
  }

  /** Sends newline-separated assignments such as "READY=1\nSTATUS=3/3 routes installed". */
  public void notify(String state) throws KernelException {
    byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(bytes.length, message.capacity());
    message.put(0, bytes, 0, length);
    if (libc.sendto(fd, message, length, 0, address, addressLength) < 0) {
      throw new KernelException(NativeLibC.lastErrno(), "notifying systemd", false, null);
    }
  }

  @Override
  public void close() {
    libc.close(fd);
  }
}
