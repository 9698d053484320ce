package io.routeagent.config;

import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads the top level of one routes file: a mapping whose `routes` and `rules` are lists of
 * entries. The routes are returned; the rules are collected in {@link #rules}.
 */
final class DocumentReader {
  private static final List<String> KEYS = List.of("routes", "rules");

  private final String file;
  private final TableNames tables;
  private final Problems problems;
  private final List<RuleSpec> rules = new ArrayList<>();

  DocumentReader(String file, TableNames tables, Problems problems) {
    this.file = file;
    this.tables = tables;
    this.problems = problems;
  }

  List<RouteSpec> read(Node root) {
    if (!(root instanceof MappingNode map)) {
      problems.add(
          Nodes.location(file, root),
          "the file must be a mapping with a `routes:` key, not " + Nodes.kind(root),
          "Start the file with a line `routes:` and list the routes under it.");
      return List.of();
    }
    List<RouteSpec> specs = null;
    boolean reported = false;
    boolean hasRules = false;
    for (Nodes.Entry entry : Nodes.entries(file, map, problems)) {
      switch (entry.key()) {
        case "routes" -> specs = readRoutes(entry.value());
        case "rules" -> {
          rules.addAll(new RuleReader(file, tables, problems).read(entry.value()));
          hasRules = true;
        }
        default -> {
          problems.add(
              entry.keyLocation(),
              "unknown key " + Quoted.of(entry.key()),
              Suggestions.hint(entry.key(), KEYS, "The top-level keys are"));
          reported = true;
        }
      }
    }
    if (specs == null && !reported && !hasRules) {
      problems.add(
          Nodes.location(file, root),
          "there is no `routes:` key",
          "List the routes under `routes:`, or write `routes: []` to have none.");
    }
    return specs == null ? List.of() : specs;
  }

  /** The rules of the document read last. */
  List<RuleSpec> rules() {
    return rules;
  }

  private List<RouteSpec> readRoutes(Node routes) {
    if (!(routes instanceof SequenceNode list)) {
      boolean empty = routes instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
      problems.add(
          Nodes.location(file, routes),
          empty ? "`routes` has no value" : "`routes` must be a list, not " + Nodes.kind(routes),
          "Start each route with \"- \" on its own line under `routes:`, or write `routes: []`"
              + " to remove every route on purpose.");
      return List.of();
    }
    List<RouteSpec> specs = new ArrayList<>(list.getValue().size());
    SharedValues shared = new SharedValues();
    for (Node entry : list.getValue()) {
      if (entry instanceof MappingNode map) {
        MappingRoute.read(file, map, tables, problems, shared).ifPresent(specs::add);
      } else if (entry instanceof ScalarNode scalar && scalar.getTag().equals(Tag.STR)) {
        ShorthandRoute.read(file, scalar, tables, problems, shared).ifPresent(specs::add);
      } else {
        problems.add(
            Nodes.location(file, entry),
            "a route is a mapping or a string, not " + Nodes.kind(entry),
            "Write `- { to: 10.0.0.0/16, via: 172.31.64.1 }` or"
                + " `- \"10.0.0.0/16 via 172.31.64.1\"`.");
      }
    }
    return specs;
  }
}
