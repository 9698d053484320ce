package io.routeagent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routeagent.cli.Main;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libc bound through jffi ({@link NativeLibC}): each call's result and errno as the kernel gives
 * them, buffers passed from their position, strings NUL-terminated, and a one-shot command that
 * loads no jnr-ffi class and no dynamic proxy, and links no call site in Errno (start-up).
 */
class NativeLibCTest {
  /** {@code #define AT_FDCWD -100} */
  private static final int AT_FDCWD = -100;
  /** {@code O_RDONLY | O_CLOEXEC} */
  private static final int O_RDONLY_CLOEXEC = 0x80000;
  /** {@code O_DIRECTORY} */
  private static final int O_DIRECTORY = 0x10000;

  @TempDir Path dir;

  private final LibC libc = NativeLibC.libc();

  @Test
  void aFailedCallLeavesTheKernelsErrnoByName() throws IOException {
    assertThat(libc.openat(AT_FDCWD, dir.resolve("missing").toString(), O_RDONLY_CLOEXEC, 0)).isEqualTo(-1);
    assertThat(NativeLibC.lastErrno()).isEqualTo(Errno.ENOENT);

    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThat(libc.open(file.toString(), O_RDONLY_CLOEXEC | O_DIRECTORY, 0)).isEqualTo(-1);
    assertThat(NativeLibC.lastErrno()).isEqualTo(Errno.ENOTDIR);

    assertThat(libc.close(-1)).isEqualTo(-1);
    assertThat(NativeLibC.lastErrno().name()).isEqualTo("EBADF");
    assertThat(NativeLibC.lastErrno().description()).isEqualTo("Bad file descriptor");

    assertThat(libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 4095)).isEqualTo(-1);
    assertThat(NativeLibC.lastErrno()).isEqualTo(Errno.EPROTONOSUPPORT);

    // A later successful call on another thread does not change this thread's errno.
    Thread other = new Thread(() -> libc.close(libc.eventfd(0, LibC.EFD_CLOEXEC)));
    other.start();
    assertThat(joined(other)).isTrue();
    assertThat(NativeLibC.lastErrno()).isEqualTo(Errno.EPROTONOSUPPORT);
  }

  private static boolean joined(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  @Test
  void buffersArePassedFromTheirPositionAndLengthsAsGiven() {
    int fd = libc.eventfd(5, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
    assertThat(fd).isGreaterThanOrEqualTo(0);
    try {
      ByteBuffer out = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder()).putLong(0, -1).putLong(8, 37);
      out.position(8);
      assertThat(libc.write(fd, out, 8)).isEqualTo(8);
      ByteBuffer in = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
      in.position(8);
      assertThat(libc.read(fd, in, 8)).isEqualTo(8);
      assertThat(in.getLong(8)).isEqualTo(42);
      assertThat(in.getLong(0)).isZero();
      // Nothing left: EAGAIN, a 64-bit -1 from a ssize_t function.
      assertThat(libc.read(fd, in, 8)).isEqualTo(-1L);
      assertThat(NativeLibC.lastErrno()).isEqualTo(Errno.EAGAIN);
    } finally {
      libc.close(fd);
    }
  }

  @Test
  void aHeapBufferIsRefusedBeforeTheCall() {
    assertThatThrownBy(() -> libc.write(1, ByteBuffer.allocate(8), 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a native call needs a direct buffer");
  }

  @Test
  void pathsAreNulTerminatedStrings() throws IOException {
    int directory = libc.open(dir.toString(), O_RDONLY_CLOEXEC | O_DIRECTORY, 0);
    assertThat(directory).isGreaterThanOrEqualTo(0);
    try {
      assertThat(libc.mkdirat(directory, "made", 0700)).isZero();
      assertThat(Files.isDirectory(dir.resolve("made"))).isTrue();
      assertThat(libc.mkdirat(directory, "made", 0700)).isEqualTo(-1);
      assertThat(NativeLibC.lastErrno()).isEqualTo(Errno.EEXIST);
      assertThat(libc.renameat(directory, "made", directory, "renamed, é")).isZero();
      assertThat(Files.isDirectory(dir.resolve("renamed, é"))).isTrue();
      int child = libc.openat(directory, "renamed, é", O_RDONLY_CLOEXEC | O_DIRECTORY, 0);
      assertThat(child).isGreaterThanOrEqualTo(0);
      libc.close(child);
    } finally {
      libc.close(directory);
    }
    assertThat(libc.geteuid()).isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }

  @Test
  void aNetlinkSocketBindsAndReadsItsOptions() throws KernelException {
    try (NetlinkSocket socket = NetlinkSocket.open()) {
      assertThat(socket.portId()).isNotZero();
      socket.setSendBuffer(64 * 1024);
      // The kernel doubles the value it is given (socket(7)).
      assertThat(socket.sendBuffer()).isEqualTo(128 * 1024);
    }
  }

  /**
   * `status` in a JVM of its own: a netlink dump and the routes file opened through
   * {@link UserDirectory}, with no jnr-ffi class and no dynamic proxy loaded (jnr-ffi's reflection
   * over annotated methods made the JDK spin 16 proxies, ~75 ms of a one-shot command).
   */
  @Test
  void statusLoadsNoJnrFfiClassNoProxyAndLinksNoErrnoCallSite() throws IOException, InterruptedException {
    Path routes = Files.writeString(dir.resolve("routes.yaml"), "routes:\n  - \"192.0.2.0/24 via 198.51.100.1 dev lo\"\n");
    Path log = dir.resolve("classes.log");
    Path indy = dir.resolve("indy.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xshare:off", "-Xlog:class+load=info:file=" + log,
        "-Xlog:methodhandles+indy=debug:file=" + indy,
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--config", routes.toString(), "--state-dir", dir.toString(), "status")
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    assertThat(out).contains("192.0.2.0/24");
    List<String> loaded = Files.readAllLines(log);
    assertThat(loaded).as("classes loaded").anyMatch(l -> l.contains(" io.routeagent.kernel.NativeLibC "));
    assertThat(loaded).as("classes loaded").anyMatch(l -> l.contains(" io.routeagent.kernel.UserDirectory "));
    assertThat(loaded.stream().filter(l -> l.contains(" jnr.ffi.")).toList()).as("jnr-ffi's classes").isEmpty();
    assertThat(loaded.stream().filter(l -> l.contains("$Proxy")).toList()).as("dynamic proxies").isEmpty();
    // Errno's equals, which UserDirectory calls, links no call site (a record's generated one
    // bootstraps through ObjectMethods and spins method handle classes).
    assertThat(Files.readAllLines(indy).stream().filter(l -> l.contains("io/routeagent/kernel/Errno")).toList())
        .as("call sites linked in Errno").isEmpty();
  }

  /**
   * jffi's stub cannot be loaded (none on the boot path, nowhere to unpack the jar's): one line
   * for the person, not the NoClassDefFoundError the second of the two threads that need libc got.
   */
  @Test
  void aStubThatCannotBeLoadedIsOneLine() throws IOException, InterruptedException {
    Path routes = Files.writeString(dir.resolve("routes.yaml"), "routes:\n  - \"192.0.2.0/24 via 198.51.100.1 dev lo\"\n");
    Path nowhere = dir.resolve("nowhere");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xshare:off", "-Djffi.boot.library.path=" + nowhere,
        "-Djava.library.path=" + nowhere, "-Djffi.extract.dir=" + nowhere, "-Djava.io.tmpdir=" + nowhere,
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--config", routes.toString(), "--state-dir", dir.toString(), "status")
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    assertThat(out).matches("route-agent: cannot load the C library through jffi \\([^\n]*\\)\n");
    assertThat(process.exitValue()).isEqualTo(1);
  }

  @Test
  void errnosAreEqualByAllTheirComponents() {
    Errno enoent = new Errno(2, "ENOENT", "No such file or directory");
    assertThat(Errno.ENOENT).isEqualTo(enoent).hasSameHashCodeAs(enoent);
    assertThat(Errno.ENOENT).isNotEqualTo(new Errno(2, "ENOENT", "other")).isNotEqualTo(new Errno(2, "X", "No such file or directory"));
    assertThat(Errno.ENOENT).isNotEqualTo(Errno.EPERM).isNotEqualTo("ENOENT").isNotEqualTo(null);
    assertThat(Errno.of(300)).isEqualTo(Errno.of(300)).hasSameHashCodeAs(Errno.of(300));
  }
}
