package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.routeagent.kernel.FileAccessException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a lock file says about its holder, read defensively: it may come from any version, or anyone. */
class DaemonLockTest {
  private static final Path LOCK = Path.of("/run/route-agent/net-1.lock");

  @TempDir Path dir;

  private static DaemonLock.Holder describe(long lockingPid, String content) {
    return describe(lockingPid, content.getBytes(StandardCharsets.UTF_8));
  }

  private static DaemonLock.Holder describe(long lockingPid, byte[] content) {
    return DaemonLock.describe(LOCK, lockingPid, ByteBuffer.wrap(content));
  }

  @Test
  void theDaemonWritesItsPidThenTheFileItAppliesAndThatIsWhatIsRead() throws Exception {
    Path routes = dir.resolve("sub/../routes.yaml");
    try (LockFile lock = LockFile.acquire(dir.resolve("lock"), routes)) {
      assertThat(lock).isNotNull();
      byte[] content = Files.readAllBytes(LockFile.path(dir.resolve("lock")));
      assertThat(new String(content, StandardCharsets.UTF_8))
          .isEqualTo(ProcessHandle.current().pid() + "\n" + dir.resolve("routes.yaml") + "\n");
      DaemonLock.Holder holder = describe(0, content);
      assertThat(holder.pid()).hasValue(ProcessHandle.current().pid());
      assertThat(holder.watches()).hasValue(dir.resolve("routes.yaml"));
    }
  }

  @Test
  void anOlderAgentsPidAloneIsReadAndTheFileIsUnknown() {
    DaemonLock.Holder holder = describe(0, "1234\n");
    assertThat(holder.pid()).hasValue(1234);
    assertThat(holder.watches()).isEmpty();
  }

  @Test
  void theKernelsPidWinsOverTheFiles() {
    assertThat(describe(99, "1234\n/r.yaml\n").pid()).hasValue(99);
  }

  @Test
  void anythingElseIsUnknownNeverAnError() {
    assertThat(describe(0, "")).isEqualTo(new DaemonLock.Holder(LOCK, OptionalLong.empty(), Optional.empty()));
    assertThat(describe(0, "-1\nrelative/routes.yaml\n").pid()).isEmpty();
    assertThat(describe(0, "12345678901\n").pid()).as("more digits than a pid").isEmpty();
    assertThat(describe(0, "1234\nrelative/routes.yaml\n").watches()).isEmpty();
    assertThat(describe(0, "1234\n/home/u/\u001b[2Jroutes.yaml\n").watches()).as("an escape sequence").isEmpty();
    assertThat(describe(0, "1234\n/home/u/\u202eroutes.yaml\n").watches()).as("a bidi override").isEmpty();
    assertThat(describe(0, "1234\n/home/u/\u0085routes.yaml\n").watches()).as("a C1 control").isEmpty();
    assertThat(describe(0, new byte[] {'1', '\n', '/', (byte) 0xff, '\n'})).as("not UTF-8")
        .isEqualTo(new DaemonLock.Holder(LOCK, OptionalLong.empty(), Optional.empty()));
    assertThat(describe(0, "1234\n/" + "a".repeat(5000) + "\n").watches()).isEmpty();
  }

  @Test
  void noLockFileOrALinkIsNoDaemon() throws IOException {
    assertThat(DaemonLock.holder(dir)).isEmpty();
    Files.writeString(dir.resolve("target"), "1\n/r.yaml\n");
    Files.createSymbolicLink(LockFile.path(dir), dir.resolve("target"));
    assertThat(DaemonLock.holder(dir)).isEmpty();
  }

  @Test
  void aHeldLockIsFoundInProcLocksWithItsHoldersPidAndFile() throws Exception {
    Path lockDir = dir.resolve("lock");
    try (LockFile lock = LockFile.acquire(lockDir, dir.resolve("routes.yaml"))) {
      assertThat(lock).isNotNull();
      // Asked from the holder's own process here (a test); apply and plan ask from another one.
      assertThat(DaemonLock.holder(lockDir)).hasValue(new DaemonLock.Holder(
          LockFile.path(lockDir), OptionalLong.of(ProcessHandle.current().pid()), Optional.of(dir.resolve("routes.yaml"))));
    }
  }

  @Test
  void aFifoInPlaceOfTheLockIsNoDaemonAndDoesNotBlock() throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", LockFile.path(dir).toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    assertThat(DaemonLock.holder(dir)).isEmpty();
  }

  @Test
  void aLockFileNobodyHoldsIsNoDaemon() throws IOException {
    Files.writeString(LockFile.path(dir), "1\n/r.yaml\n");
    assertThat(DaemonLock.holder(dir)).isEmpty();
  }

  @Test
  void aLockDirectoryThatCannotBeUsedIsSaidWithItsPathAndErrno() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "");
    assertThat(catchThrowableOfType(FileAccessException.class, () -> LockFile.acquire(file, dir.resolve("routes.yaml"))))
        .hasMessage(file + ": it cannot be made a directory: EEXIST File exists");
    assertThat(catchThrowableOfType(FileAccessException.class,
        () -> LockFile.acquire(file.resolve("sub"), dir.resolve("routes.yaml"))))
        .hasMessage(file.resolve("sub") + ": it cannot be made a directory: ENOTDIR Not a directory");
    Files.createDirectory(LockFile.path(dir));
    assertThat(catchThrowableOfType(FileAccessException.class, () -> LockFile.acquire(dir, dir.resolve("routes.yaml"))))
        .hasMessage(LockFile.path(dir) + ": it cannot be opened for writing: EISDIR Is a directory");
  }
}
