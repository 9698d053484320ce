package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractObjectAssert;

/** Test helpers: parse a document, or get its problems. */
final class Yaml {
  private Yaml() {}

  static final String FILE = "routes.yaml";

  /** Knows the table name "vpc" (100) besides the built-in names. */
  static final ConfigLoader LOADER = new ConfigLoader(TableNames.of(Map.of("vpc", 100L)));

  static List<RouteSpec> routes(String yaml) throws ConfigException {
    return LOADER.parse(FILE, yaml).routes();
  }

  static RouteSpec route(String yaml) throws ConfigException {
    List<RouteSpec> routes = routes(yaml);
    assertThat(routes).hasSize(1);
    return routes.get(0);
  }

  /** The one route of a document whose only entry is {@code entry} (a flow mapping or string). */
  static RouteSpec entry(String entry) throws ConfigException {
    return route("routes:\n  - " + entry + "\n");
  }

  static List<ConfigProblem> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> LOADER.parse(FILE, yaml));
    assertThat(e).as("a ConfigException for:\n%s", yaml).isNotNull();
    assertThat(e.getMessage()).doesNotContain("Exception", "org.snakeyaml", "\tat ");
    return e.problems();
  }

  /** The single problem of a document. */
  static ConfigProblem problem(String yaml) {
    List<ConfigProblem> problems = problems(yaml);
    assertThat(problems).as("problems of:\n%s", yaml).hasSize(1);
    return problems.get(0);
  }

  /** The single problem of a document whose only entry is {@code entry}, written at line 2. */
  static ConfigProblem entryProblem(String entry) {
    return problem("routes:\n  - " + entry + "\n");
  }

  /**
   * The column of {@code text} in {@code entry} when the entry is written by {@link #entryProblem}.
   */
  static int columnOf(String entry, String text) {
    int offset = entry.indexOf(text);
    assertThat(offset).as("%s in %s", text, entry).isNotNegative();
    return 5 + offset;
  }

  /** Asserts line, column and a fragment of the message. */
  static AbstractObjectAssert<?, ConfigProblem> assertProblem(
      ConfigProblem problem, int line, int column, String fragment) {
    assertThat(problem.location())
        .as(problem.toString())
        .isEqualTo(new Location(FILE, line, column));
    assertThat(problem.message()).as(problem.toString()).contains(fragment);
    return assertThat(problem);
  }
}
