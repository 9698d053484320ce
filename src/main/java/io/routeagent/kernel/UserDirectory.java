package io.routeagent.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jnr.constants.platform.OpenFlags;

/**
 * A directory whose files a person without privileges may control, opened the way a privileged
 * reader must: the routes directory of a notebook belongs to ec2-user while the agent reads it
 * with CAP_NET_ADMIN. Modelled on sudoedit and systemd's chase():
 *
 * <ul>
 *   <li>The path is walked one component at a time with {@code openat(O_NOFOLLOW)}: a symbolic
 *       link is followed only where only root could have put it (a root-owned link in a root-owned
 *       directory that no one else may write, such as a link under /etc); any other is refused.
 *   <li>A file is opened with {@code O_NOFOLLOW | O_NONBLOCK} relative to this directory's
 *       descriptor, then the descriptor is checked ({@code fstat}: a regular file, its size under
 *       the cap) before a byte is read. Nothing is checked by name and then opened again: the
 *       directory's owner could swap in a link or a FIFO between the two.
 * </ul>
 *
 * <p>{@code fstat} and the directory listing go through {@code /proc/self/fd/N}, which names the
 * open file itself (the C library's {@code struct stat} differs between architectures, and glibc
 * before 2.33 exports no {@code fstat} symbol).
 */
public final class UserDirectory implements AutoCloseable {
  private static final int O_RDONLY = OpenFlags.O_RDONLY.intValue();
  private static final int O_WRONLY = OpenFlags.O_WRONLY.intValue();
  private static final int O_APPEND = OpenFlags.O_APPEND.intValue();
  private static final int O_CREAT = OpenFlags.O_CREAT.intValue();
  private static final int O_EXCL = OpenFlags.O_EXCL.intValue();
  private static final int O_DIRECTORY = OpenFlags.O_DIRECTORY.intValue();
  private static final int O_NOFOLLOW = OpenFlags.O_NOFOLLOW.intValue();
  private static final int O_NONBLOCK = OpenFlags.O_NONBLOCK.intValue();
  private static final int O_NOCTTY = OpenFlags.O_NOCTTY.intValue();
  private static final int O_CLOEXEC = OpenFlags.O_CLOEXEC.intValue();
  private static final int DIRECTORY_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  private static final int FILE_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;

  /** Linux's MAXSYMLINKS: links followed on one path before ELOOP. */
  private static final int MAX_LINKS = 40;


  private final LibC libc = NativeLibC.libc();
  private final int fd;
  private final Path path;
  private boolean closed;

  private UserDirectory(int fd, Path path) {
    this.fd = fd;
    this.path = path;
  }

  /**
   * Opens {@code directory}, following no symbolic link that a user other than root could have
   * made or replaced on the way.
   *
   * @throws FileAccessException naming the component that is missing, not a directory, or a link
   *     that is not followed
   */
  public static UserDirectory open(Path directory) throws FileAccessException {
    LibC libc = NativeLibC.libc();
    Path requested = directory.toAbsolutePath().normalize();
    Deque<String> rest = components(requested);
    Path at = requested.getRoot();
    int current = openRoot(libc, requested);
    int links = 0;
    try {
      while (!rest.isEmpty()) {
        String name = rest.removeFirst();
        int next = libc.openat(current, name, DIRECTORY_FLAGS, 0);
        if (next >= 0) {
          libc.close(current);
          current = next;
          at = at.resolve(name);
          continue;
        }
        Errno errno = NativeLibC.lastErrno();
        Path here = at.resolve(name);
        if (!errno.equals(Errno.ELOOP) && !errno.equals(Errno.ENOTDIR)) {
          throw openFailure(here, errno, "it cannot be opened");
        }
        FileStatus link = lstatAt(current, name, here);
        if (!link.isSymbolicLink()) {
          throw new FileAccessException(here, "it is " + link.kind() + ", not a directory");
        }
        if (!onlyRootCouldMake(fstat(current, at), link)) {
          throw new FileAccessException(
              here,
              "it is a symbolic link where a user other than root can change it, and the agent"
                  + " follows no such link: name the real directory instead");
        }
        if (++links > MAX_LINKS) {
          throw new FileAccessException(here, "it has too many levels of symbolic links");
        }
        Path target = at.resolve(readLink(current, name, here)).normalize();
        List<String> spliced = new ArrayList<>(components(target));
        spliced.addAll(rest);
        rest = new ArrayDeque<>(spliced);
        libc.close(current);
        current = -1;
        current = openRoot(libc, target);
        at = target.getRoot();
      }
      UserDirectory opened = new UserDirectory(current, at);
      current = -1;
      return opened;
    } finally {
      if (current >= 0) {
        libc.close(current);
      }
    }
  }

  /** The directory's real path: the one given, with the links followed resolved. */
  public Path path() {
    return path;
  }

  /** The directory's own status, from its descriptor. */
  public FileStatus status() throws FileAccessException {
    return fstat(fd, path);
  }

  /** The status of {@code name} in this directory without following it, or empty if absent. */
  public Optional<FileStatus> statusOf(String name) throws FileAccessException {
    try {
      return Optional.of(lstatAt(fd, name, path.resolve(name)));
    } catch (FileAccessException e) {
      if (e.kind() == FileAccessException.Kind.MISSING) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The names of the entries in this directory, in no particular order. */
  public List<String> names() throws FileAccessException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(procPath(fd))) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    } catch (IOException e) {
      throw new FileAccessException(path, "it cannot be listed: " + FileAccessException.describe(e), e);
    }
    return names;
  }

  /** Opens the subdirectory {@code name}, which must be a directory and not a link. */
  public UserDirectory directory(String name) throws FileAccessException {
    Path here = path.resolve(name);
    int child = libc.openat(fd, name, DIRECTORY_FLAGS, 0);
    if (child < 0) {
      Errno errno = NativeLibC.lastErrno();
      if (!errno.equals(Errno.ELOOP) && !errno.equals(Errno.ENOTDIR)) {
        throw openFailure(here, errno, "it cannot be opened");
      }
      FileStatus status = lstatAt(fd, name, here);
      throw status.isSymbolicLink()
          ? openFailure(here, Errno.ELOOP, "")
          : new FileAccessException(here, "it is " + status.kind() + ", not a directory");
    }
    return new UserDirectory(child, here);
  }

  /**
   * Reads the regular file {@code name} of at most {@code cap} bytes. A link, a FIFO, a device, a
   * socket or a directory is refused without blocking; so is a file over the cap, by its size
   * before reading and by what was read if it grew meanwhile.
   */
  public FileContent read(String name, int cap) throws FileAccessException {
    Path here = path.resolve(name);
    int file = libc.openat(fd, name, FILE_FLAGS, 0);
    if (file < 0) {
      throw openFailure(here, NativeLibC.lastErrno(), "it cannot be opened");
    }
    try {
      FileStatus status = fstat(file, here);
      if (!status.isRegularFile()) {
        throw new FileAccessException(here, "it is " + status.kind() + ", not a regular file; the agent reads regular files only");
      }
      if (status.size() > cap) {
        throw overCap(here, status.size(), cap);
      }
      byte[] bytes = readAtMost(file, here, cap + 1);
      if (bytes.length > cap) {
        throw overCap(here, bytes.length, cap);
      }
      return new FileContent(bytes, status);
    } finally {
      libc.close(file);
    }
  }

  /**
   * Opens {@code name} for appending, creating it with {@code mode} if missing, never through a
   * link. A file there that this process may not write (left by another uid: the agent's uid
   * differs between images) is moved aside to {@code asideName} and a new one created.
   */
  public AppendFile append(String name, int mode, String asideName) throws FileAccessException {
    Path here = path.resolve(name);
    int flags = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    int file = libc.openat(fd, name, flags, mode);
    if (file < 0 && NativeLibC.lastErrno().equals(Errno.EACCES)) {
      rename(name, asideName);
      file = libc.openat(fd, name, flags | O_EXCL, mode);
    }
    if (file < 0) {
      Errno errno = NativeLibC.lastErrno();
      throw openFailure(here, errno, errno.equals(Errno.EEXIST) ? "it appeared while being created" : "it cannot be opened");
    }
    try {
      FileStatus status = fstat(file, here);
      if (!status.isRegularFile()) {
        throw new FileAccessException(here, "it is " + status.kind() + ", not a regular file; the agent reads regular files only");
      }
      return new AppendFile(libc, file, here, status.size());
    } catch (FileAccessException e) {
      libc.close(file);
      throw e;
    }
  }

  /**
   * Creates the subdirectory {@code name} with {@code mode} (less the umask).
   *
   * @throws FileAccessException if it cannot be created, existing already included
   */
  public void createDirectory(String name, int mode) throws FileAccessException {
    if (libc.mkdirat(fd, name, mode) < 0) {
      throw openFailure(path.resolve(name), NativeLibC.lastErrno(), "it cannot be created");
    }
  }

  /** The effective uid of this process: who owns what it creates. */
  public static int effectiveUid() {
    return NativeLibC.libc().geteuid();
  }

  /** Renames {@code from} to {@code to} within this directory (replacing {@code to}). */
  public void rename(String from, String to) throws FileAccessException {
    if (libc.renameat(fd, from, fd, to) < 0) {
      Errno errno = NativeLibC.lastErrno();
      throw new FileAccessException(
          path.resolve(from), "it cannot be renamed to " + to + ": " + errno.name() + " " + errno.description());
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      libc.close(fd);
    }
  }

  private byte[] readAtMost(int file, Path here, int limit) throws FileAccessException {
    ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
    byte[] bytes = new byte[Math.min(limit, 64 * 1024)];
    int length = 0;
    while (length < limit) {
      long got = libc.read(file, chunk, Math.min(chunk.capacity(), limit - length));
      if (got < 0) {
        Errno errno = NativeLibC.lastErrno();
        if (ErrnoPolicy.retry(errno)) {
          continue;
        }
        throw new FileAccessException(here, "it cannot be read: " + errno.name() + " " + errno.description());
      }
      if (got == 0) {
        break;
      }
      if (length + got > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(bytes.length * 2L, length + got)));
      }
      chunk.get(0, bytes, length, (int) got);
      length += (int) got;
    }
    return length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
  }

  private static FileAccessException overCap(Path here, long size, int cap) {
    return new FileAccessException(
        FileAccessException.Kind.TOO_LARGE,
        here,
        "it is larger than the limit of " + FileContent.describeSize(cap) + " (" + size + " bytes)",
        null);
  }

  private static int openRoot(LibC libc, Path requested) throws FileAccessException {
    int root = libc.open(requested.getRoot().toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (root < 0) {
      throw openFailure(requested.getRoot(), NativeLibC.lastErrno(), "it cannot be opened");
    }
    return root;
  }

  /** A link that only root could have made: root's own, in a directory only root may write. */
  private static boolean onlyRootCouldMake(FileStatus directory, FileStatus link) {
    return directory.uid() == 0 && !directory.writableByOthers() && link.uid() == 0;
  }

  private static Deque<String> components(Path absolute) {
    Deque<String> names = new ArrayDeque<>();
    for (Path name : absolute) {
      names.addLast(name.toString());
    }
    return names;
  }

  private static FileAccessException openFailure(Path here, Errno errno, String otherwise) {
    if (errno.equals(Errno.ENOENT)) {
      return new FileAccessException(FileAccessException.Kind.MISSING, here, "it does not exist", null);
    }
    if (errno.equals(Errno.ELOOP)) {
      return new FileAccessException(
          here, "it is a symbolic link, and the agent follows no link here: put the file itself here");
    }
    if (errno.equals(Errno.EACCES)) {
      return new FileAccessException(here, "permission denied (it cannot be opened)");
    }
    if (errno.equals(Errno.ENOTDIR)) {
      return new FileAccessException(here, otherwise);
    }
    return new FileAccessException(here, otherwise + ": " + errno.name() + " " + errno.description());
  }

  /** The status of an open descriptor: {@code fstat} through /proc/self/fd. */
  private static FileStatus fstat(int descriptor, Path shownAs) throws FileAccessException {
    try {
      return FileStatus.of(Files.readAttributes(procPath(descriptor), "unix:mode,uid,size"));
    } catch (IOException e) {
      throw new FileAccessException(
          shownAs, "its status cannot be read through /proc/self/fd: " + FileAccessException.describe(e) + " (is /proc mounted?)", e);
    }
  }

  /** The status of {@code name} in the directory {@code directoryFd}, not following a link. */
  private static FileStatus lstatAt(int directoryFd, String name, Path shownAs) throws FileAccessException {
    try {
      Map<String, Object> attributes =
          Files.readAttributes(procPath(directoryFd).resolve(name), "unix:mode,uid,size", LinkOption.NOFOLLOW_LINKS);
      return FileStatus.of(attributes);
    } catch (NoSuchFileException e) {
      throw new FileAccessException(FileAccessException.Kind.MISSING, shownAs, "it does not exist", e);
    } catch (IOException e) {
      throw new FileAccessException(shownAs, "its status cannot be read: " + FileAccessException.describe(e), e);
    }
  }

  private static Path readLink(int directoryFd, String name, Path shownAs) throws FileAccessException {
    try {
      return Files.readSymbolicLink(procPath(directoryFd).resolve(name));
    } catch (IOException e) {
      throw new FileAccessException(shownAs, "the link cannot be read: " + FileAccessException.describe(e), e);
    }
  }

  private static Path procPath(int descriptor) {
    return Path.of("/proc/self/fd/" + descriptor);
  }
}
