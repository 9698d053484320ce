package io.routeagent.cli;

import io.routeagent.config.ConfigException;
import io.routeagent.config.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The problems of an invalid routes file as check, plan and apply print them: the first {@link
 * #SHOWN} in file order, then one line that counts the rest by kind ("and 34980 more (same kind:
 * duplicate route)"), since a file that broken is fixed from the top; {@code check --all} prints
 * every one.
 */
final class ProblemReport {
  static final int SHOWN = 20;
  /** The kinds named in the summary line; the rest are "...". */
  private static final int KINDS = 3;

  private ProblemReport() {}

  static List<String> lines(ConfigException e, boolean all) {
    int shown = all ? e.problems().size() : Math.min(SHOWN, e.problems().size());
    List<String> lines = new ArrayList<>(shown + 1);
    e.problems().subList(0, shown).forEach(p -> lines.add(p.toString()));
    int rest = e.problems().size() - shown + e.omitted();
    if (rest > 0) {
      // The kinds are words of the messages, which may hold the user's text.
      lines.add(Printable.escape("and " + rest + " more (" + kinds(e.kindsAfter(shown), rest) + ")"
          + (all ? "" : "; route-agent check --all lists every one")));
    }
    return lines;
  }

  /** "same kind: duplicate route", or "12 duplicate route, 3 unknown key, ...". */
  private static String kinds(Map<String, Integer> kinds, int rest) {
    int known = kinds.values().stream().mapToInt(Integer::intValue).sum();
    if (kinds.size() == 1 && known == rest) {
      return "same kind: " + kinds.keySet().iterator().next();
    }
    List<String> parts = new ArrayList<>();
    kinds.entrySet().stream().limit(KINDS).forEach(k -> parts.add(k.getValue() + " " + k.getKey()));
    if (kinds.size() > KINDS || known < rest) {
      parts.add("...");
    }
    return parts.isEmpty() ? "of kinds not counted" : String.join(", ", parts);
  }
}
