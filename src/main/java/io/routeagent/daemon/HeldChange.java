package io.routeagent.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
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
   * Where a running daemon tells {@code route-agent status} what it holds: a file beside its lock,
   * in the runtime directory (the daemon's: no one else writes there), present only while a change
   * is held.
   */
  public static Path file(Path lockDirectory, String namespace) {
    return lockDirectory.resolve(namespace + ".held");
  }

  /** Writes it (a rename over the last, so a reader never sees half), or removes it for null. */
  static void write(Path file, HeldChange held) throws IOException {
    if (held == null) {
      Files.deleteIfExists(file);
      return;
    }
    String text = "until=" + held.until + "\nadded=" + held.added + "\nreplaced=" + held.replaced + "\nremoved="
        + held.removed + "\nquiet-ms=" + held.quiet.toMillis() + "\nreason=" + held.reason.replace('\n', ' ') + "\n";
    Path temporary = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** What the file says, or empty when there is none or it cannot be understood. */
  public static Optional<HeldChange> read(Path file) {
    String text;
    try {
      if (Files.size(file) > 4096) {
        return Optional.empty();
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    for (String line : text.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        fields.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    try {
      return Optional.of(new HeldChange(Instant.parse(fields.get("until")),
          Integer.parseInt(fields.get("added")), Integer.parseInt(fields.get("replaced")),
          Integer.parseInt(fields.get("removed")), Duration.ofMillis(Long.parseLong(fields.get("quiet-ms"))),
          fields.getOrDefault("reason", "")));
    } catch (NullPointerException | NumberFormatException | DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
