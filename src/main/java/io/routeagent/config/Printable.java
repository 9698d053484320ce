package io.routeagent.config;

/**
 * Text from a user's file or file name as logs and terminals may show it: every character that
 * could start a line of its own (a forged log entry, a journald priority prefix), drive a terminal
 * (escape sequences) or reorder what is shown (bidirectional overrides) is made visible as an
 * escape: {@code \n}, {@code \r}, {@code \t}, a backslash, x and two hex digits (other C0 controls, DEL,
 * C1 controls), a backslash, u and four hex digits (U+2028, U+2029, U+202A–U+202E, U+2066–U+2069).
 *
 * <p>Any other text, a backslash included, is returned as it is (the same string): ordinary
 * messages are unchanged, and text escaped once has nothing left to escape, so that escaping it
 * again, at a sink, changes nothing.
 */
public final class Printable {
  private Printable() {}

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** {@code text} with every character {@link #needsEscape} shown as an escape. */
  public static String escape(String text) {
    int i = 0;
    int length = text.length();
    while (i < length && !needsEscape(text.charAt(i))) {
      i++;
    }
    if (i == length) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(length + 16).append(text, 0, i);
    for (; i < length; i++) {
      char c = text.charAt(i);
      if (!needsEscape(c)) {
        escaped.append(c);
      } else if (c == '\n') {
        escaped.append("\\n");
      } else if (c == '\r') {
        escaped.append("\\r");
      } else if (c == '\t') {
        escaped.append("\\t");
      } else if (c <= 0xff) {
        escaped.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      } else {
        escaped.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
            .append(HEX[c & 0xf]);
      }
    }
    return escaped.toString();
  }

  /**
   * C0 controls (newline, carriage return, tab and escape among them), DEL, C1 controls, the line
   * and paragraph separators, and the bidirectional embeddings, overrides and isolates.
   */
  public static boolean needsEscape(char c) {
    return c < 0x20
        || c >= 0x7f && (c <= 0x9f || c >= 0x2028 && (c <= 0x202e || c >= 0x2066 && c <= 0x2069));
  }
}
