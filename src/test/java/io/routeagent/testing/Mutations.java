package io.routeagent.testing;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Mutations of valid files for fuzz properties: up to six edits of a seed, each an insertion or a
 * replacement of a piece (YAML syntax, keys, values at and past their ranges, odd characters), a
 * deletion of a short span, or a span written twice.
 */
public final class Mutations {
  private Mutations() {}

  /** Pieces that any YAML file of ours may meet. */
  public static final List<String> YAML_PIECES = List.of(
      "{", "}", "[", "]", ",", ":", "- ", "\n", "\n  ", "  ", "\t", "#", "&a ", "*a", "!!str ",
      "!!binary ", "<<: ", "? ", "|", ">", "'", "\"", "\\", "---\n", "...\n", "%YAML 1.2\n",
      "4294967295", "4294967296", "-1", "0x", "1e9", "999999999999999999999", "x".repeat(300), "é",
      "\u0000", "\uFEFF", "\uD83D\uDE00", "default", "0.0.0.0/0", "::/0", "169.254.169.254", "/33",
      "/129", "main", "100-199", "200-100", "subnet-router");

  /** Mutations of the seeds, with the pieces given (usually {@link #YAML_PIECES} and the file's keys). */
  public static Arbitrary<String> of(List<String> seeds, List<String> pieces) {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 1000);
    Arbitrary<String> piece = Arbitraries.of(pieces);
    Arbitrary<Integer> operation = Arbitraries.integers().between(0, 3);
    return Combinators.combine(Arbitraries.of(seeds), position.list().ofSize(6), piece.list().ofSize(6),
            operation.list().ofSize(6), Arbitraries.integers().between(1, 6))
        .as((text, positions, chosen, operations, n) -> {
          StringBuilder s = new StringBuilder(text);
          for (int i = 0; i < n; i++) {
            int at = s.length() == 0 ? 0 : positions.get(i) % s.length();
            switch (operations.get(i)) {
              case 0 -> s.insert(at, chosen.get(i));
              case 1 -> s.delete(at, Math.min(s.length(), at + 1 + positions.get(i) % 12));
              case 2 -> s.replace(at, Math.min(s.length(), at + 1), chosen.get(i));
              default -> s.insert(at, s.substring(at, Math.min(s.length(), at + 1 + positions.get(i) % 40)));
            }
          }
          return s.toString();
        });
  }

  /** {@code pieces} and {@code more} in one list. */
  public static List<String> with(List<String> pieces, String... more) {
    List<String> all = new java.util.ArrayList<>(pieces);
    all.addAll(List.of(more));
    return List.copyOf(all);
  }
}
