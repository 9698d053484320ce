package io.routeagent.kernel;

import java.util.Map;

/**
 * What {@code stat(2)} says of a file that matters to a privileged reader: its type, its owner,
 * its permission bits and its size. {@code mode} is {@code st_mode}, type bits included.
 */
public record FileStatus(int mode, int uid, long size) {
  /** {@code #define S_IFMT 00170000} and the types under it, from linux/stat.h. */
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFIFO = 0010000;
  /** {@code #define S_ISVTX 0001000}: in a directory, only an entry's owner may remove it. */
  private static final int S_ISVTX = 01000;
  /** {@code S_IWGRP | S_IWOTH}: writable by someone other than the owner. */
  private static final int WRITABLE_BY_OTHERS = 0022;

  static FileStatus of(Map<String, Object> unixAttributes) {
    return new FileStatus(
        (Integer) unixAttributes.get("mode"),
        (Integer) unixAttributes.get("uid"),
        (Long) unixAttributes.get("size"));
  }

  public boolean isRegularFile() {
    return (mode & S_IFMT) == S_IFREG;
  }

  public boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  public boolean isSymbolicLink() {
    return (mode & S_IFMT) == S_IFLNK;
  }

  /** Group or others may write it. */
  public boolean writableByOthers() {
    return (mode & WRITABLE_BY_OTHERS) != 0;
  }

  /** The sticky bit, as /tmp has it. */
  public boolean isSticky() {
    return (mode & S_ISVTX) != 0;
  }

  /** The permission bits, as {@code chmod} takes them ("0644"). */
  public String permissions() {
    return String.format("%04o", mode & 07777);
  }

  /** The file's type in words, with its article: "a FIFO", "a directory". */
  public String kind() {
    return switch (mode & S_IFMT) {
      case S_IFREG -> "a regular file";
      case S_IFDIR -> "a directory";
      case S_IFLNK -> "a symbolic link";
      case S_IFIFO -> "a FIFO (named pipe)";
      case S_IFSOCK -> "a socket";
      case S_IFCHR -> "a character device";
      case S_IFBLK -> "a block device";
      default -> "a file of unknown type";
    };
  }
}
