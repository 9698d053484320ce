package io.routeagent.config;

import java.util.List;

/** "Did you mean" for a misspelled key or word. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * A hint naming the valid words, led by the closest one when {@code word} looks like a typo of it
   * (see {@link #closest}).
   */
  static String hint(String word, List<String> valid, String validIntro) {
    String list = validIntro + ": " + String.join(", ", valid) + ".";
    return closest(word, valid).map(c -> "Did you mean " + Quoted.of(c) + "? " + list).orElse(list);
  }

  /**
   * The valid word {@code word} looks like a typo of: at most two edits away (a swap of neighbours
   * counting as one), and fewer than its length; the first of the closest.
   */
  public static java.util.Optional<String> closest(String word, java.util.Collection<String> valid) {
    String closest = null;
    int best = 3;
    for (String candidate : valid) {
      int d = distance(word, candidate);
      if (d < best && d < candidate.length()) {
        best = d;
        closest = candidate;
      }
    }
    return java.util.Optional.ofNullable(closest);
  }

  /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
