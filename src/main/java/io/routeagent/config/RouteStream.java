package io.routeagent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.MappingStartEvent;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
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
 * of strings and mappings of scalars (a {@code dev} selector may be a flat mapping of scalars),
 * without anchors, aliases, tags or merge keys. Each entry becomes the small node that {@link
 * DocumentReader} would have handed on, so the entry readers and their messages are the same. Anything else, including malformed YAML, gives up and leaves the
 * document to {@link YamlReader} and {@link DocumentReader}, which report it as they always did:
 * this reader reports nothing of its own.
 *
 * <p>Only the parse is sequential: entries are validated in chunks on a second thread meanwhile.
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
    try (Validator validator = new Validator(file, tables, problems.limit())) {
      readDocument(parser, resolver, validator);
      return Optional.of(validator.finish(problems));
    } catch (Unusual | YamlEngineException e) {
      return Optional.empty();
    }
  }

  private static void readDocument(ParserImpl parser, ScalarResolver resolver, Validator validator)
      throws Unusual {
    expect(parser.next(), Event.ID.StreamStart);
    expect(parser.next(), Event.ID.DocumentStart);
    expectPlain(parser.next(), Event.ID.MappingStart);
    ScalarNode key = scalar(parser.next(), resolver);
    if (!key.getTag().equals(Tag.STR) || !key.getValue().equals("routes")) {
      throw UNUSUAL;
    }
    expectPlain(parser.next(), Event.ID.SequenceStart);
    for (Event event = parser.next();
        event.getEventId() != Event.ID.SequenceEnd;
        event = parser.next()) {
      if (event.getEventId() == Event.ID.MappingStart) {
        validator.add(mapping(event, parser, resolver, true));
      } else {
        ScalarNode entry = scalar(event, resolver);
        if (!entry.getTag().equals(Tag.STR)) {
          throw UNUSUAL;
        }
        validator.add(entry);
      }
    }
    expect(parser.next(), Event.ID.MappingEnd);
    expect(parser.next(), Event.ID.DocumentEnd);
    expect(parser.next(), Event.ID.StreamEnd);
  }

  /**
   * Reads the entries into routes. Past one chunk of entries, chunks are read on a second thread
   * while this one parses on: on two cores the parse and the entries' validation then overlap.
   * Each chunk keeps its own problems, added in order at the end, so the messages and their order
   * are those of reading the entries one after the other.
   */
  private static final class Validator implements AutoCloseable {
    static final int CHUNK = 4096;

    private final String file;
    private final TableNames tables;
    private final int problemLimit;
    private final List<Future<Chunk>> done = new ArrayList<>();
    private List<Node> pending = new ArrayList<>(CHUNK);
    private ExecutorService worker;

    private record Chunk(List<RouteSpec> routes, Problems problems) {}

    Validator(String file, TableNames tables, int problemLimit) {
      this.file = file;
      this.tables = tables;
      this.problemLimit = problemLimit;
    }

    void add(Node entry) {
      pending.add(entry);
      if (pending.size() == CHUNK) {
        if (worker == null) {
          worker =
              Executors.newSingleThreadExecutor(
                  r -> {
                    Thread t = new Thread(r, "route-agent-validate");
                    t.setDaemon(true);
                    return t;
                  });
        }
        List<Node> chunk = pending;
        done.add(worker.submit(() -> read(chunk)));
        pending = new ArrayList<>(CHUNK);
      }
    }

    /** All the routes in order, after adding their problems to {@code problems}. */
    List<RouteSpec> finish(Problems problems) {
      List<RouteSpec> routes = new ArrayList<>(done.size() * CHUNK + pending.size());
      for (Future<Chunk> future : done) {
        Chunk chunk = await(future);
        routes.addAll(chunk.routes());
        problems.addAll(chunk.problems());
      }
      Chunk last = read(pending);
      routes.addAll(last.routes());
      problems.addAll(last.problems());
      return routes;
    }

    private Chunk read(List<Node> entries) {
      Problems problems = new Problems(problemLimit);
      SharedValues shared = new SharedValues();
      List<RouteSpec> routes = new ArrayList<>(entries.size());
      for (Node entry : entries) {
        Optional<RouteSpec> route =
            entry instanceof MappingNode map
                ? MappingRoute.read(file, map, tables, problems, shared)
                : ShorthandRoute.read(file, (ScalarNode) entry, tables, problems, shared);
        route.ifPresent(routes::add);
      }
      return new Chunk(routes, problems);
    }

    private static Chunk await(Future<Chunk> future) {
      try {
        return future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the routes", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    @Override
    public void close() {
      if (worker != null) {
        worker.shutdownNow();
      }
    }
  }

  /**
   * A mapping of scalars, as the composer would have built it; in an entry, a value may itself be
   * such a flat mapping (an interface selector: {@code dev: { mac: ... }}).
   */
  private static MappingNode mapping(
      Event start, ParserImpl parser, ScalarResolver resolver, boolean entry) throws Unusual {
    expectPlain(start, Event.ID.MappingStart);
    List<NodeTuple> tuples = new ArrayList<>(4);
    Event event = parser.next();
    for (; event.getEventId() != Event.ID.MappingEnd; event = parser.next()) {
      ScalarNode key = scalar(event, resolver);
      if (key.getTag().equals(Tag.MERGE)) {
        throw UNUSUAL;
      }
      Event value = parser.next();
      tuples.add(
          new NodeTuple(
              key,
              entry && value.getEventId() == Event.ID.MappingStart
                  ? mapping(value, parser, resolver, false)
                  : scalar(value, resolver)));
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
