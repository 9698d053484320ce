package io.routeagent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failure java.nio reported, in the words of the agent's own calls: the errno, never the exception's class. */
class FileAccessExceptionTest {
  @TempDir Path dir;

  @Test
  void theErrnoIsFoundByJavasOwnExceptionOrByTheCLibrarysWords() {
    assertThat(FileAccessException.describe(new NoSuchFileException("/x"))).isEqualTo("ENOENT No such file or directory");
    assertThat(FileAccessException.describe(new AccessDeniedException("/x"))).isEqualTo("EACCES Permission denied");
    assertThat(FileAccessException.describe(new FileAlreadyExistsException("/x"))).isEqualTo("EEXIST File exists");
    assertThat(FileAccessException.describe(new FileSystemException("/x/y.lock", null, "Read-only file system")))
        .isEqualTo("EROFS Read-only file system");
    // What FileChannel.write throws: strerror's text alone.
    assertThat(FileAccessException.describe(new IOException("No space left on device")))
        .isEqualTo("ENOSPC No space left on device");
  }

  @Test
  void withoutAnErrnoJavasWordsAreKeptButNotItsClassNorThePathAgain() {
    assertThat(FileAccessException.describe(new FileSystemException("/x", null, "Atomic move not supported")))
        .isEqualTo("Atomic move not supported");
    assertThat(FileAccessException.describe(new IOException("Stream Closed"))).isEqualTo("Stream Closed");
    assertThat(FileAccessException.describe(new IOException())).isEqualTo("an I/O error (IOException)");
  }

  @Test
  void aRealFailureSaysItsErrnoAndWhatCouldNotBeDone() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "");
    IOException failure =
        catchThrowableOfType(IOException.class, () -> Files.createDirectories(file.resolve("sub")));
    FileAccessException e = FileAccessException.of(file.resolve("sub"), "it cannot be made a directory", failure);
    assertThat(e).hasMessage(file.resolve("sub") + ": it cannot be made a directory: ENOTDIR Not a directory")
        .hasCause(failure);
    assertThat(e.kind()).isEqualTo(FileAccessException.Kind.REFUSED);
    assertThat(FileAccessException.of(dir.resolve("no"), "it cannot be read", new NoSuchFileException("no")).kind())
        .isEqualTo(FileAccessException.Kind.MISSING);
  }
}
