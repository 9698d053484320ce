package io.routeagent.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads a route written in {@code ip route} syntax: {@code [TYPE] DEST [via GW] [dev IF] [metric N]
 * [table T] [src A] [mtu N] [onlink] [override]}, or a multipath route whose {@code via} and {@code
 * dev} are repeated next hops: {@code DEST [metric N] ... nexthop via GW dev IF [weight W] [onlink]
 * nexthop ...}. After a {@code nexthop}, {@code via}, {@code dev}, {@code weight} and {@code onlink}
 * are that next hop's; the route's other words may still follow.
 */
final class ShorthandRoute {
  private ShorthandRoute() {}

  /** The words after the destination; all but the flags take the next word as their value. */
  private static final Map<String, RouteField> WORDS =
      Arrays.stream(RouteField.values())
          .filter(f -> f != RouteField.TO && f != RouteField.TYPE && f != RouteField.NEXTHOPS)
          .collect(Collectors.toMap(f -> f.key, Function.identity()));

  /** The word that starts a next hop, as {@code ip route} spells it. */
  private static final String NEXTHOP = "nexthop";

  private static final List<String> WORD_LIST =
      java.util.stream.Stream.concat(
              Arrays.stream(RouteField.values()).filter(WORDS::containsValue).map(f -> f.key),
              java.util.stream.Stream.of(NEXTHOP))
          .toList();

  static Optional<RouteSpec> read(
      String file, ScalarNode node, TableNames tables, Problems problems, SharedValues shared) {
    return read(Locator.of(file, node), tables, problems, shared);
  }

  /**
   * As {@link #read(String, ScalarNode, TableNames, Problems, SharedValues)} for a plain scalar
   * alone on its line, at {@code line} and {@code column} (from 1), as {@link OneLineRoutes} finds
   * it: without the node and marks it would take to describe one.
   */
  static Optional<RouteSpec> readPlain(
      String file, String value, int line, int column, TableNames tables, Problems problems,
      SharedValues shared) {
    return read(new Locator(file, new Location(file, line, column), value, column), tables, problems, shared);
  }

  private static Optional<RouteSpec> read(
      Locator locator, TableNames tables, Problems problems, SharedValues shared) {
    String file = locator.file();
    List<Word> words = split(locator.value());
    RouteDraft draft = new RouteDraft(locator.start(), tables, problems, shared);
    int i = 0;
    if (!words.isEmpty() && RouteType.fromKeyword(words.get(0).text()).isPresent()) {
      draft.set(RouteField.TYPE, words.get(0).text(), locator.at(words.get(0)));
      i++;
    }
    if (i < words.size()) {
      draft.set(RouteField.TO, words.get(i).text(), locator.at(words.get(i)));
      i++;
    }
    RouteDraft.HopDraft hop = null;
    while (i < words.size()) {
      Word word = words.get(i);
      if (word.text().equals(NEXTHOP)) {
        hop = draft.addNextHop(locator.at(word));
        i++;
        continue;
      }
      RouteField field = WORDS.get(word.text());
      if (field == null) {
        // The words after an unknown one cannot be told apart from its arguments: stop here.
        draft.fail(
            locator.at(word),
            "unknown word " + Quoted.of(word.text()),
            Suggestions.hint(word.text(), WORD_LIST, "After the destination come"));
        break;
      }
      boolean hops = hop != null && RouteField.HOP_FIELDS.contains(field);
      if (field.kind == RouteField.Kind.FLAG) {
        if (hops) {
          hop.set(field, "true", locator.at(word));
        } else {
          draft.set(field, "true", locator.at(word));
        }
        i++;
      } else if (i + 1 < words.size()) {
        Word value = words.get(i + 1);
        if (hops) {
          hop.set(field, value.text(), locator.at(value));
        } else {
          draft.set(field, value.text(), locator.at(value));
        }
        i += 2;
      } else {
        draft.fail(
            locator.at(word),
            "`" + word.text() + "` needs a value after it",
            "Write `" + word.text() + " VALUE`.");
        break;
      }
    }
    return draft.build();
  }

  /** A word of the line and its offset in it. */
  record Word(String text, int offset) {}

  static List<Word> split(String line) {
    List<Word> words = new ArrayList<>(8);
    int i = 0;
    while (i < line.length()) {
      while (i < line.length() && isWhitespace(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < line.length() && !isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        words.add(new Word(line.substring(start, i), start));
      }
    }
    return words;
  }

  /** {@link Character#isWhitespace(char)}, without its table lookup for ASCII (a third of a read). */
  static boolean isWhitespace(char c) {
    if (c > ' ') {
      return c >= 0x80 && Character.isWhitespace(c);
    }
    return c == ' ' || (c >= '\t' && c <= '\r') || c >= '\u001c';
  }

  /**
   * Maps an offset in the string's value to a place in the file. That is exact when the string sits
   * on one line and its source is the value itself, possibly in quotes; otherwise (escapes, folded
   * lines) every word is placed at the start of the string.
   */
  record Locator(String file, Location start, String value, int firstColumn) {
    static Locator of(String file, ScalarNode node) {
      Location start = Nodes.location(file, node);
      Mark begin = node.getStartMark().orElseThrow();
      Mark end = node.getEndMark().orElseThrow();
      int quotes =
          node.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED
                  || node.getScalarStyle() == ScalarStyle.SINGLE_QUOTED
              ? 1
              : 0;
      String value = node.getValue();
      boolean exact =
          begin.getLine() == end.getLine()
              && (quotes == 1 || node.getScalarStyle() == ScalarStyle.PLAIN)
              && end.getColumn() - begin.getColumn()
                  == value.codePointCount(0, value.length()) + 2 * quotes;
      return new Locator(file, start, value, exact ? start.column() + quotes : -1);
    }

    Location at(Word word) {
      if (firstColumn < 0) {
        return start;
      }
      return new Location(file, start.line(), firstColumn + value.codePointCount(0, word.offset()));
    }
  }
}
