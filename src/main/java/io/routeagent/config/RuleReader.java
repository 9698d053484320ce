package io.routeagent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads the {@code rules:} list: each rule a mapping ({@code { from: 172.31.64.0/20, table: 100,
 * priority: 1000 }}) or a string in {@code ip rule} words ({@code "from 172.31.64.0/20 lookup 100
 * priority 1000"}, also {@code pref}, {@code dev}, and a bare action such as {@code prohibit}).
 */
final class RuleReader {
  private final String file;
  private final TableNames tables;
  private final Problems problems;

  RuleReader(String file, TableNames tables, Problems problems) {
    this.file = file;
    this.tables = tables;
    this.problems = problems;
  }

  List<RuleSpec> read(Node rules) {
    if (!(rules instanceof SequenceNode list)) {
      boolean empty = rules instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
      problems.add(
          Nodes.location(file, rules),
          empty ? "`rules` has no value" : "`rules` must be a list, not " + Nodes.kind(rules),
          "Start each rule with \"- \" on its own line under `rules:`, or write `rules: []`.");
      return List.of();
    }
    List<RuleSpec> specs = new ArrayList<>(list.getValue().size());
    for (Node entry : list.getValue()) {
      Optional<RuleSpec> rule;
      if (entry instanceof MappingNode map) {
        rule = mapping(map);
      } else if (entry instanceof ScalarNode scalar && scalar.getTag().equals(Tag.STR)) {
        rule = oneLine(scalar);
      } else {
        problems.add(
            Nodes.location(file, entry),
            "a rule is a mapping or a string, not " + Nodes.kind(entry),
            "Write `- { from: 172.31.64.0/20, table: 100, priority: 1000 }` or"
                + " `- \"from 172.31.64.0/20 lookup 100 priority 1000\"`.");
        rule = Optional.empty();
      }
      rule.ifPresent(specs::add);
    }
    return specs;
  }

  private Optional<RuleSpec> mapping(MappingNode map) {
    RuleDraft draft = new RuleDraft(Nodes.location(file, map), tables, problems);
    List<Nodes.Entry> entries = Nodes.entries(file, map, problems);
    if (entries.size() < map.getValue().size()) {
      draft.discard();
    }
    for (Nodes.Entry entry : entries) {
      Optional<RuleDraft.Key> key = RuleDraft.Key.byKey(entry.key(), false);
      if (key.isEmpty()) {
        draft.fail(entry.keyLocation(), "unknown key " + Quoted.of(entry.key()),
            Suggestions.hint(entry.key(), RuleDraft.Key.KEYS, "The keys of a rule are"));
        continue;
      }
      Location at = Nodes.location(file, entry.value());
      Node value = entry.value();
      boolean scalar = value instanceof ScalarNode s
          && (s.getTag().equals(Tag.STR) || s.getTag().equals(Tag.INT));
      if (!scalar) {
        draft.fail(at, "`" + entry.key() + "` takes a single value, not " + Nodes.kind(value),
            "Write one value after `" + entry.key() + ":`.");
        continue;
      }
      draft.set(key.get(), ((ScalarNode) value).getValue(), at);
    }
    return draft.build();
  }

  private Optional<RuleSpec> oneLine(ScalarNode node) {
    ShorthandRoute.Locator locator = ShorthandRoute.Locator.of(file, node);
    List<ShorthandRoute.Word> words = ShorthandRoute.split(node.getValue());
    RuleDraft draft = new RuleDraft(locator.start(), tables, problems);
    for (int i = 0; i < words.size(); i++) {
      ShorthandRoute.Word word = words.get(i);
      if (RuleAction.fromKeyword(word.text()).filter(a -> a != RuleAction.LOOKUP).isPresent()) {
        draft.set(RuleDraft.Key.ACTION, word.text(), locator.at(word));
        continue;
      }
      Optional<RuleDraft.Key> key = RuleDraft.Key.byKey(word.text(), true).filter(k -> k != RuleDraft.Key.ACTION);
      if (key.isEmpty()) {
        draft.fail(locator.at(word), "unknown word " + Quoted.of(word.text()),
            "A rule takes from, to, iif, oif, fwmark, lookup (or table), priority (or pref), family,"
                + " and blackhole, unreachable or prohibit.");
        break;
      }
      if (i + 1 >= words.size()) {
        draft.fail(locator.at(word), "`" + word.text() + "` needs a value after it",
            "Write `" + word.text() + " VALUE`.");
        break;
      }
      ShorthandRoute.Word value = words.get(++i);
      draft.set(key.get(), value.text(), locator.at(value));
    }
    return draft.build();
  }
}
