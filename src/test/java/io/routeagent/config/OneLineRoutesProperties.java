package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * {@link OneLineRoutes}, the reader of files of one-line entries that does without snakeyaml, held
 * to {@link RouteStream} (snakeyaml's parse) on random files near that shape: whenever it reads a
 * file, the routes (with their lines and columns) and every problem, in order, are the ones
 * snakeyaml's reading gives; and it reads the usual files.
 */
class OneLineRoutesProperties {
  private static final TableNames TABLES = TableNames.of(Map.of("vpc", 100L));

  /** Words of entries, valid and not, and the characters YAML gives a meaning to. */
  private static final List<String> WORDS = List.of(
      "10.1.2.0/28", "10.0.0.0/8", "192.168.0.0/16", "fd00::/64", "fe80::1", "::/0", "0.0.0.0/0",
      "10.1.2.3", "300.1.1.1/8", "10.0.0.0/33", "default", "via", "dev", "eth2", "eth-2", "metric",
      "100", "-1", "4294967296", "table", "vpc", "main", "254", "src", "172.31.64.1", "mtu", "1500",
      "onlink", "override", "nexthop", "weight", "blackhole", "unreachable", "prohibit", "local",
      "subnet-router", "bogus", "a:b", "a:", ":", "a::", "x_y", "1e3", "0x10", "true", "null", "~",
      "no", "1.5", ".5", "#", "a#b", "'q'", "\"q\"", "-", "--", "---", "...", "?", "!tag", "&a", "*a",
      "{", "}", "[", "]", ",", "|", ">", "%", "@", "`", "\t", "é", "\r");

  /** Half of the files without the odd pieces, so that a good share has the shape. */
  @Provide
  Arbitrary<String> files() {
    return Arbitraries.oneOf(files(0), files(1));
  }

  private static Arbitrary<String> files(int odd) {
    Arbitrary<String> word = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.of(WORDS.subList(0, 36))),
        net.jqwik.api.Tuple.of(odd, Arbitraries.of(WORDS)));
    Arbitrary<String> separator = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(12, Arbitraries.just(" ")),
        net.jqwik.api.Tuple.of(odd, Arbitraries.of("  ", "", ": ", " # c", " \t")));
    Arbitrary<String> value = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.of(
            "10.1.2.0/28 via 172.31.64.1 dev eth2",
            "10.9.0.0/16 via 172.31.64.1 dev eth2 metric 100 table vpc",
            "fd00::/64 via fe80::1 dev eth2",
            "blackhole 10.8.0.0/16",
            "10.7.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via 172.31.64.2 dev eth2")),
        net.jqwik.api.Tuple.of(6, Arbitraries.lazy(() -> word)
            .list().ofMinSize(1).ofMaxSize(9)
            .flatMap(ws -> separator.list().ofSize(ws.size()).map(ss -> {
              StringBuilder sb = new StringBuilder(ws.get(0));
              for (int i = 1; i < ws.size(); i++) {
                sb.append(ss.get(i)).append(ws.get(i));
              }
              return sb.toString();
            }))));
    Arbitrary<String> line = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(30, value.map(v -> "- " + v)),
        net.jqwik.api.Tuple.of(odd, value.map(v -> "-  " + v)),
        net.jqwik.api.Tuple.of(odd, value.map(v -> "  " + v)),
        net.jqwik.api.Tuple.of(odd, value.map(v -> v + " ")),
        net.jqwik.api.Tuple.of(odd, Arbitraries.of("", "# a comment", "-", "- ", "rules: []", "routes:")));
    Arbitrary<Integer> indent = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(2)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(0, 1, 4)));
    Arbitrary<String> header = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, Arbitraries.just("routes:\n")),
        net.jqwik.api.Tuple.of(odd, Arbitraries.of("routes: \n", "routes:", "---\nroutes:\n", "routes:\r\n", "rules:\n")));
    Arbitrary<String> ending = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(10, Arbitraries.just("\n")),
        net.jqwik.api.Tuple.of(2 * odd, Arbitraries.of("", "\n\n", "\n...\n", "\n---\n", "\n# end\n")));
    return net.jqwik.api.Combinators.combine(
            header, indent, line.list().ofMinSize(0).ofMaxSize(12), Arbitraries.integers().between(0, 3),
            ending)
        .as((h, in, lines, jitter, end) -> {
          List<String> indented = new ArrayList<>();
          for (int i = 0; i < lines.size(); i++) {
            // now and then one line off the others' indentation
            int own = odd == 1 && jitter == 3 && i == lines.size() / 2 ? in + 1 : in;
            indented.add(" ".repeat(own) + lines.get(i));
          }
          return h + String.join("\n", indented) + end;
        });
  }

  private static final AtomicInteger tried = new AtomicInteger();
  private static final AtomicInteger readHere = new AtomicInteger();

  /** The files are near enough to the shape for the property to mean something. */
  @AfterContainer
  static void aGoodShareWasReadHere() {
    if (tried.get() > 1000) {
      assertThat(readHere.get()).isGreaterThan(tried.get() / 5);
    }
  }

  @Property(tries = 5000)
  void readsAFileAsSnakeyamlDoesOrLeavesItToIt(@ForAll("files") String text) {
    Problems fast = new Problems(3);
    Optional<List<RouteSpec>> read = OneLineRoutes.read("routes.yaml", text, TABLES, fast);
    tried.incrementAndGet();
    if (read.isPresent()) {
      readHere.incrementAndGet();
    }
    if (read.isEmpty()) {
      assertThat(problems(fast)).isEmpty();
      return;
    }
    Problems slow = new Problems(3);
    Optional<List<RouteSpec>> parsed = RouteStream.read("routes.yaml", text, TABLES, slow);
    assertThat(parsed).as("snakeyaml reads it as the usual shape too").isPresent();
    assertThat(read.get()).isEqualTo(parsed.get());
    assertThat(problems(fast)).isEqualTo(problems(slow));
    assertThat(omitted(fast)).isEqualTo(omitted(slow));
    assertThat(ProblemMessages.of(fast)).isEqualTo(ProblemMessages.of(slow));
  }

  @Example
  void readsTheUsualFileOfManyEntriesInOrderWithItsLines() {
    StringBuilder text = new StringBuilder("routes:\n");
    int n = 3 * OneLineRoutes.CHUNK + 17;
    for (int i = 0; i < n; i++) {
      text.append("  - 10.").append(i / 4096).append('.').append(i / 16 % 256).append('.')
          .append(i % 16 * 16).append("/28 via 172.31.64.1 dev eth2\n");
    }
    // one bad entry in the last chunk and one in the first
    String bad = text.toString().replace("  - 10.0.0.32/28 via", "  - 10.0.0.32/28 vai")
        .replace("  - 10.3.1.0/28 via", "  - 10.3.1.0/33 via");
    Problems fast = new Problems(Problems.LIMIT);
    Optional<List<RouteSpec>> read = OneLineRoutes.read("routes.yaml", text.toString(), TABLES, fast);
    assertThat(read).isPresent();
    assertThat(read.get()).hasSize(n);
    assertThat(read.get()).isEqualTo(
        RouteStream.read("routes.yaml", text.toString(), TABLES, new Problems()).orElseThrow());

    Problems badFast = new Problems(Problems.LIMIT);
    Problems badSlow = new Problems(Problems.LIMIT);
    assertThat(OneLineRoutes.read("routes.yaml", bad, TABLES, badFast)).isPresent();
    assertThat(RouteStream.read("routes.yaml", bad, TABLES, badSlow)).isPresent();
    assertThat(problems(badFast)).hasSize(2).isEqualTo(problems(badSlow));
  }

  @Example
  void theSplitsWhitespaceIsJavasForEveryChar() {
    for (int c = Character.MIN_VALUE; c <= Character.MAX_VALUE; c++) {
      assertThat(ShorthandRoute.isWhitespace((char) c)).as("U+%04X", c).isEqualTo(Character.isWhitespace((char) c));
    }
  }

  @Example
  void leavesOtherShapesToSnakeyaml() {
    for (String text : List.of(
        "routes:\n  - 10.0.0.0/8 via 172.31.64.1 dev eth2 # the VPC\n",
        "routes:\n  - 10.0.0.0/8 via 172.31.64.1\n    dev eth2\n",
        "routes:\n  - 10.0.0.0/8 via 172.31.64.1 dev eth2\nrules: []\n",
        "routes:\n  - \"10.0.0.0/8 via 172.31.64.1 dev eth2\"\n",
        "routes:\n  - 10.0.0.0/8 via 172.31.64.1 dev eth2\n\n",
        "routes:\n  - 10.0.0.0/8 via 172.31.64.1 dev eth2\r\n",
        "routes:\n  - 100\n",
        "routes:\n  - to: 10.0.0.0/8\n",
        "routes: []\n")) {
      assertThat(OneLineRoutes.read("routes.yaml", text, TABLES, new Problems())).as(text).isEmpty();
    }
  }

  private static List<ConfigProblem> problems(Problems problems) {
    try {
      problems.throwIfAny();
      return List.of();
    } catch (ConfigException e) {
      return e.problems();
    }
  }

  private static int omitted(Problems problems) {
    try {
      problems.throwIfAny();
      return 0;
    } catch (ConfigException e) {
      return e.omitted();
    }
  }
}
