package io.routeagent.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Small helpers over snakeyaml's node tree. */
final class Nodes {
  private Nodes() {}

  /** A key of a mapping and its value. */
  record Entry(String key, Location keyLocation, Node value) {}

  static Location location(String file, Node node) {
    return YamlErrors.location(
        file,
        node.getStartMark().orElseThrow(() -> new IllegalStateException("marks are enabled")));
  }

  /**
   * The entries of a mapping, after reporting keys that are not scalars and keys given twice
   * (snakeyaml checks duplicates only when it builds Java maps, which we never ask it to do).
   */
  static List<Entry> entries(String file, MappingNode map, Problems problems) {
    List<Entry> entries = new ArrayList<>(map.getValue().size());
    Map<String, Location> seen = new HashMap<>();
    for (NodeTuple tuple : map.getValue()) {
      Node keyNode = tuple.getKeyNode();
      Location at = location(file, keyNode);
      if (!(keyNode instanceof ScalarNode scalar)) {
        problems.add(at, "a key must be a single word, not " + kind(keyNode), null);
        continue;
      }
      Location first = seen.putIfAbsent(scalar.getValue(), at);
      if (first != null) {
        problems.add(
            at,
            "duplicate key " + Quoted.of(scalar.getValue()) + " (first given at " + first + ")",
            "Keep only one of them.");
        continue;
      }
      entries.add(new Entry(scalar.getValue(), at, tuple.getValueNode()));
    }
    return entries;
  }

  /** What a node is, for messages: "a list", "a number", ... */
  static String kind(Node node) {
    return switch (node.getNodeType()) {
      case MAPPING -> "a mapping";
      case SEQUENCE -> "a list";
      case SCALAR -> scalarKind(node.getTag());
      case ANCHOR -> "an anchor";
    };
  }

  private static String scalarKind(Tag tag) {
    if (tag.equals(Tag.STR)) {
      return "a string";
    }
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      return "a number";
    }
    if (tag.equals(Tag.BOOL)) {
      return "true/false";
    }
    if (tag.equals(Tag.NULL)) {
      return "an empty value";
    }
    return "a value tagged " + Quoted.cut(tag.getValue()); // the tag is the user's text too
  }
}
