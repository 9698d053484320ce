package io.routeagent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The merged, validated content of the routes file and its {@code routes.d/*.yaml} drop-ins.
 *
 * @param routes the routes, in file order
 * @param files the files read
 * @param rules the policy rules, in file order
 */
public record DesiredConfig(List<RouteSpec> routes, List<Path> files, List<RuleSpec> rules) {
  public DesiredConfig {
    routes = List.copyOf(routes);
    files = List.copyOf(files);
    rules = List.copyOf(rules);
  }

  /** A config without rules. */
  public DesiredConfig(List<RouteSpec> routes, List<Path> files) {
    this(routes, files, List.of());
  }
}
