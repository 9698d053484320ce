package io.routeagent.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One line per event. Under systemd (stderr is the stream JOURNAL_STREAM names) the line starts with the syslog priority
 * in angle brackets, which journald turns into the entry's priority, so that {@code journalctl -p
 * warning} works; journald adds the time itself. Elsewhere: time, level, message.
 */
public final class JournalLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private boolean journal = stderrIsJournal(System.getenv("JOURNAL_STREAM"));

  /** For a log file: always the terminal form, whatever the environment. */
  public void setJournal(boolean journal) {
    this.journal = journal;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    if (event.getThrowableProxy() != null) {
      message += " (" + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage() + ")";
    }
    if (journal) {
      return "<" + priority(event.getLevel()) + ">" + message + "\n";
    }
    return TIME.format(Instant.ofEpochMilli(event.getTimeStamp())) + " " + String.format("%-5s", event.getLevel()) + " " + message + "\n";
  }

  /**
   * True when stderr is the stream systemd connected to the journal. JOURNAL_STREAM ("DEV:INODE")
   * is inherited by children whose stderr may be a terminal or a file, so it is compared with
   * what fd 2 actually is, as systemd.exec(5) recommends.
   */
  static boolean stderrIsJournal(String journalStream) {
    if (journalStream == null) {
      return false;
    }
    try {
      Path stderr = Path.of("/proc/self/fd/2");
      return matches(journalStream,
          (Long) Files.getAttribute(stderr, "unix:dev"), (Long) Files.getAttribute(stderr, "unix:ino"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  static boolean matches(String journalStream, long device, long inode) {
    return journalStream.equals(Long.toUnsignedString(device) + ":" + Long.toUnsignedString(inode));
  }

  /** syslog(3) priorities: 3 err, 4 warning, 6 info, 7 debug. */
  static int priority(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> 3;
      case Level.WARN_INT -> 4;
      case Level.INFO_INT -> 6;
      default -> 7;
    };
  }
}
