package io.routeagent.daemon;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.routeagent.kernel.AppendFile;
import io.routeagent.kernel.FileAccessException;
import io.routeagent.kernel.FileStatus;
import io.routeagent.kernel.UserDirectory;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * A size-capped, rotated copy of the log in logs/ beside the routes file: users without root
 * cannot read the journal, but can read this from Jupyter. 1 MiB, and two older files.
 *
 * <p>logs/ sits in a directory that the notebook user owns, so the copy is written as a
 * privileged writer must: logs/ must be a real directory (not a link) owned by the agent's own
 * user, the file is opened relative to that directory's descriptor with O_NOFOLLOW, and rotation
 * renames within it. Anything else is said once in the journal, and the log goes there alone; a
 * copy that fails later is said once too, and tried again a minute later.
 */
public final class FileLog extends AppenderBase<ILoggingEvent> {
  static final long MAX_SIZE = 1 << 20;
  static final long RETRY_MILLIS = 60_000;
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(FileLog.class);

  private final Path file;
  private final String name;
  private final LayoutWrappingEncoder<ILoggingEvent> encoder;
  private UserDirectory directory;
  private AppendFile out;
  /** When the copy last failed (an event's time), or -1 while it works. */
  private long failedAt = -1;

  private FileLog(Path file, LayoutWrappingEncoder<ILoggingEvent> encoder) {
    this.file = file;
    this.name = file.getFileName().toString();
    this.encoder = encoder;
  }

  /**
   * Starts copying the log to {@code file}. When that cannot be done safely, says why once (a
   * warning in the journal) and copies nothing until it can: the copy is tried again a minute
   * later, at the next line logged.
   *
   * @param makeDirectory make the file's directory (mode 0755) if it is missing
   */
  public static void attach(Path file, boolean makeDirectory) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    JournalLayout layout = new JournalLayout();
    layout.setJournal(false);
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setLayout(layout);
    encoder.setContext(context);
    encoder.start();
    FileLog appender = new FileLog(file.toAbsolutePath(), encoder);
    appender.setContext(context);
    appender.setName("file");
    appender.open(makeDirectory).ifPresent(appender::failed);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
  }

  /** Turns on debug lines, for --debug. */
  public static void debug() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.DEBUG);
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (out == null) {
      if (event.getTimeStamp() - failedAt < RETRY_MILLIS) {
        return;
      }
      Optional<String> problem = open(false);
      if (problem.isPresent()) {
        failedAt = event.getTimeStamp();
        return;
      }
      LOG.info("log copy resumed file={}", file);
    }
    try {
      out.write(encoder.encode(event));
      if (out.size() >= MAX_SIZE) {
        rotate();
      }
    } catch (FileAccessException e) {
      closeFiles();
      failedAt = event.getTimeStamp();
      // AppenderBase's guard keeps this line out of this appender: it goes to the journal.
      LOG.warn("log copy stopped file={} reason=\"{}\"; retried in a minute", file, e.reason());
    }
  }

  @Override
  public void stop() {
    super.stop();
    closeFiles();
  }

  /** Opens the file safely, or says why not. */
  private Optional<String> open(boolean makeDirectory) {
    Path parent = file.getParent();
    if (parent.getParent() == null) {
      return Optional.of(file + ": the log file must be in a directory of its own, not in /");
    }
    try (UserDirectory above = UserDirectory.open(parent.getParent())) {
      String logs = parent.getFileName().toString();
      if (makeDirectory && above.statusOf(logs).isEmpty()) {
        above.createDirectory(logs, 0755);
      }
      UserDirectory opened = above.directory(logs);
      FileStatus status = opened.status();
      int uid = UserDirectory.effectiveUid();
      if (status.uid() != uid) {
        opened.close();
        return Optional.of(
            parent + " belongs to uid " + status.uid() + ", not to the agent's uid " + uid
                + " (install.sh makes it the agent's)");
      }
      directory = opened;
      out = directory.append(name, 0644, name + ".1");
      failedAt = -1;
      return Optional.empty();
    } catch (FileAccessException e) {
      closeFiles();
      return Optional.of(e.getMessage());
    }
  }

  private void failed(String problem) {
    failedAt = System.currentTimeMillis();
    LOG.warn("no log copy: {}; the log goes to the journal only, and the copy is tried again in a"
        + " minute", problem);
  }

  /** route-agent.log → .1 → .2: renames within logs/, then a new file. */
  private void rotate() throws FileAccessException {
    out.close();
    out = null;
    if (directory.statusOf(name + ".1").isPresent()) {
      directory.rename(name + ".1", name + ".2");
    }
    directory.rename(name, name + ".1");
    out = directory.append(name, 0644, name + ".1");
  }

  private void closeFiles() {
    if (out != null) {
      out.close();
      out = null;
    }
    if (directory != null) {
      directory.close();
      directory = null;
    }
  }
}
