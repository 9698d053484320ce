package io.routeagent.migrate;

import io.routeagent.config.ConfigException;
import io.routeagent.config.ConfigLoader;
import io.routeagent.config.ConfigProblem;
import io.routeagent.config.TableNames;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a one-line entry with the routes file's own parser before it is written, so that what
 * import writes is what the agent will read. A route that only a guard rail refuses (a default
 * route in the main table, say) is kept with {@code override}, since the script or the kernel had
 * it on purpose, and a note says so.
 */
final class EntryChecker {
  private final ConfigLoader loader;

  EntryChecker(TableNames tables) {
    this.loader = new ConfigLoader(tables);
  }

  Entry route(String origin, String route) throws Untranslatable {
    return checked(origin, route, why -> new Entry(origin, route + " override", "kept with override: " + why));
  }

  /**
   * As {@link #route}, for a route read from the kernel: one that only {@code override} lets in (a
   * default route, a route to the instance metadata service) belongs to the platform or another
   * owner, and an entry for it would make the agent replace (adopt) it, so it is written commented
   * out, with a note saying why.
   */
  Entry kernelRoute(String origin, String route) throws Untranslatable {
    return checked(origin, route, why -> new Entry(origin, route + " override", "left commented out: " + why
        + ". An entry for a route that another owner installed makes route-agent replace (adopt) it;"
        + " uncomment it only if route-agent is to manage this route (it puts the original back when the"
        + " entry goes)", true));
  }

  /**
   * The entry for a valid route; for one that only {@code override} makes valid, what {@code
   * overridden} writes given the guard rail's words; otherwise why it cannot be translated.
   */
  private Entry checked(String origin, String route, Function<String, Entry> overridden) throws Untranslatable {
    Optional<ConfigProblem> problem = problem(route);
    if (problem.isEmpty()) {
      return new Entry(origin, route, null);
    }
    // Only the guard rails depend on `override`: if it makes the entry valid, they refused it.
    if (problem(route + " override").isEmpty()) {
      return overridden.apply(problem.get().message());
    }
    throw new Untranslatable(reason(problem.get()));
  }

  /** A rule's guard rails take no override: it is valid as it is, or not at all. */
  Entry rule(String origin, String rule) throws Untranslatable {
    Optional<ConfigProblem> problem = parse("routes: []\nrules:\n  - " + RoutesFileWriter.quote(rule) + "\n");
    if (problem.isPresent()) {
      throw new Untranslatable(reason(problem.get()));
    }
    return new Entry(origin, rule, null);
  }

  /** What the routes file parser says about this one-line route, if anything. */
  private Optional<ConfigProblem> problem(String route) {
    return parse("routes:\n  - " + RoutesFileWriter.quote(route) + "\n");
  }

  private static String reason(ConfigProblem p) {
    return p.hint() == null ? p.message() : p.message() + ". " + p.hint();
  }

  private Optional<ConfigProblem> parse(String document) {
    try {
      loader.parse("import", document);
      return Optional.empty();
    } catch (ConfigException e) {
      return Optional.of(e.problems().get(0));
    }
  }
}
