package io.routeagent.config;

/**
 * A token of the user's file as a message shows it: in double quotes, cut after {@link #MAX}
 * characters, its control characters shown as escapes ({@link Printable}). A message names what is
 * wrong and never echoes more of the file than that, nor a character that could start a line of its
 * own or drive a terminal: the file is written by a user without privileges, and the daemon's
 * messages reach logs and terminals others read.
 */
public final class Quoted {
  private Quoted() {}

  /** The longest token shown whole: longer than any address, name or number that is valid. */
  static final int MAX = 64;

  public static String of(String token) {
    return token.length() <= MAX
        ? "\"" + Printable.escape(token) + "\""
        : "\"" + cut(token) + "\" (" + token.length() + " characters)";
  }

  /**
   * The token as it is, or its first {@link #MAX} characters and "…", control characters shown as
   * escapes: for a token shown unquoted. The cut is made before escaping: the count is of the
   * user's characters, and no escape is cut in two.
   */
  public static String cut(String token) {
    if (token.length() <= MAX) {
      return Printable.escape(token);
    }
    int end = Character.isHighSurrogate(token.charAt(MAX - 1)) ? MAX - 1 : MAX;
    return Printable.escape(token.substring(0, end)) + "…";
  }
}
