package io.routeagent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.MappingStartEvent;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads the usual shape of a routes file straight from snakeyaml's parser events, one entry at a
 * time, instead of composing the whole document into a node tree first. On 100,000 routes the
 * tree and the garbage collections it caused cost more than the parse itself.
 *
 * <p>The usual shape is one document holding a mapping with the single key {@code routes}, a list
 * of strings and flat mappings of scalars, without anchors, aliases, tags or merge keys. Each entry
 * becomes the small node that {@link DocumentReader} would have handed on, so the entry readers
 * and their messages are the same. Anything else, including malformed YAML, gives up and leaves the
 * document to {@link YamlReader} and {@link DocumentReader}, which report it as they always did:
 * this reader reports nothing of its own.
 */
final class RouteStream {
  private RouteStream() {}

  /** This document is not of the usual shape; compose it instead. */
  private static final class Unusual extends Exception {
    Unusual() {
      super(null, null, false, false);
    }
  }

  private static final Unusual UNUSUAL = new Unusual();

  /**
   * The routes of {@code text} with their problems added to {@code problems}, or empty (and no
   * problem added) when the document must be composed instead.
   */
  static Optional<List<RouteSpec>> read(
      String file, String text, TableNames tables, Problems problems) {
    LoadSettings settings = YamlReader.settings(file);
    ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, text));
    ScalarResolver resolver = settings.getSchema().getScalarResolver();
    Problems found = new Problems();
    List<RouteSpec> routes;
    try {
      routes = readDocument(file, parser, resolver, tables, found);
    } catch (Unusual | YamlEngineException e) {
      return Optional.empty();
    }
    problems.addAll(found);
    return Optional.of(routes);
  }

  private static List<RouteSpec> readDocument(
      String file, ParserImpl parser, ScalarResolver resolver, TableNames tables, Problems problems)
      throws Unusual {
    expect(parser.next(), Event.ID.StreamStart);
    expect(parser.next(), Event.ID.DocumentStart);
    expectPlain(parser.next(), Event.ID.MappingStart);
    ScalarNode key = scalar(parser.next(), resolver);
    if (!key.getTag().equals(Tag.STR) || !key.getValue().equals("routes")) {
      throw UNUSUAL;
    }
    expectPlain(parser.next(), Event.ID.SequenceStart);
    List<RouteSpec> routes = new ArrayList<>();
    for (Event event = parser.next();
        event.getEventId() != Event.ID.SequenceEnd;
        event = parser.next()) {
      Optional<RouteSpec> route;
      if (event.getEventId() == Event.ID.MappingStart) {
        route = MappingRoute.read(file, mapping(event, parser, resolver), tables, problems);
      } else {
        ScalarNode entry = scalar(event, resolver);
        if (!entry.getTag().equals(Tag.STR)) {
          throw UNUSUAL;
        }
        route = ShorthandRoute.read(file, entry, tables, problems);
      }
      route.ifPresent(routes::add);
    }
    expect(parser.next(), Event.ID.MappingEnd);
    expect(parser.next(), Event.ID.DocumentEnd);
    expect(parser.next(), Event.ID.StreamEnd);
    return routes;
  }

  /** A flat mapping of scalars, as the composer would have built it. */
  private static MappingNode mapping(Event start, ParserImpl parser, ScalarResolver resolver)
      throws Unusual {
    expectPlain(start, Event.ID.MappingStart);
    List<NodeTuple> tuples = new ArrayList<>(4);
    Event event = parser.next();
    for (; event.getEventId() != Event.ID.MappingEnd; event = parser.next()) {
      ScalarNode key = scalar(event, resolver);
      if (key.getTag().equals(Tag.MERGE)) {
        throw UNUSUAL;
      }
      tuples.add(new NodeTuple(key, scalar(parser.next(), resolver)));
    }
    return new MappingNode(
        Tag.MAP,
        true,
        tuples,
        ((MappingStartEvent) start).getFlowStyle(),
        start.getStartMark(),
        event.getEndMark());
  }

  /** A scalar without anchor or tag, its tag resolved as the composer resolves it. */
  private static ScalarNode scalar(Event event, ScalarResolver resolver) throws Unusual {
    expectPlain(event, Event.ID.Scalar);
    ScalarEvent scalar = (ScalarEvent) event;
    Tag tag =
        resolver.resolve(scalar.getValue(), scalar.getImplicit().canOmitTagInPlainScalar());
    return new ScalarNode(
        tag,
        true,
        scalar.getValue(),
        scalar.getScalarStyle(),
        scalar.getStartMark(),
        scalar.getEndMark());
  }

  private static void expect(Event event, Event.ID id) throws Unusual {
    if (event.getEventId() != id) {
      throw UNUSUAL;
    }
  }

  /** A node event of this kind, without an anchor or a tag. */
  private static void expectPlain(Event event, Event.ID id) throws Unusual {
    expect(event, id);
    NodeEvent node = (NodeEvent) event;
    if (node.getAnchor().isPresent()) {
      throw UNUSUAL;
    }
    boolean tagged =
        switch (id) {
          case Scalar -> ((ScalarEvent) event).getTag().isPresent();
          case MappingStart, SequenceStart ->
              ((CollectionStartEvent) event).getTag().isPresent();
          default -> false;
        };
    if (tagged) {
      throw UNUSUAL;
    }
  }
}
