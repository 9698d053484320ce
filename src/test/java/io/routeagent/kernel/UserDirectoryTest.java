package io.routeagent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.routeagent.testing.Commands;
import io.routeagent.testing.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UserDirectory} against the tricks of a directory's owner: links, FIFOs, directories,
 * sizes. Each refusal must come before a byte is read and without blocking; the timeouts are only
 * there so that a regression (an open that blocks on a FIFO) fails instead of hanging the build.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserDirectoryTest {
  @TempDir Path dir;

  private FileAccessException refusal(Path directory, String name, int cap) {
    return catchThrowableOfType(FileAccessException.class, () -> {
      try (UserDirectory opened = UserDirectory.open(directory)) {
        opened.read(name, cap);
      }
    });
  }

  @Test
  void readsARegularFileWithItsStatus() throws Exception {
    Files.writeString(dir.resolve("routes.yaml"), "routes: []\n");
    try (UserDirectory opened = UserDirectory.open(dir)) {
      FileContent content = opened.read("routes.yaml", 100);
      assertThat(new String(content.bytes(), StandardCharsets.UTF_8)).isEqualTo("routes: []\n");
      assertThat(content.status().isRegularFile()).isTrue();
      assertThat(content.status().size()).isEqualTo(11);
      assertThat(opened.path()).isEqualTo(dir.toRealPath());
    }
  }

  @Test
  void aLinkIsNotFollowedEvenToAReadableFile() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "root:$6$hash\n");
    Files.createSymbolicLink(dir.resolve("routes.yaml"), secret);
    FileAccessException e = refusal(dir, "routes.yaml", 100);
    assertThat(e.reason()).startsWith("it is a symbolic link, and the agent follows no link here");
    assertThat(e.getMessage()).doesNotContain("root:");
  }

  @Test
  void aFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("routes.yaml");
    assertThat(Commands.run(List.of("mkfifo", fifo.toString())).status()).isZero();
    assertThat(refusal(dir, "routes.yaml", 100).reason())
        .isEqualTo("it is a FIFO (named pipe), not a regular file; the agent reads regular files only");
  }

  @Test
  void aDirectoryIsRefused() throws Exception {
    Files.createDirectory(dir.resolve("routes.yaml"));
    assertThat(refusal(dir, "routes.yaml", 100).reason()).startsWith("it is a directory, not a regular file");
  }

  @Test
  void aFileOverTheCapIsRefusedByItsSize() throws Exception {
    Files.write(dir.resolve("routes.yaml"), new byte[101]);
    FileAccessException e = refusal(dir, "routes.yaml", 100);
    assertThat(e.kind()).isEqualTo(FileAccessException.Kind.TOO_LARGE);
    assertThat(e.reason()).isEqualTo("it is larger than the limit of 100 bytes (101 bytes)");
  }

  @Test
  void aMissingFileIsMissing() {
    assertThat(refusal(dir, "routes.yaml", 100).kind()).isEqualTo(FileAccessException.Kind.MISSING);
    FileAccessException e =
        catchThrowableOfType(FileAccessException.class, () -> UserDirectory.open(dir.resolve("no/such")));
    assertThat(e.kind()).isEqualTo(FileAccessException.Kind.MISSING);
    assertThat(e.path()).isEqualTo(dir.resolve("no"));
  }

  @Test
  void aLinkOnTheWayInADirectoryOthersMayWriteIsRefused() throws Exception {
    // /tmp is writable by all: a link there may be anyone's, whoever owns it now.
    Path real = Files.createDirectory(dir.resolve("real"));
    Files.writeString(real.resolve("routes.yaml"), "routes: []\n");
    Path writable = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(writable, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.createSymbolicLink(writable.resolve("link"), real);
    FileAccessException e =
        catchThrowableOfType(FileAccessException.class, () -> UserDirectory.open(writable.resolve("link")));
    assertThat(e.path()).isEqualTo(writable.resolve("link"));
    assertThat(e.reason()).startsWith("it is a symbolic link where a user other than root can change it");
  }

  @Test
  void aLinkOnTheWayInADirectoryOfAnotherUserIsRefused() throws Exception {
    RootOnly.require();
    Path real = Files.createDirectory(dir.resolve("real"));
    Path users = Files.createDirectory(dir.resolve("users"));
    Files.createSymbolicLink(users.resolve("link"), real);
    assertThat(Commands.run(List.of("chown", "-h", "54321:54321", users.toString())).status()).isZero();
    FileAccessException e =
        catchThrowableOfType(FileAccessException.class, () -> UserDirectory.open(users.resolve("link")));
    assertThat(e.reason()).startsWith("it is a symbolic link where a user other than root can change it");
  }

  @Test
  void aLinkThatOnlyRootCouldHaveMadeIsFollowed() throws Exception {
    RootOnly.require();
    // The test directory is root's and 0700: like /etc, only root could have put a link there.
    Path real = Files.createDirectory(dir.resolve("real"));
    Files.writeString(real.resolve("routes.yaml"), "routes: []\n");
    Files.createSymbolicLink(dir.resolve("link"), Path.of("real"));
    try (UserDirectory opened = UserDirectory.open(dir.resolve("link"))) {
      assertThat(opened.path()).isEqualTo(real.toRealPath());
      assertThat(opened.read("routes.yaml", 100).bytes()).hasSize(11);
    }
  }

  @Test
  void aSubdirectoryThatIsALinkIsRefused() throws Exception {
    Path real = Files.createDirectory(dir.resolve("real"));
    Files.createSymbolicLink(dir.resolve("routes.d"), real);
    try (UserDirectory opened = UserDirectory.open(dir)) {
      FileAccessException e = catchThrowableOfType(FileAccessException.class, () -> opened.directory("routes.d"));
      assertThat(e.reason()).startsWith("it is a symbolic link");
      assertThat(opened.statusOf("routes.d").orElseThrow().isSymbolicLink()).isTrue();
      assertThat(opened.names()).containsExactlyInAnyOrder("real", "routes.d");
    }
  }

  @Test
  void appendNeverWritesThroughALink() throws Exception {
    Path target = Files.writeString(dir.resolve("target"), "kept\n");
    Files.createSymbolicLink(dir.resolve("route-agent.log"), target);
    try (UserDirectory opened = UserDirectory.open(dir)) {
      FileAccessException e =
          catchThrowableOfType(FileAccessException.class, () -> opened.append("route-agent.log", 0644, "route-agent.log.1"));
      assertThat(e.reason()).startsWith("it is a symbolic link");
    }
    assertThat(Files.readString(target)).isEqualTo("kept\n");
  }

  @Test
  void appendAddsToTheFileAndCountsItsSize() throws Exception {
    Files.writeString(dir.resolve("route-agent.log"), "one\n");
    try (UserDirectory opened = UserDirectory.open(dir);
        AppendFile file = opened.append("route-agent.log", 0644, "route-agent.log.1")) {
      file.write("two\n".getBytes(StandardCharsets.UTF_8));
      assertThat(file.size()).isEqualTo(8);
    }
    assertThat(Files.readString(dir.resolve("route-agent.log"))).isEqualTo("one\ntwo\n");
  }
}
