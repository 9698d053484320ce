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
 * Where a running daemon tells {@code route-agent status} that it does not serve /metrics and
 * /healthz (its {@code --metrics-address} cannot be bound yet: another process holds the port):
 * one line beside its lock file ({@code NAMESPACE.lock} → {@code NAMESPACE.metrics}), in its
 * runtime directory, present only while the address is not served.
 */
public final class MetricsNote {
  private MetricsNote() {}

  public static Path besideLock(Path lockFile) {
    String name = lockFile.getFileName().toString();
    return lockFile.resolveSibling((name.endsWith(".lock") ? name.substring(0, name.length() - 5) : name) + ".metrics");
  }

  /** Writes the line (a rename over the last, so a reader never sees half), or removes the file for null. */
  public static void write(Path file, String note) throws IOException {
    if (note == null) {
      Files.deleteIfExists(file);
      return;
    }
    Path temporary = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(temporary, note.replace('\n', ' ') + "\n", StandardCharsets.UTF_8);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The line, or empty when there is none. Read as the lock file is (no link followed, a regular
   * file only, 4 KiB at most): `status` may be pointed at a directory that others can write.
   */
  public static Optional<String> read(Path file) {
    String text;
    try (UserDirectory directory = UserDirectory.open(file.getParent())) {
      text = new String(directory.read(file.getFileName().toString(), 4096).bytes(), StandardCharsets.UTF_8);
    } catch (FileAccessException e) {
      return Optional.empty();
    }
    String line = text.strip().replaceAll("\\p{Cntrl}", "?");
    return line.isEmpty() ? Optional.empty() : Optional.of(line);
  }
}
