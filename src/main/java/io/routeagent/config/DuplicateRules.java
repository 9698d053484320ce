package io.routeagent.config;

import io.routeagent.net.IpPrefix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds rules that name the same kernel rule: route-agent identifies a rule by its family,
 * priority and selectors, so two such entries would fight over one rule. Marks compare as the
 * kernel stores them (fib_nl2rule): a mark without a mask has mask 0xffffffff, so "fwmark 0x10"
 * and "fwmark 0x10/0xffffffff" are one selector, as reconcile's RuleKey has it.
 */
final class DuplicateRules {
  private DuplicateRules() {}

  private record Key(int family, long priority, IpPrefix from, IpPrefix to, String iif, String oif,
      int fwmark, int fwmask) {}

  static void check(List<RuleSpec> rules, Problems problems) {
    Map<Key, RuleSpec> seen = new HashMap<>();
    for (RuleSpec rule : rules) {
      int mark = rule.fwmark().orElse(0);
      Key key = new Key(rule.family(), rule.priority(), rule.from(), rule.to(), rule.iif(), rule.oif(),
          mark, rule.fwmask().orElse(mark != 0 ? -1 : 0));
      RuleSpec first = seen.putIfAbsent(key, rule);
      if (first != null) {
        problems.add(rule.location(),
            "duplicate rule " + Quoted.of(rule.describe()) + ": the same priority and selectors are already"
                + " declared at " + first.location(),
            "Remove one, or give them different priorities.");
      }
    }
  }
}
