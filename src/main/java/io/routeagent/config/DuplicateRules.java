package io.routeagent.config;

import io.routeagent.net.IpPrefix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Finds rules that name the same kernel rule: route-agent identifies a rule by its family,
 * priority and selectors, so two such entries would fight over one rule.
 */
final class DuplicateRules {
  private DuplicateRules() {}

  private record Key(int family, long priority, IpPrefix from, IpPrefix to, String iif, String oif,
      OptionalInt fwmark, OptionalInt fwmask) {}

  static void check(List<RuleSpec> rules, Problems problems) {
    Map<Key, RuleSpec> seen = new HashMap<>();
    for (RuleSpec rule : rules) {
      Key key = new Key(rule.family(), rule.priority(), rule.from(), rule.to(), rule.iif(), rule.oif(),
          rule.fwmark(), rule.fwmask());
      RuleSpec first = seen.putIfAbsent(key, rule);
      if (first != null) {
        problems.add(rule.location(),
            "duplicate rule \"" + rule.describe() + "\": the same priority and selectors are already"
                + " declared at " + first.location(),
            "Remove one, or give them different priorities.");
      }
    }
  }
}
