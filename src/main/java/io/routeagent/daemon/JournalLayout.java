package io.routeagent.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One line per event. Under systemd (JOURNAL_STREAM set) the line starts with the syslog priority
 * in angle brackets, which journald turns into the entry's priority, so that {@code journalctl -p
 * warning} works; journald adds the time itself. Elsewhere: time, level, message.
 */
public final class JournalLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private boolean journal = System.getenv("JOURNAL_STREAM") != null;

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
