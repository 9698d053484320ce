package io.routeagent.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Reads the commonest routes file without a YAML parser: the line {@code routes:}, then only
 * one-line entries in {@code ip route} words, each {@code - WORDS} at the same indentation, e.g.
 * {@code   - 10.1.2.0/28 via 172.31.64.1 dev eth2}. On 100,000 routes snakeyaml's scan of such a
 * file took more than half of a cold {@code apply}.
 *
 * <p>Only what is plainly that shape is read here: a word starts with a letter or digit and holds
 * letters, digits and {@code . / _ - :} (a colon not followed by a space or the line's end), words
 * are separated by spaces, and nothing else is in the file (no comment, blank line, quote, tab,
 * carriage return, trailing space, second key or document marker). Anything else, and any entry
 * whose value YAML would not read as a string, leaves the whole file to {@link RouteStream}. Each
 * entry is read by {@link ShorthandRoute} as the plain scalar snakeyaml would have made of it (the
 * same value, line and column), with the same messages; {@code
 * OneLineRoutesProperties} holds the two readers to the same routes and problems.
 *
 * <p>The entries are read in chunks by this thread and, past one chunk, a second one: each chunk
 * keeps its own problems, added in order at the end, as if read one after the other. Nothing is
 * handed on before every entry was read.
 */
final class OneLineRoutes {
  private OneLineRoutes() {}

  static final int CHUNK = 4096;
  private static final String HEADER = "routes:\n";

  /**
   * The routes of {@code text} with their problems added to {@code problems}, or empty (and no
   * problem added) when the file is not of this shape.
   */
  static Optional<List<RouteSpec>> read(
      String file, String text, TableNames tables, Problems problems) {
    int[] spans = scan(text);
    if (spans == null) {
      return Optional.empty();
    }
    Reading reading =
        new Reading(file, text, spans, tables, problems.limit(), YamlReader.settings(file)
            .getSchema().getScalarResolver());
    reading.run();
    if (reading.unusual) {
      return Optional.empty();
    }
    List<RouteSpec> routes = new ArrayList<>(spans.length / 2);
    for (Chunk chunk : reading.chunks) {
      routes.addAll(chunk.routes());
      problems.addAll(chunk.problems());
    }
    return Optional.of(routes);
  }

  /**
   * Where each entry's value is in {@code text}: its start and end (exclusive) offsets, two ints an
   * entry; null when the text is not of this shape. Entry {@code i} is on line {@code i + 1}
   * (0-based, as snakeyaml counts), its value at the column of its start on that line.
   */
  static int[] scan(String text) {
    if (!text.startsWith(HEADER)) {
      return null;
    }
    int n = text.length();
    int pos = HEADER.length();
    int indent = 0;
    while (pos + indent < n && text.charAt(pos + indent) == ' ') {
      indent++;
    }
    int[] spans = new int[Math.max(16, n / 20)];
    int count = 0;
    while (pos < n) {
      for (int k = 0; k < indent; k++) {
        if (pos + k >= n || text.charAt(pos + k) != ' ') {
          return null;
        }
      }
      int p = pos + indent;
      if (p + 2 >= n || text.charAt(p) != '-' || text.charAt(p + 1) != ' ' || !alnum(text.charAt(p + 2))) {
        return null;
      }
      p += 2;
      int start = p;
      for (; p < n; p++) {
        char c = text.charAt(p);
        if (c == '\n') {
          break;
        }
        if (c == ' ' || c == ':') {
          // a space must be followed by a word, a colon by more of its word
          if (p + 1 >= n) {
            return null;
          }
          char next = text.charAt(p + 1);
          if (next == ' ' && c == ':' || next == '\n') {
            return null;
          }
        } else if (!alnum(c) && c != '.' && c != '/' && c != '_' && c != '-') {
          return null;
        }
      }
      if (count + 2 > spans.length) {
        spans = Arrays.copyOf(spans, spans.length * 2);
      }
      spans[count++] = start;
      spans[count++] = p;
      pos = p + 1;
    }
    return count == 0 ? null : Arrays.copyOf(spans, count);
  }

  private static boolean alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private record Chunk(List<RouteSpec> routes, Problems problems) {}

  /** The entries read chunk by chunk, on this thread and (past one chunk) a second one. */
  private static final class Reading {
    private final String file;
    private final String text;
    private final int[] spans;
    private final TableNames tables;
    private final int problemLimit;
    private final ScalarResolver resolver;
    private final Chunk[] chunks;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean unusual;
    // Written by the second thread, read after join(): join orders the two.
    private Throwable failure;

    Reading(String file, String text, int[] spans, TableNames tables, int problemLimit,
        ScalarResolver resolver) {
      this.file = file;
      this.text = text;
      this.spans = spans;
      this.tables = tables;
      this.problemLimit = problemLimit;
      this.resolver = resolver;
      int entries = spans.length / 2;
      this.chunks = new Chunk[(entries + CHUNK - 1) / CHUNK];
    }

    void run() {
      Thread helper = null;
      if (chunks.length > 1) {
        helper = new Thread(this::readChunksApart, "route-agent-read");
        helper.setDaemon(true);
        helper.start();
      }
      try {
        readChunks();
      } finally {
        if (helper != null) {
          join(helper);
        }
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
    }

    private void readChunksApart() {
      try {
        readChunks();
      } catch (RuntimeException | Error e) {
        failure = e;
        unusual = true;
      }
    }

    private void readChunks() {
      for (int c = next.getAndIncrement(); c < chunks.length && !unusual; c = next.getAndIncrement()) {
        Chunk chunk = read(c);
        if (chunk == null) {
          unusual = true;
        } else {
          chunks[c] = chunk;
        }
      }
    }

    /** Chunk {@code c}, or null when one of its values is not a string to YAML. */
    private Chunk read(int c) {
      int first = c * CHUNK;
      int last = Math.min(first + CHUNK, spans.length / 2);
      Problems problems = new Problems(problemLimit);
      SharedValues shared = new SharedValues();
      List<RouteSpec> routes = new ArrayList<>(last - first);
      for (int i = first; i < last; i++) {
        int start = spans[2 * i];
        int end = spans[2 * i + 1];
        String value = text.substring(start, end);
        // A plain scalar with a space in it is a string: every implicit type of the schema matches
        // the whole value with a pattern that has no space in it (null, booleans, numbers); the
        // only one with spaces, ${VAR}, starts with a dollar, which the scan does not take.
        if (value.indexOf(' ') < 0 && !resolver.resolve(value, true).equals(Tag.STR)) {
          return null;
        }
        // line i + 2 of the file (the first holds `routes:`), as Location counts, from 1
        int column = start - text.lastIndexOf('\n', start - 1);
        Optional<RouteSpec> route = ShorthandRoute.readPlain(file, value, i + 2, column, tables, problems, shared);
        if (route.isPresent()) {
          routes.add(route.get());
        }
      }
      return new Chunk(routes, problems);
    }

    private static void join(Thread thread) {
      boolean interrupted = false;
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
