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

  /**
   * What sort of problem this is, for a summary of many ("duplicate route", "unknown key"): the
   * message's words before the first one that names a particular value (holds a digit, a quote,
   * a slash or a bracket), or the message with such words masked when it starts with one.
   */
  public String kind() {
    String[] words = message.strip().split("\\s+");
    StringBuilder kind = new StringBuilder();
    for (String word : words) {
      if (isDetail(word)) {
        break;
      }
      boolean last = word.endsWith(":") || word.endsWith(",") || word.endsWith(";");
      kind.append(kind.length() == 0 ? "" : " ").append(last ? word.substring(0, word.length() - 1) : word);
      if (last) {
        break;
      }
    }
    if (kind.length() > 0) {
      return kind.toString();
    }
    StringBuilder masked = new StringBuilder();
    for (int i = 0; i < words.length && i < 6; i++) {
      String word = isDetail(words[i]) ? "..." : words[i];
      if (!(word.equals("...") && masked.toString().endsWith("..."))) {
        masked.append(masked.length() == 0 ? "" : " ").append(word);
      }
    }
    return masked.toString();
  }

  private static boolean isDetail(String word) {
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (Character.isDigit(c) || "\"`/([{<".indexOf(c) >= 0 || (c == '\'' && i == 0)) {
        return true;
      }
    }
    return false;
  }

  /**
   * "FILE:LINE:COL: message. hint", or "FILE: message. hint" for a whole-file problem: one line,
   * whatever the user put in the file or its name (control characters escaped, {@link Printable}).
   */
  @Override
  public String toString() {
    String where = location != null ? location.toString() : file;
    if (hint == null) {
      return Printable.escape(where + ": " + message);
    }
    boolean ended = message.endsWith("?") || message.endsWith(".");
    return Printable.escape(where + ": " + message + (ended ? " " : ". ") + hint);
  }
}
