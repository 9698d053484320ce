package io.routeagent.config;

import io.routeagent.config.Policy.Content;
import io.routeagent.config.Policy.Flag;
import io.routeagent.config.Policy.Gateways;
import io.routeagent.config.Policy.Limit;
import io.routeagent.config.Policy.Range;
import io.routeagent.config.Policy.Rules;
import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads a policy file: one mapping {@code allow:} whose keys each limit one dimension. Every
 * problem is reported with its line and column, and an unknown key is one: a misspelt limit must
 * never leave a dimension open.
 */
final class PolicyReader {
  static final List<String> TOP_KEYS = List.of("allow");
  static final List<String> ALLOW_KEYS = List.of(
      "destinations", "gateways", "interfaces", "tables", "types", "rules", "override", "adopt");
  static final List<String> RULE_KEYS = List.of("priorities", "tables");
  private static final List<String> SELECTOR_KEYS = List.of("mac", "subnet");

  private static final String EXAMPLE =
      "See README.md, \"Running where users are not root\", for a policy to start from.";

  private final String file;
  private final TableNames tables;
  private final Problems problems;

  private PolicyReader(String file, TableNames tables, Problems problems) {
    this.file = file;
    this.tables = tables;
    this.problems = problems;
  }

  /** The policy in {@code text}, or empty after reporting its problems to {@code problems}. */
  static Optional<Content> read(String file, String text, TableNames tables, Problems problems) {
    Problems found = new Problems();
    Optional<Node> root = YamlReader.compose(file, text, found,
        "An empty policy is refused: write at least `allow: {}`. " + EXAMPLE);
    Optional<Content> content = root.flatMap(new PolicyReader(file, tables, found)::document);
    problems.addAll(found);
    return content;
  }

  private boolean ok = true;

  private void fail(Location at, String message, String hint) {
    problems.add(at, message, hint);
    ok = false;
  }

  private Location at(Node node) {
    return Nodes.location(file, node);
  }

  private Optional<Content> document(Node root) {
    if (!(root instanceof MappingNode map)) {
      fail(at(root), "the policy must be a mapping with an `allow:` key, not " + Nodes.kind(root), EXAMPLE);
      return Optional.empty();
    }
    Content content = null;
    for (Nodes.Entry entry : entries(map)) {
      if (entry.key().equals("allow")) {
        content = allow(entry);
      } else {
        unknown(entry, TOP_KEYS, "The top-level key of a policy is");
      }
    }
    if (content == null && ok) {
      fail(at(root), "there is no `allow:` key", EXAMPLE);
    }
    return ok ? Optional.ofNullable(content) : Optional.empty();
  }

  private Content allow(Nodes.Entry allow) {
    int allowLine = allow.keyLocation().line();
    if (!(allow.value() instanceof MappingNode map)) {
      boolean empty = isNull(allow.value());
      fail(at(allow.value()),
          empty ? "`allow` has no value" : "`allow` must be a mapping, not " + Nodes.kind(allow.value()),
          "Write `allow: {}` to allow no rules, no override and no adoption, and leave the rest open.");
      return null;
    }
    Limit<IpPrefix> destinations = null;
    Gateways gateways = null;
    Limit<DeviceSelector> interfaces = null;
    Limit<Range> tableLimit = null;
    Limit<RouteType> types = null;
    Rules rules = null;
    Flag override = new Flag(false, allowLine);
    Flag adopt = new Flag(false, allowLine);
    for (Nodes.Entry entry : entries(map)) {
      int line = entry.keyLocation().line();
      switch (entry.key()) {
        case "destinations" -> destinations = new Limit<>(flatList(entry, this::destinations), line);
        case "gateways" -> gateways = gateways(entry);
        case "interfaces" -> interfaces = new Limit<>(list(entry, this::selector), line);
        case "tables" -> tableLimit = new Limit<>(list(entry, n -> range(n, "table", true)), line);
        case "types" -> types = new Limit<>(list(entry, n -> Values.type(text(n))), line);
        case "rules" -> rules = rules(entry);
        case "override" -> override = new Flag(bool(entry), line);
        case "adopt" -> adopt = new Flag(bool(entry), line);
        default -> unknown(entry, ALLOW_KEYS, "The keys of `allow` are");
      }
    }
    return new Content(file, allowLine, destinations, gateways, interfaces, tableLimit, types, rules,
        override, adopt);
  }

  private List<IpPrefix> destinations(Node node) {
    String text = text(node);
    if (text.equals("default")) {
      return List.of(IpPrefix.defaultRoute(Family.INET), IpPrefix.defaultRoute(Family.INET6));
    }
    return List.of(Values.prefix(text));
  }

  private Gateways gateways(Nodes.Entry entry) {
    boolean subnetRouter = false;
    List<IpPrefix> prefixes = new ArrayList<>();
    for (Object value : list(entry, n -> {
      String text = text(n);
      if (text.equals("subnet-router")) {
        return (Object) Boolean.TRUE;
      }
      IpPrefix.Result result = IpPrefix.parse(text);
      if (!result.isOk()) {
        throw new BadValue(Quoted.of(text) + " is not a gateway range: " + result.error(),
            "Write subnet-router, an address, or a CIDR such as 172.31.0.0/16.");
      }
      return result.prefix();
    })) {
      if (value instanceof IpPrefix p) {
        prefixes.add(p);
      } else {
        subnetRouter = true;
      }
    }
    return new Gateways(prefixes, subnetRouter, entry.keyLocation().line());
  }

  /** An interface name, or a selector {@code { mac: ... }} or {@code { subnet: ... }}. */
  private DeviceSelector selector(Node node) {
    if (node instanceof MappingNode map) {
      List<Nodes.Entry> entries = entries(map);
      if (entries.size() != 1 || entries.size() != map.getValue().size()) {
        throw new BadValue("an interface selector has exactly one key, mac or subnet",
            "Write `{ mac: 0a:1b:2c:3d:4e:5f }` or `{ subnet: 172.31.0.0/16 }`.");
      }
      Nodes.Entry only = entries.get(0);
      return switch (only.key()) {
        case "mac" -> Values.mac(text(only.value()));
        case "subnet" -> Values.subnet(text(only.value()));
        default -> throw new BadValue("unknown key " + Quoted.of(only.key()) + " in an interface selector",
            Suggestions.hint(only.key(), SELECTOR_KEYS, "The keys of an interface selector are"));
      };
    }
    String text = text(node);
    if (text.startsWith(Values.MAC_PREFIX) || text.startsWith(Values.SUBNET_PREFIX)) {
      return Values.device(text);
    }
    return new DeviceSelector.Name(Values.interfaceName(text));
  }

  private Rules rules(Nodes.Entry entry) {
    int line = entry.keyLocation().line();
    if (isNull(entry.value())) {
      return new Rules(null, null, line);
    }
    if (!(entry.value() instanceof MappingNode map)) {
      fail(at(entry.value()), "`rules` must be a mapping, not " + Nodes.kind(entry.value()),
          "Write `rules: { priorities: 1000-1999, tables: [100-199] }`, or `rules: {}` for any rule.");
      return null;
    }
    Limit<Range> priorities = null;
    Limit<Range> ruleTables = null;
    for (Nodes.Entry e : entries(map)) {
      int at = e.keyLocation().line();
      switch (e.key()) {
        case "priorities" -> priorities = new Limit<>(list(e, n -> range(n, "priority", false)), at);
        case "tables" -> ruleTables = new Limit<>(list(e, n -> range(n, "table", true)), at);
        default -> unknown(e, RULE_KEYS, "The keys of `rules` are");
      }
    }
    return new Rules(priorities, ruleTables, line);
  }

  /**
   * A number, a range "LOW-HIGH", or (for tables) a name; a priority is never 0 (the kernel's
   * own rule), a table never 0 (RT_TABLE_UNSPEC).
   */
  private Range range(Node node, String what, boolean table) {
    String text = text(node);
    int dash = text.indexOf('-', 1);
    if (dash < 0 || (table && tables.lookup(text).isPresent())) {
      long n = table ? Values.table(text, tables) : Values.number(text, what, 1, Values.MAX_U32);
      return new Range(n, n);
    }
    long low = Values.number(text.substring(0, dash), what, 1, Values.MAX_U32);
    long high = Values.number(text.substring(dash + 1), what, 1, Values.MAX_U32);
    if (low > high) {
      throw new BadValue(what + " range " + Quoted.cut(text) + " is empty: " + low + " is above " + high,
          "Write the lower bound first, e.g. 100-199.");
    }
    return new Range(low, high);
  }

  private boolean bool(Nodes.Entry entry) {
    Node value = entry.value();
    if (value instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
      return s.getValue().toLowerCase(Locale.ROOT).equals("true");
    }
    fail(at(value), "`" + entry.key() + "` must be true or false, not " + Nodes.kind(value), null);
    return false;
  }

  /** A list of values, or one value standing for a list of one; each read by {@code item}. */
  private <T> List<T> list(Nodes.Entry entry, Function<Node, T> item) {
    return flatList(entry, n -> List.of(item.apply(n)));
  }

  private <T> List<T> flatList(Nodes.Entry entry, Function<Node, List<T>> item) {
    Node value = entry.value();
    if (isNull(value)) {
      fail(at(value), "`" + entry.key() + "` has no value",
          "List what is allowed, or write `[]` to allow nothing; omit the key to leave it open.");
      return List.of();
    }
    List<Node> items = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
    List<T> values = new ArrayList<>(items.size());
    for (Node node : items) {
      try {
        values.addAll(item.apply(node));
      } catch (BadValue e) {
        fail(at(node), e.getMessage(), e.hint());
      }
    }
    return values;
  }

  /** The text of a scalar item; a list or mapping where a word is expected is a bad value. */
  private static String text(Node node) {
    if (node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
      return s.getValue();
    }
    throw new BadValue("expected a single value here, not " + Nodes.kind(node), null);
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  private List<Nodes.Entry> entries(MappingNode map) {
    Problems before = new Problems();
    List<Nodes.Entry> entries = Nodes.entries(file, map, before);
    if (entries.size() < map.getValue().size()) {
      ok = false;
    }
    problems.addAll(before);
    return entries;
  }

  private void unknown(Nodes.Entry entry, List<String> valid, String intro) {
    fail(entry.keyLocation(), "unknown key " + Quoted.of(entry.key()), Suggestions.hint(entry.key(), valid, intro));
  }
}
