package io.routeagent.config;

import java.nio.file.Path;
import java.util.List;

/** The merged, validated content of the routes file and its {@code routes.d/*.yaml} drop-ins. */
public record DesiredConfig(List<RouteSpec> routes, List<Path> files) {
  public DesiredConfig {
    routes = List.copyOf(routes);
    files = List.copyOf(files);
  }
}
