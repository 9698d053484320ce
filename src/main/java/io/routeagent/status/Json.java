package io.routeagent.status;

import io.routeagent.config.Printable;

/**
 * JSON string literals: the one piece of JSON the status output needs. Besides what JSON requires,
 * every character {@link Printable} escapes in a log (DEL, C1 controls, bidi overrides, line
 * separators) is written as a JSON escape: the same string to a parser, nothing a terminal acts on
 * to a person reading {@code status --json}.
 */
public final class Json {
  private Json() {}

  public static String string(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (Printable.needsEscape(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
