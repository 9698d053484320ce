package io.routeagent.kernel;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Optional;

/**
 * An errno value with its symbolic name ("EEXIST") and the C library's description. The errnos
 * the agent acts on are constants, each quoting the Linux header it mirrors ({@code
 * asm-generic/errno-base.h}, {@code asm-generic/errno.h}: x86, arm and the other architectures
 * that use the generic numbers); {@link ErrnoPolicy} says what each one means. The names and
 * descriptions of all the others come from jnr-constants for the running platform.
 */
public record Errno(int value, String name, String description) {

  /** The errnos this system knows, by value: the daemon's loop meets EAGAIN at every wake-up. */
  private static final Errno[] KNOWN = known();

  /** {@code #define EPERM 1}: Operation not permitted. */
  public static final Errno EPERM = of(1);
  /** {@code #define ENOENT 2}: No such file or directory. */
  public static final Errno ENOENT = of(2);
  /** {@code #define ESRCH 3}: No such process. */
  public static final Errno ESRCH = of(3);
  /** {@code #define EINTR 4}: Interrupted system call. */
  public static final Errno EINTR = of(4);
  /** {@code #define EAGAIN 11}: Try again ({@code #define EWOULDBLOCK EAGAIN}). */
  public static final Errno EAGAIN = of(11);
  /** {@code #define EACCES 13}: Permission denied. */
  public static final Errno EACCES = of(13);
  /** {@code #define EEXIST 17}: File exists. */
  public static final Errno EEXIST = of(17);
  /** {@code #define ENODEV 19}: No such device. */
  public static final Errno ENODEV = of(19);
  /** {@code #define ENOTDIR 20}: Not a directory. */
  public static final Errno ENOTDIR = of(20);
  /** {@code #define ELOOP 40}: Too many symbolic links encountered. */
  public static final Errno ELOOP = of(40);
  /** {@code #define EPROTONOSUPPORT 93}: Protocol not supported. */
  public static final Errno EPROTONOSUPPORT = of(93);
  /** {@code #define EAFNOSUPPORT 97}: Address family not supported by protocol. */
  public static final Errno EAFNOSUPPORT = of(97);
  /** {@code #define ENETDOWN 100}: Network is down. */
  public static final Errno ENETDOWN = of(100);
  /** {@code #define ENETUNREACH 101}: Network is unreachable. */
  public static final Errno ENETUNREACH = of(101);
  /** {@code #define ENOBUFS 105}: No buffer space available. */
  public static final Errno ENOBUFS = of(105);

  public static Errno of(int value) {
    if (value >= 0 && value < KNOWN.length && KNOWN[value] != null) {
      return KNOWN[value];
    }
    return new Errno(value, "errno " + value, "unknown error " + value);
  }

  /**
   * The errno behind a failure that java.nio reported, when it tells. Java turns a few errnos into
   * exceptions of their own, without the C library's words; the others carry strerror's text, which
   * the descriptions here are (jnr-constants' table for Linux is glibc's).
   */
  public static Optional<Errno> of(IOException e) {
    if (e instanceof NoSuchFileException) {
      return Optional.of(ENOENT);
    }
    if (e instanceof AccessDeniedException) {
      return Optional.of(EACCES);
    }
    if (e instanceof FileAlreadyExistsException) {
      return Optional.of(EEXIST);
    }
    if (e instanceof NotDirectoryException) {
      return Optional.of(ENOTDIR);
    }
    String text = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    for (Errno errno : KNOWN) {
      if (errno != null && errno.description.equals(text)) {
        return Optional.of(errno);
      }
    }
    return Optional.empty();
  }

  private static Errno[] known() {
    Errno[] known = new Errno[256];
    for (int value = 0; value < known.length; value++) {
      jnr.constants.platform.Errno constant = jnr.constants.platform.Errno.valueOf(value);
      if (constant != null && constant != jnr.constants.platform.Errno.__UNKNOWN_CONSTANT__) {
        known[value] = new Errno(value, constant.name(), constant.description());
      }
    }
    return known;
  }

  /**
   * A record's own equals and hashCode, written out: the generated ones bootstrap through
   * ObjectMethods at their first call, which spins method handle classes that the AOT cache does
   * not hold, on the thread that opens the routes file (UserDirectory compares errnos).
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof Errno e && e.value == value && e.name.equals(name) && e.description.equals(description);
  }

  @Override
  public int hashCode() {
    return (31 * Integer.hashCode(value) + name.hashCode()) * 31 + description.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
