package io.routeagent.daemon;

import io.routeagent.kernel.FileAccessException;
import io.routeagent.kernel.UserDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a daemon holds this network namespace's lock, and what it says about itself: for
 * {@code apply} and {@code plan}, which must not fight a running daemon over the table.
 *
 * <p>Asked without touching the lock: the kernel's table of locks (/proc/locks) names the file's
 * holder by device and inode, so a daemon that starts meanwhile never finds its lock taken by the
 * question. Where /proc/locks cannot be read (no /proc), no daemon is reported: the commands then
 * behave as they did before they asked.
 *
 * <p>The file is written by a daemon that may be of another version, and the directory may be
 * any the user named: it is read through {@link UserDirectory} (no link followed, a regular file
 * only, without blocking on a FIFO, at most 4 KiB), and each line is taken only when it is what it
 * should be (a pid of digits; an absolute path without control characters). Anything else is
 * "unknown", never an error.
 */
public final class DaemonLock {
  private static final int MAX_READ = 4096;
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final Pattern PID = Pattern.compile("[1-9][0-9]{0,9}");
  /** "1: POSIX  ADVISORY  WRITE 1234 fe:00:2154534 0 EOF"; "-> " marks a waiter, not a holder. */
  private static final Pattern PROC_LOCK =
      Pattern.compile("^\\d+:\\s+(?:POSIX|OFDLCK)\\s+\\S+\\s+WRITE\\s+(-?\\d+)\\s+([0-9a-f]+):([0-9a-f]+):(\\d+)\\s");
  /** {@link #lockingPid}: no lock on the file; held by a process outside our pid namespace. */
  private static final long FREE = -1;
  private static final long HELD = 0;

  private DaemonLock() {}

  /**
   * @param lockFile the lock held
   * @param pid the daemon's process id, when known
   * @param watches the routes file it applies, when it says (older agents do not)
   */
  public record Holder(Path lockFile, OptionalLong pid, Optional<Path> watches) {}

  /** The daemon that holds this namespace's lock in {@code directory}, if one does. */
  public static Optional<Holder> holder(Path directory) {
    Path path = LockFile.path(directory);
    long dev;
    long inode;
    try {
      Map<String, Object> stat = Files.readAttributes(path, "unix:dev,ino,mode", LinkOption.NOFOLLOW_LINKS);
      if ((((Integer) stat.get("mode")) & S_IFMT) != S_IFREG) {
        return Optional.empty();
      }
      dev = (Long) stat.get("dev");
      inode = (Long) stat.get("ino");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException
        | SecurityException e) {
      // None, or nothing we may look at: no daemon to speak of.
      return Optional.empty();
    }
    long locking = lockingPid(dev, inode);
    if (locking == FREE) {
      return Optional.empty();
    }
    byte[] content;
    try (UserDirectory dir = UserDirectory.open(directory)) {
      content = dir.read(path.getFileName().toString(), MAX_READ).bytes();
    } catch (FileAccessException e) {
      content = new byte[0];
    }
    return Optional.of(describe(path, locking, ByteBuffer.wrap(content)));
  }

  /**
   * From /proc/locks: the pid that holds a write lock on the file {@code dev}, {@code inode};
   * {@link #HELD} when that process is outside our pid namespace (shown as 0 or less there);
   * {@link #FREE} when none does, or when /proc/locks cannot be read.
   */
  private static long lockingPid(long dev, long inode) {
    List<String> locks;
    try {
      locks = Files.readAllLines(Path.of("/proc/locks"), StandardCharsets.US_ASCII);
    } catch (IOException | SecurityException e) {
      return FREE;
    }
    // glibc's dev_t: the major in bits 8-19 and 32-43, the minor in bits 0-7 and 20-31.
    long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    for (String line : locks) {
      Matcher m = PROC_LOCK.matcher(line);
      if (m.find()
          && Long.parseLong(m.group(2), 16) == major
          && Long.parseLong(m.group(3), 16) == minor
          && Long.parseLong(m.group(4)) == inode) {
        long pid = Long.parseLong(m.group(1));
        return pid > 0 ? pid : HELD;
      }
    }
    return FREE;
  }

  /**
   * The holder of a lock file, from what the kernel says and what the file says: the kernel's pid
   * when it gave one, else the file's first line if it is a pid; the file's second line if it is
   * an absolute path without control characters. Anything else in the file is ignored.
   *
   * @param lockingPid the pid from /proc/locks, or 0 or less when not known
   */
  static Holder describe(Path lockFile, long lockingPid, ByteBuffer content) {
    List<String> lines;
    try {
      lines = List.of(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(content).toString().split("\n", 3));
    } catch (CharacterCodingException e) {
      lines = List.of();
    }
    OptionalLong pid = lockingPid > 0 ? OptionalLong.of(lockingPid) : pid(lines);
    return new Holder(lockFile, pid, watches(lines));
  }

  private static OptionalLong pid(List<String> lines) {
    return !lines.isEmpty() && PID.matcher(lines.get(0).strip()).matches()
        ? OptionalLong.of(Long.parseLong(lines.get(0).strip()))
        : OptionalLong.empty();
  }

  private static Optional<Path> watches(List<String> lines) {
    if (lines.size() < 2) {
      return Optional.empty();
    }
    String line = lines.get(1);
    // Printed to a terminal: no control characters (C0, DEL, C1) and no bidirectional overrides.
    if (!line.startsWith("/") || line.length() > MAX_READ
        || line.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
            || (c >= 0x2066 && c <= 0x2069))) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(line));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
