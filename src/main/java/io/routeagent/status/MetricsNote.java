package io.routeagent.status;

import java.io.IOException;
import java.nio.file.Path;
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
    return LockSideFile.besideLock(lockFile, "metrics");
  }

  /** Writes the line (a rename over the last, so a reader never sees half), or removes the file for null. */
  public static void write(Path file, String note) throws IOException {
    LockSideFile.replace(file, note == null ? null : note.replace('\n', ' ') + "\n");
  }

  /** The line, or empty when there is none ({@link LockSideFile#read}: no link, a regular file, 4 KiB). */
  public static Optional<String> read(Path file) {
    return LockSideFile.read(file).map(text -> text.strip().replaceAll("\\p{Cntrl}", "?")).filter(line -> !line.isEmpty());
  }
}
