package io.routeagent.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Sits between snakeyaml's parser and composer to do two things snakeyaml does not: bound the
 * nesting depth (the composer recurses once per level, so "[[[[..." ten thousand deep would end in
 * a StackOverflowError), and remember where the last event was, to place errors that snakeyaml
 * throws without a mark (such as its alias limit).
 */
final class GuardedParser implements Parser {
  /** A routes file needs three levels; leave room for selectors and future sections. */
  static final int MAX_DEPTH = 16;

  private final Parser parser;
  private int depth;
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
        if (++depth > MAX_DEPTH) {
          throw new ComposerException(
              "lists and mappings are nested more than " + MAX_DEPTH + " levels deep", lastMark);
        }
      }
      case SequenceEnd, MappingEnd -> depth--;
      default -> {}
    }
    return event;
  }

  /** The start of the last event handed to the composer. */
  Optional<Mark> lastMark() {
    return lastMark;
  }
}
