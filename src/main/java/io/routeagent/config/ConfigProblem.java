package io.routeagent.config;

import java.util.Objects;

/**
 * One thing wrong with a routes file, worded for the operator who has to fix it.
 *
 * @param file the file concerned
 * @param location where in the file, or null when the problem concerns the whole file (it is
 *     missing, unreadable, empty)
 * @param message what is wrong, without a final period
 * @param hint what to do about it, or null
 */
public record ConfigProblem(String file, Location location, String message, String hint) {
  public ConfigProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
    if (location != null && !location.file().equals(file)) {
      throw new IllegalArgumentException("location " + location + " is not in file " + file);
    }
  }

  /** A problem at a place in a file. */
  public ConfigProblem(Location location, String message, String hint) {
    this(location.file(), location, message, hint);
  }

  /** A problem with the file as a whole. */
  public static ConfigProblem ofFile(String file, String message, String hint) {
    return new ConfigProblem(file, null, message, hint);
  }

  /** "FILE:LINE:COL: message. hint", or "FILE: message. hint" for a whole-file problem. */
  @Override
  public String toString() {
    String where = location != null ? location.toString() : file;
    if (hint == null) {
      return where + ": " + message;
    }
    boolean ended = message.endsWith("?") || message.endsWith(".");
    return where + ": " + message + (ended ? " " : ". ") + hint;
  }
}
