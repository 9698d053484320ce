package io.routeagent.config;

import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Reads a route written as a mapping: {@code { to: 10.0.0.0/16, via: 172.31.64.1 }}. */
final class MappingRoute {
  private MappingRoute() {}

  static Optional<RouteSpec> read(
      String file, MappingNode map, TableNames tables, Problems problems, SharedValues shared) {
    RouteDraft draft = new RouteDraft(Nodes.location(file, map), tables, problems, shared);
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
            "unknown key " + Quoted.of(entry.key()),
            Suggestions.hint(entry.key(), RouteField.KEYS, "The keys of a route are"));
        continue;
      }
      Location at = Nodes.location(file, entry.value());
      if (field.get() == RouteField.NEXTHOPS) {
        readNextHops(file, entry, problems, draft);
        continue;
      }
      if (field.get() == RouteField.DEV && entry.value() instanceof MappingNode selector) {
        readSelector(file, selector, problems, draft).ifPresent(d -> draft.setDevice(d, at));
        continue;
      }
      try {
        draft.set(field.get(), scalarText(field.get(), entry.value()), at);
      } catch (BadValue e) {
        draft.fail(at, e.getMessage(), e.hint());
      }
    }
    return draft.build();
  }

  private static final String HOP_HINT =
      "Write each next hop as a mapping such as `{ via: 172.31.64.1, dev: eth2, weight: 2 }`.";

  /** {@code nexthops: [ { via: ..., dev: ..., weight: N, onlink: true }, ... ]}. */
  private static void readNextHops(String file, Nodes.Entry entry, Problems problems, RouteDraft draft) {
    Location at = Nodes.location(file, entry.value());
    if (!(entry.value() instanceof SequenceNode list)) {
      draft.fail(at, "`nexthops` takes a list of next hops, not " + Nodes.kind(entry.value()), HOP_HINT);
      return;
    }
    draft.nextHops(entry.keyLocation());
    for (Node item : list.getValue()) {
      Location hopAt = Nodes.location(file, item);
      if (!(item instanceof MappingNode map)) {
        draft.fail(hopAt, "a next hop is a mapping, not " + Nodes.kind(item), HOP_HINT);
        continue;
      }
      RouteDraft.HopDraft hop = draft.addNextHop(hopAt);
      List<Nodes.Entry> entries = Nodes.entries(file, map, problems);
      if (entries.size() < map.getValue().size()) {
        draft.discard();
      }
      for (Nodes.Entry e : entries) {
        Optional<RouteField> field = RouteField.byKey(e.key()).filter(RouteField.HOP_FIELDS::contains);
        if (field.isEmpty()) {
          draft.fail(
              e.keyLocation(),
              "unknown key " + Quoted.of(e.key()) + " in a next hop",
              Suggestions.hint(e.key(), RouteField.HOP_KEYS, "The keys of a next hop are"));
          continue;
        }
        Location valueAt = Nodes.location(file, e.value());
        if (field.get() == RouteField.DEV && e.value() instanceof MappingNode selector) {
          readSelector(file, selector, problems, draft).ifPresent(d -> hop.setDevice(d, valueAt));
          continue;
        }
        try {
          hop.set(field.get(), scalarText(field.get(), e.value()), valueAt);
        } catch (BadValue bad) {
          draft.fail(valueAt, bad.getMessage(), bad.hint());
        }
      }
    }
  }

  private static final List<String> SELECTOR_KEYS = List.of("mac", "subnet");

  private static final String SELECTOR_HINT =
      "Write `dev: { mac: 0a:1b:2c:3d:4e:5f }` or `dev: { subnet: 172.31.0.0/16 }`, or an"
          + " interface name.";

  /**
   * A selector written {@code dev: { mac: 0a:1b:2c:3d:4e:5f }} or {@code dev: { subnet:
   * 172.31.0.0/16 }}: exactly one of the two keys. Empty after reporting its problems.
   */
  private static Optional<DeviceSelector> readSelector(
      String file, MappingNode map, Problems problems, RouteDraft draft) {
    Location at = Nodes.location(file, map);
    List<Nodes.Entry> entries = Nodes.entries(file, map, problems);
    if (entries.size() < map.getValue().size()) {
      draft.discard();
      return Optional.empty();
    }
    if (entries.isEmpty()) {
      draft.fail(at, "`dev` is an empty mapping", SELECTOR_HINT);
      return Optional.empty();
    }
    DeviceSelector selector = null;
    Nodes.Entry first = null;
    boolean bad = false;
    for (Nodes.Entry entry : entries) {
      if (!SELECTOR_KEYS.contains(entry.key())) {
        draft.fail(
            entry.keyLocation(),
            "unknown key " + Quoted.of(entry.key()) + " in `dev`",
            Suggestions.hint(entry.key(), SELECTOR_KEYS, "The keys of an interface selector are"));
        bad = true;
        continue;
      }
      if (first != null) {
        draft.fail(
            entry.keyLocation(),
            "`dev` takes one of `mac` and `subnet`, not both (`"
                + first.key()
                + "` at "
                + first.keyLocation()
                + ")",
            "Keep one: a route leaves by one interface.");
        bad = true;
        continue;
      }
      first = entry;
      Location valueAt = Nodes.location(file, entry.value());
      try {
        String text = selectorText(entry.key(), entry.value());
        selector = entry.key().equals("mac") ? Values.mac(text) : Values.subnet(text);
      } catch (BadValue e) {
        draft.fail(valueAt, e.getMessage(), e.hint());
        bad = true;
      }
    }
    return bad ? Optional.empty() : Optional.ofNullable(selector);
  }

  private static String selectorText(String key, Node value) {
    if (!(value instanceof ScalarNode scalar)) {
      throw new BadValue(
          "`" + key + "` takes a single value, not " + Nodes.kind(value),
          "Write one value after `" + key + ":`.");
    }
    if (scalar.getTag().equals(Tag.NULL)) {
      throw new BadValue("`" + key + "` has no value", SELECTOR_HINT);
    }
    if (!scalar.getTag().equals(Tag.STR)) {
      throw new BadValue(
          "`" + key + "` takes a string, not " + Nodes.kind(value) + " (" + Quoted.cut(scalar.getValue()) + ")",
          SELECTOR_HINT);
    }
    return scalar.getValue();
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
          case LIST -> false;
        };
    if (fits) {
      return scalar.getValue();
    }
    // A plain scalar that resolves to no other type (0x10, 1_000, +5) is a string to YAML but was
    // not written as one: "a string" and "remove the quotes" would describe what is not there.
    boolean quoted = scalar.getScalarStyle() != ScalarStyle.PLAIN;
    String given = text && !quoted ? "`" + Quoted.cut(scalar.getValue()) + "`"
        : Nodes.kind(value) + " (" + Quoted.cut(scalar.getValue()) + ")";
    throw switch (field.kind) {
      case TEXT ->
          new BadValue(
              key + " takes a string, not " + given,
              "Put the value in quotes if it is meant as text.");
      case TEXT_OR_NUMBER ->
          new BadValue(
              key + " takes a name or a whole number, not " + given,
              "Write a decimal number, or a name in quotes.");
      case NUMBER ->
          new BadValue(
              key + " takes a whole number, not " + given,
              text && quoted ? "Remove the quotes." : "Write a decimal number.");
      case FLAG ->
          new BadValue(
              key + " takes true or false, not " + given,
              "Write `" + field.key + ": true` or `" + field.key + ": false`, without quotes.");
      case LIST -> new BadValue(key + " takes a list, not " + given, HOP_HINT);
    };
  }
}
