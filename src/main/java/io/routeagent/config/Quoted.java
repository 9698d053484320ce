package io.routeagent.config;

/**
 * A token of the user's file as a message shows it: in double quotes, and cut after {@link #MAX}
 * characters. A message names what is wrong and never echoes more of the file than that: the file
 * is written by a user without privileges, and the daemon's messages reach logs others read.
 */
public final class Quoted {
  private Quoted() {}

  /** The longest token shown whole: longer than any address, name or number that is valid. */
  static final int MAX = 64;

  public static String of(String token) {
    return token.length() <= MAX ? "\"" + token + "\"" : "\"" + cut(token) + "\" (" + token.length() + " characters)";
  }

  /** The token as it is, or its first {@link #MAX} characters and "…": for a token shown unquoted. */
  public static String cut(String token) {
    if (token.length() <= MAX) {
      return token;
    }
    int end = Character.isHighSurrogate(token.charAt(MAX - 1)) ? MAX - 1 : MAX;
    return token.substring(0, end) + "…";
  }
}
