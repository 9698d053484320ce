package io.routeagent.daemon;

import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.UnixDatagramSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * sd_notify(3) without libsystemd: a datagram to the AF_UNIX socket named by $NOTIFY_SOCKET
 * ("@name" for the abstract namespace).
 */
public final class SystemdNotifier implements AutoCloseable {
  private final UnixDatagramSocket socket;

  private SystemdNotifier(UnixDatagramSocket socket) {
    this.socket = socket;
  }

  /** The notifier for $NOTIFY_SOCKET, or empty when not started by systemd with Type=notify. */
  public static Optional<SystemdNotifier> fromEnvironment() throws KernelException {
    return fromEnvironment(System.getenv());
  }

  static Optional<SystemdNotifier> fromEnvironment(Map<String, String> environment) throws KernelException {
    Optional<byte[]> path = socketPath(environment.get("NOTIFY_SOCKET"));
    return path.isEmpty() ? Optional.empty() : Optional.of(new SystemdNotifier(UnixDatagramSocket.open(path.get())));
  }

  /**
   * The {@code sun_path} bytes $NOTIFY_SOCKET names: a path, or "@name" for the abstract namespace
   * (a leading NUL); empty when it is unset.
   */
  static Optional<byte[]> socketPath(String variable) {
    if (variable == null || variable.isEmpty()) {
      return Optional.empty();
    }
    byte[] name = variable.getBytes(StandardCharsets.UTF_8);
    if (name.length > UnixDatagramSocket.MAX_PATH_BYTES || (name[0] != '/' && name[0] != '@')) {
      throw new IllegalArgumentException("NOTIFY_SOCKET=" + variable + " is not a socket path");
    }
    if (name[0] == '@') {
      name[0] = 0; // abstract namespace
    }
    return Optional.of(name);
  }

  /** Sends newline-separated assignments such as "READY=1\nSTATUS=3/3 routes installed". */
  public void notify(String state) throws KernelException {
    socket.send(state.getBytes(StandardCharsets.UTF_8), "notifying systemd");
  }

  @Override
  public void close() {
    socket.close();
  }
}
