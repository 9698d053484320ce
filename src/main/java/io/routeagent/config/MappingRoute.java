package io.routeagent.config;

import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Reads a route written as a mapping: {@code { to: 10.0.0.0/16, via: 172.31.64.1 }}. */
final class MappingRoute {
  private MappingRoute() {}

  static Optional<RouteSpec> read(
      String file, MappingNode map, TableNames tables, Problems problems) {
    RouteDraft draft = new RouteDraft(Nodes.location(file, map), tables, problems);
    List<Nodes.Entry> entries = Nodes.entries(file, map, problems);
    if (entries.size() < map.getValue().size()) {
      // A key was refused (given twice, or not a word) and reported: the rest is not the route.
      draft.discard();
    }
    for (Nodes.Entry entry : entries) {
      Optional<RouteField> field = RouteField.byKey(entry.key());
      if (field.isEmpty()) {
        draft.fail(
            entry.keyLocation(),
            "unknown key \"" + entry.key() + "\"",
            Suggestions.hint(entry.key(), RouteField.KEYS, "The keys of a route are"));
        continue;
      }
      Location at = Nodes.location(file, entry.value());
      try {
        draft.set(field.get(), scalarText(field.get(), entry.value()), at);
      } catch (BadValue e) {
        draft.fail(at, e.getMessage(), e.hint());
      }
    }
    return draft.build();
  }

  /**
   * The text of a value whose YAML type suits the field. Types are not coerced: `dev: 123` or
   * `onlink: "yes"` is more likely a mistake than a wish, so it is refused with a way out.
   */
  private static String scalarText(RouteField field, Node value) {
    String key = "`" + field.key + "`";
    if (!(value instanceof ScalarNode scalar)) {
      throw new BadValue(
          key + " takes a single value, not " + Nodes.kind(value),
          "Write one value after `" + field.key + ":`.");
    }
    Tag tag = scalar.getTag();
    if (tag.equals(Tag.NULL)) {
      throw new BadValue(key + " has no value", "Give it a value, or remove the key.");
    }
    boolean text = tag.equals(Tag.STR);
    boolean number = tag.equals(Tag.INT);
    boolean fits =
        switch (field.kind) {
          case TEXT -> text;
          case NUMBER -> number;
          case TEXT_OR_NUMBER -> text || number;
          case FLAG -> tag.equals(Tag.BOOL);
        };
    if (fits) {
      return scalar.getValue();
    }
    String given = Nodes.kind(value) + " (" + scalar.getValue() + ")";
    throw switch (field.kind) {
      case TEXT, TEXT_OR_NUMBER ->
          new BadValue(
              key + " takes a string, not " + given,
              "Put the value in quotes if it is meant as text.");
      case NUMBER ->
          new BadValue(
              key + " takes a whole number, not " + given,
              text ? "Remove the quotes." : "Write a decimal number.");
      case FLAG ->
          new BadValue(
              key + " takes true or false, not " + given,
              "Write `" + field.key + ": true` or `" + field.key + ": false`, without quotes.");
    };
  }
}
