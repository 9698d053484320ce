package io.routeagent.migrate;

import java.util.List;

/** Writes entries as a routes file: one-line entries, each under a comment saying where it came from. */
public final class RoutesFileWriter {
  private RoutesFileWriter() {}

  /**
   * The routes file text.
   *
   * @param header the first comment line, saying how the file was made
   * @param routes the route entries; none gives {@code routes: []}
   * @param rules the rule entries; none leaves the {@code rules:} key out
   */
  public static String write(String header, List<Entry> routes, List<Entry> rules) {
    StringBuilder sb = new StringBuilder();
    sb.append(comment(header)).append('\n');
    sb.append("# Check it with `route-agent check`, then see what it would change with `route-agent plan`.\n");
    section(sb, "routes", routes);
    if (!rules.isEmpty()) {
      section(sb, "rules", rules);
    }
    return sb.toString();
  }

  private static void section(StringBuilder sb, String key, List<Entry> entries) {
    boolean none = entries.stream().allMatch(Entry::commentedOut);
    sb.append(key).append(none ? ": []\n" : ":\n");
    for (Entry entry : entries) {
      sb.append("  ").append(comment(entry.origin())).append('\n');
      if (entry.note() != null) {
        sb.append("  ").append(comment("note: " + entry.note())).append('\n');
      }
      sb.append(entry.commentedOut() ? "  # - " : "  - ").append(quote(entry.text())).append('\n');
    }
  }

  /** A YAML comment line; control characters (which YAML forbids) become spaces. */
  private static String comment(String text) {
    return "# " + text.replaceAll("[\\p{Cntrl}&&[^\t]]|[\\x{85}\\x{2028}\\x{2029}]", " ");
  }

  /** A YAML double-quoted scalar. */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
