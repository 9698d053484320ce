package io.routeagent.migrate;

import java.util.List;

/** What an import found: the entries to write, and the commands it could not translate. */
public record Translation(List<Entry> routes, List<Rejection> rejected) {
  public Translation {
    routes = List.copyOf(routes);
    rejected = List.copyOf(rejected);
  }
}
