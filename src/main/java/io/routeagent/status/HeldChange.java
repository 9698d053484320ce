package io.routeagent.status;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A valid change of the routes files that the daemon holds until the files have been quiet long
 * enough (a large upload, or a last line that may be cut): what the log, systemd's status,
 * /healthz and {@code route-agent status} say about it.
 *
 * @param until when it is due (a new write to the files pushes it back)
 * @param quiet how long the files must have been quiet
 * @param reason why it waits that long ("20000 routes changed", "the last line of … has no end of line")
 */
public record HeldChange(Instant until, int added, int replaced, int removed, Duration quiet, String reason) {
  /** One line, the same wherever it is shown. */
  public String describe() {
    return "a change of the routes file is held until " + until + " (added=" + added + " replaced=" + replaced
        + " removed=" + removed + "): it is applied once the routes files have been quiet for "
        + quiet.toMillis() / 1000.0 + " s, as " + reason;
  }

  /**
   * Where a running daemon tells {@code route-agent status} what it holds: beside its lock file
   * ({@code NAMESPACE.lock} → {@code NAMESPACE.held}), in its runtime directory, present only while a
   * change is held.
   */
  public static Path besideLock(Path lockFile) {
    return LockSideFile.besideLock(lockFile, "held");
  }

  /** Writes it (a rename over the last, so a reader never sees half), or removes it for null. */
  public static void write(Path file, HeldChange held) throws IOException {
    LockSideFile.replace(file, held == null ? null
        : "until=" + held.until + "\nadded=" + held.added + "\nreplaced=" + held.replaced + "\nremoved="
            + held.removed + "\nquiet-ms=" + held.quiet.toMillis() + "\nreason=" + held.reason.replace('\n', ' ') + "\n");
  }

  /**
   * What the file says, or empty when there is none or it cannot be understood ({@link
   * LockSideFile#read}: no link, a regular file, 4 KiB).
   */
  public static Optional<HeldChange> read(Path file) {
    return LockSideFile.read(file).flatMap(HeldChange::parse);
  }

  private static Optional<HeldChange> parse(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String line : text.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        fields.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    if (!fields.keySet().containsAll(List.of("until", "added", "replaced", "removed", "quiet-ms"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(new HeldChange(Instant.parse(fields.get("until")),
          Integer.parseInt(fields.get("added")), Integer.parseInt(fields.get("replaced")),
          Integer.parseInt(fields.get("removed")), Duration.ofMillis(Long.parseLong(fields.get("quiet-ms"))),
          fields.getOrDefault("reason", "").replaceAll("\\p{Cntrl}", "?")));
    } catch (NumberFormatException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** For status --json and /status.json. */
  public String json() {
    return "{\"until\":" + Json.string(until.toString()) + ",\"added\":" + added + ",\"replaced\":" + replaced
        + ",\"removed\":" + removed + ",\"quiet_seconds\":" + quiet.toMillis() / 1000.0 + ",\"reason\":"
        + Json.string(reason) + "}";
  }
}
