package io.routeagent.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import io.routeagent.config.Printable;
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
 *
 * <p>One line per event, always: messages carry text from the routes directory, which a user
 * without privileges writes, and journald reads a priority prefix at the start of every line it is
 * given. So the message's control characters (a newline above all), bidirectional overrides and
 * line separators are escaped here, the last line of defence behind the escaping where user text
 * is quoted ({@link Printable}: text escaped there is left as it is). No message has more than
 * one line on purpose: an exception is shown as its class and message, never its stack trace.
 */
public final class JournalLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TO_THE_SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);

  /** A second and its words: the daemon logs a line per repair, most within a second of another. */
  private record Second(long epochSecond, String text) {}

  private volatile Second second = new Second(Long.MIN_VALUE, "");

  private boolean journal = stderrIsJournal(System.getenv("JOURNAL_STREAM"));

  /** For a log file: always the terminal form, whatever the environment. */
  public void setJournal(boolean journal) {
    this.journal = journal;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    String message = Printable.escape(String.valueOf(event.getFormattedMessage()));
    if (event.getThrowableProxy() != null) {
      message += Printable.escape(
          " (" + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage() + ")");
    }
    if (journal) {
      return "<" + priority(event.getLevel()) + ">" + message + "\n";
    }
    StringBuilder line = new StringBuilder(40 + message.length());
    appendTime(line, event.getTimeStamp());
    return line.append(' ').append(paddedLevel(event.getLevel())).append(' ').append(message).append('\n').toString();
  }

  /** 2026-11-24T22:48:10.457Z: the second formatted once, the milliseconds appended. */
  private void appendTime(StringBuilder line, long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    Second cached = second; // the appender may lay out lines on several threads at once
    if (cached.epochSecond() != epochSecond) {
      cached = new Second(epochSecond, TO_THE_SECOND.format(Instant.ofEpochSecond(epochSecond)));
      second = cached;
    }
    int millis = Math.floorMod(epochMillis, 1000);
    line.append(cached.text()).append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
        .append((char) ('0' + millis % 10)).append('Z');
  }

  /** The level in five columns, as {@code %-5s} would have it. */
  static String paddedLevel(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> "ERROR";
      case Level.WARN_INT -> "WARN ";
      case Level.INFO_INT -> "INFO ";
      case Level.DEBUG_INT -> "DEBUG";
      default -> "TRACE";
    };
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
