package io.routeagent.reconcile;

import io.routeagent.netlink.RuleMessage;

/**
 * What the record of owned rules remembers of a rule the agent installed: its key (family,
 * priority, selectors) and what it does (table and action). The kernel keeps none of our marks on a
 * rule before 4.17, so a kernel rule with this identity is taken as the one we installed.
 *
 * @param table FRA_TABLE
 * @param action FR_ACT_*
 */
public record RuleIdentity(RuleKey key, long table, int action) {
  public static RuleIdentity of(RuleMessage rule) {
    return new RuleIdentity(RuleKey.of(rule), rule.table(), rule.action());
  }
}
