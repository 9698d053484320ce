package io.routeagent.status;

import io.routeagent.kernel.FileAccessException;
import io.routeagent.kernel.UserDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A small file a running daemon keeps beside its lock file for {@code route-agent status} (the
 * change it holds, the address it cannot serve yet): named after the lock, present only while it
 * has something to say, written whole and read as the lock file is.
 */
final class LockSideFile {
  private LockSideFile() {}

  /** At most this much is read: the daemon writes a few lines. */
  private static final int MAX_BYTES = 4096;

  /** {@code NAMESPACE.lock} → {@code NAMESPACE.SUFFIX}, in the same directory. */
  static Path besideLock(Path lockFile, String suffix) {
    String name = lockFile.getFileName().toString();
    return lockFile.resolveSibling((name.endsWith(".lock") ? name.substring(0, name.length() - 5) : name) + "." + suffix);
  }

  /** Writes the text (a rename over the last, so a reader never sees half), or removes the file for null. */
  static void replace(Path file, String text) throws IOException {
    if (text == null) {
      Files.deleteIfExists(file);
      return;
    }
    Path temporary = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The text, or empty when there is none or it cannot be read. No link followed, a regular file
   * only, {@link #MAX_BYTES} at most: `status` may be pointed at a directory that others can write.
   */
  static Optional<String> read(Path file) {
    try (UserDirectory directory = UserDirectory.open(file.getParent())) {
      return Optional.of(new String(directory.read(file.getFileName().toString(), MAX_BYTES).bytes(),
          StandardCharsets.UTF_8));
    } catch (FileAccessException e) {
      return Optional.empty();
    }
  }
}
