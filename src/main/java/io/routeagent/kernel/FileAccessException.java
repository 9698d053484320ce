package io.routeagent.kernel;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file or directory that could not be opened or was refused, with the reason in words a user
 * can act on ("it is a FIFO (named pipe), not a regular file"). The message is "PATH: REASON".
 */
public final class FileAccessException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What kind of failure, for callers that word some of them their own way. */
  public enum Kind {
    /** The file, or a directory on its way, does not exist. */
    MISSING,
    /** The file is larger than the cap it was read with. */
    TOO_LARGE,
    /** Anything else: a link, a FIFO, a permission, an I/O error. */
    REFUSED
  }

  private final transient Path path;
  private final String reason;
  private final Kind kind;

  public FileAccessException(Path path, String reason) {
    this(Kind.REFUSED, path, reason, null);
  }

  public FileAccessException(Path path, String reason, Throwable cause) {
    this(Kind.REFUSED, path, reason, cause);
  }

  /**
   * A failure that java.nio reported, worded as the agent's own calls word theirs ("it cannot be
   * written: ENOSPC No space left on device"), never with the exception's class.
   *
   * @param failed what could not be done to {@code path}, such as "it cannot be written"
   */
  public static FileAccessException of(Path path, String failed, IOException e) {
    Kind kind = e instanceof NoSuchFileException ? Kind.MISSING : Kind.REFUSED;
    return new FileAccessException(kind, path, failed + ": " + describe(e), e);
  }

  /**
   * What went wrong in an I/O failure: the errno and its description ("EROFS Read-only file
   * system"), else Java's own words without the exception's class or the path.
   */
  public static String describe(IOException e) {
    return Errno.of(e)
        .map(errno -> errno.name() + " " + errno.description())
        .orElseGet(() -> {
          String text = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
          return text != null ? text : "an I/O error (" + e.getClass().getSimpleName() + ")";
        });
  }

  FileAccessException(Kind kind, Path path, String reason, Throwable cause) {
    super(path + ": " + reason, cause);
    this.kind = kind;
    this.path = path;
    this.reason = reason;
  }

  public Path path() {
    return path;
  }

  /** The reason alone, without the path. */
  public String reason() {
    return reason;
  }

  public Kind kind() {
    return kind;
  }
}
