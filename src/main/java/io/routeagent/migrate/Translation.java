package io.routeagent.migrate;

import java.util.List;

/** What an import found: the entries to write, and the commands it could not translate. */
public record Translation(List<Entry> routes, List<Entry> rules, List<Rejection> rejected) {
  public Translation {
    routes = List.copyOf(routes);
    rules = List.copyOf(rules);
    rejected = List.copyOf(rejected);
  }

  /** Every entry, routes then rules, for notes. */
  public List<Entry> entries() {
    return java.util.stream.Stream.concat(routes.stream(), rules.stream()).toList();
  }
}
