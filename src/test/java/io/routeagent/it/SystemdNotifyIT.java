package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * sd_notify under Type=notify and WatchdogSec: the test plays systemd, with an AF_UNIX datagram
 * socket of its own (through jffi, as the agent does; the JDK has no Unix datagram channel) named
 * by NOTIFY_SOCKET. A path, not an abstract name: abstract names belong to a network namespace.
 */
class SystemdNotifyIT extends DaemonTestBase {
  /** The few libc calls a receiving end needs, bound through jffi as the agent binds its own. */
  static final class Libc {
    private final Invoker invoker = Invoker.getInstance();
    private final MemoryIO memory = MemoryIO.getInstance();
    private final Library library = Library.getCachedInstance("libc.so.6", Library.LAZY | Library.LOCAL);

    private long call(String name, Type result, Type[] parameters, long... arguments) {
      CallContext context = CallContext.getCallContext(result, parameters, CallingConvention.DEFAULT, true);
      long function = library.getSymbolAddress(name);
      assertThat(function).as(name).isNotZero();
      return switch (arguments.length) {
        case 1 -> invoker.invokeN1(context, function, arguments[0]);
        case 3 -> invoker.invokeN3(context, function, arguments[0], arguments[1], arguments[2]);
        case 4 -> invoker.invokeN4(context, function, arguments[0], arguments[1], arguments[2], arguments[3]);
        default -> throw new IllegalArgumentException(name);
      };
    }

    int socket(int domain, int type, int protocol) {
      return (int) call("socket", Type.SINT, new Type[] {Type.SINT, Type.SINT, Type.SINT}, domain, type, protocol);
    }

    int bind(int fd, ByteBuffer address, int addressLength) {
      int result = (int) call("bind", Type.SINT, new Type[] {Type.SINT, Type.POINTER, Type.UINT},
          fd, memory.getDirectBufferAddress(address), addressLength);
      Reference.reachabilityFence(address);
      return result;
    }

    long recv(int fd, ByteBuffer buffer, long length, int flags) {
      long result = call("recv", Type.SLONG, new Type[] {Type.SINT, Type.POINTER, Type.ULONG, Type.SINT},
          fd, memory.getDirectBufferAddress(buffer), length, flags);
      Reference.reachabilityFence(buffer);
      return result;
    }

    int close(int fd) {
      return (int) call("close", Type.SINT, new Type[] {Type.SINT}, fd);
    }
  }

  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int MSG_DONTWAIT = 0x40;

  private Libc libc;
  private int fd = -1;
  private Path socketPath;
  private final List<String> received = new ArrayList<>();

  @BeforeEach
  void bindNotifySocket() {
    libc = new Libc();
    socketPath = dir.resolve("notify.sock");
    byte[] path = socketPath.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(path.length).isLessThan(108);
    ByteBuffer address = ByteBuffer.allocateDirect(110).order(ByteOrder.nativeOrder());
    address.putShort(0, (short) AF_UNIX);
    address.put(2, path);
    fd = libc.socket(AF_UNIX, SOCK_DGRAM, 0);
    assertThat(fd).isGreaterThanOrEqualTo(0);
    assertThat(libc.bind(fd, address, 2 + path.length + 1)).as("bind %s", socketPath).isZero();
  }

  @AfterEach
  void closeNotifySocket() {
    if (fd >= 0) {
      libc.close(fd);
    }
  }

  /** Reads datagrams until one satisfies {@code condition}; returns it. */
  private String awaitDatagram(Predicate<String> condition, Duration within, AgentProcess agent) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      long length = libc.recv(fd, buffer, buffer.capacity(), MSG_DONTWAIT);
      if (length < 0) {
        AgentProcess.pause(5);
        continue;
      }
      byte[] bytes = new byte[(int) length];
      buffer.get(0, bytes);
      String message = new String(bytes, StandardCharsets.UTF_8);
      received.add(message);
      if (condition.test(message)) {
        return message;
      }
    }
    return fail("no such notification within " + within.toMillis() + " ms; received " + received + "; log:\n" + agent.log());
  }

  @Test
  void readyAfterTheFirstReconcileThenStatusAndWatchdogPingsFromTheLoop() {
    AgentProcess agent = launch(Map.of("NOTIFY_SOCKET", socketPath.toString(), "WATCHDOG_USEC", "200000"));
    String ready = awaitDatagram(m -> m.contains("READY=1"), Duration.ofSeconds(20), agent);
    // READY=1 comes after the first reconcile, with the count in STATUS=.
    assertThat(hasAll(R1, R2, R3).test(routes())).as(routes()).isTrue();
    assertThat(ready).isEqualTo("READY=1\nSTATUS=3/3 routes installed");

    // WATCHDOG_USEC=200000: the loop keeps pinging after READY (the interval itself, half of
    // WATCHDOG_USEC, is ScheduleTest's, on a clock of its own: a loaded machine must not fail this).
    for (int i = 0; i < 5; i++) {
      awaitDatagram("WATCHDOG=1"::equals, SOON, agent);
    }

    // STATUS= follows the state: the link goes down, the routes wait.
    ns.ip("link", "set", "eth2", "down");
    awaitDatagram("STATUS=0/3 routes installed"::equals, SOON, agent);
    ns.ip("link", "set", "eth2", "up");
    awaitDatagram("STATUS=3/3 routes installed"::equals, SOON, agent);
  }

  @Test
  void noWatchdogPingsWhenWatchdogUsecIsForAnotherProcess() {
    AgentProcess agent = launch(Map.of("NOTIFY_SOCKET", socketPath.toString(), "WATCHDOG_USEC", "200000",
        "WATCHDOG_PID", "1"));
    awaitDatagram(m -> m.contains("READY=1"), Duration.ofSeconds(20), agent);
    AgentProcess.pause(400); // four ping intervals
    ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    long length;
    while ((length = libc.recv(fd, buffer, buffer.capacity(), MSG_DONTWAIT)) >= 0) {
      byte[] bytes = new byte[(int) length];
      buffer.get(0, bytes);
      received.add(new String(bytes, StandardCharsets.UTF_8));
    }
    assertThat(received).noneMatch(m -> m.contains("WATCHDOG=1"));
  }
}
