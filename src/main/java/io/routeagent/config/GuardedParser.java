package io.routeagent.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Sits between snakeyaml's parser and composer to do three things snakeyaml does not: bound the
 * nesting depth (the composer recurses once per level, so "[[[[..." ten thousand deep would end in
 * a StackOverflowError), bound the number of nodes (a composed node costs some 200 bytes of heap,
 * so a file of tiny values within the size cap would not fit the launcher's heap), and remember
 * where the last event was, to place errors that snakeyaml throws without a mark (such as its
 * alias limit).
 */
final class GuardedParser implements Parser {
  /** A routes file needs three levels; leave room for selectors and future sections. */
  static final int MAX_DEPTH = 16;

  /**
   * The most scalars, lists, mappings and aliases in a composed document: some 23,000 routes
   * written as mappings, or 300,000 written as strings. Files of the usual shape are not composed
   * (see {@link RouteStream}) and are bounded by {@link ConfigLoader#MAX_ENTRIES} instead.
   */
  static final int MAX_NODES = 300_000;

  private final Parser parser;
  private int depth;
  private int nodes;
  private Optional<Mark> lastMark = Optional.empty();

  GuardedParser(Parser parser) {
    this.parser = parser;
  }

  @Override
  public boolean checkEvent(Event.ID id) {
    return parser.checkEvent(id);
  }

  @Override
  public Event peekEvent() {
    return parser.peekEvent();
  }

  @Override
  public boolean hasNext() {
    return parser.hasNext();
  }

  @Override
  public Event next() {
    Event event = parser.next();
    lastMark = event.getStartMark();
    switch (event.getEventId()) {
      case SequenceStart, MappingStart -> {
        countNode();
        if (++depth > MAX_DEPTH) {
          throw new ComposerException(
              "lists and mappings are nested more than " + MAX_DEPTH + " levels deep", lastMark);
        }
      }
      case Scalar, Alias -> countNode();
      case SequenceEnd, MappingEnd -> depth--;
      default -> {}
    }
    return event;
  }

  private void countNode() {
    if (++nodes > MAX_NODES) {
      throw new TooManyNodes();
    }
  }

  /** The document passed {@link #MAX_NODES}; placed at {@link #lastMark()} by its reader. */
  static final class TooManyNodes extends YamlEngineException {
    private static final long serialVersionUID = 1L;

    TooManyNodes() {
      super(
          "the file holds more than "
              + MAX_NODES
              + " values, lists and mappings, the limit for a file with rules, anchors or tags");
    }

    static final String HINT =
        "Write the routes as one-line strings (\"10.0.0.0/16 via 172.31.64.1\"), or move them into"
            + " a drop-in of their own without rules.";
  }

  /** The start of the last event handed to the composer. */
  Optional<Mark> lastMark() {
    return lastMark;
  }
}
