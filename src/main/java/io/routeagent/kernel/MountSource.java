package io.routeagent.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The mount that shows a directory, as /proc/self/mountinfo tells it: where the mount is and which
 * directory of its file system it shows (its root).
 *
 * <p>Why it matters: under the systemd unit the routes directory is a bind mount (BindPaths=), and
 * a bind keeps the directory it was made from, whatever becomes of that directory's name. When a
 * user renames the routes directory, or deletes it, and makes a new one with the same name, the
 * kernel shows that in the mount's root (the new name, or the old one with "//deleted"), while the
 * new directory cannot be seen from the service's mount namespace at all: a bind made when the
 * service starts is the only way to it.
 *
 * @param mountPoint where the mount is, as the process sees it
 * @param root which directory of its file system the mount shows ("/" for a whole file system)
 */
public record MountSource(String mountPoint, String root) {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final String DELETED = "//deleted";

  /** The mount that shows {@code directory} now, from this process's mount table. */
  public static Optional<MountSource> of(Path directory) throws IOException {
    return holding(directory, Files.readString(MOUNTINFO));
  }

  /**
   * The mount that shows {@code directory} in the table {@code mountinfo}: the one with the
   * longest mount point that contains it and, of several at the same place, the last (the one on
   * top).
   */
  static Optional<MountSource> holding(Path directory, String mountinfo) {
    Path wanted = directory.toAbsolutePath().normalize();
    MountSource best = null;
    int bestDepth = -1;
    for (String line : mountinfo.split("\n")) {
      // ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS
      String[] fields = line.split(" ");
      if (fields.length < 5) {
        continue;
      }
      Path mountPoint = Path.of(unescape(fields[4]));
      if (wanted.startsWith(mountPoint) && mountPoint.getNameCount() >= bestDepth) {
        best = new MountSource(mountPoint.toString(), unescape(fields[3]));
        bestDepth = mountPoint.getNameCount();
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether the mount shows one directory of its file system (a bind mount), whose name can change. */
  public boolean bound() {
    return !root.equals("/");
  }

  /** Whether the directory the mount shows has been deleted at its source. */
  public boolean deleted() {
    return root.endsWith(DELETED);
  }

  /** mountinfo writes a space, a tab, a new line and a backslash in a path as an octal escape. */
  private static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder text = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }

  private static boolean isOctal(String field, int from) {
    if (from + 3 > field.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (field.charAt(i) < '0' || field.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
