package io.routeagent.testing;

import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.RuleMessage;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which rule an RTM_DELRULE deletes, as the kernel decides it (net/core/fib_rules.c:
 * fib_nl_delrule, rule_find, and fib4_rule_compare / fib6_rule_compare): the first rule, in the
 * kernel's order (by priority, then by age), that matches every attribute the request gives. What
 * the request leaves out, or gives as 0, matches any value: so a delete of "blackhole priority 100"
 * can take "from 10.1.0.0/16 blackhole priority 100", or "fwmark 0x10 blackhole priority 100",
 * whichever comes first. The one model of it for {@link FakeKernel} and for the properties that
 * reason about the planner's deletes.
 */
public final class RuleFind {
  private RuleFind() {}

  /**
   * The rule {@code request} deletes among {@code rules}, in the order they were added; empty when
   * none matches (ENOENT).
   *
   * @param withoutProtocol a kernel before 4.17, which has no FRA_PROTOCOL to match on
   */
  public static Optional<RuleMessage> first(RuleMessage request, List<RuleMessage> rules, boolean withoutProtocol) {
    // min keeps the earliest of equals: the kernel inserts a rule after those of its priority.
    return rules.stream()
        .filter(r -> matches(request, r, withoutProtocol))
        .min(Comparator.comparingLong(RuleMessage::priority));
  }

  /** Whether a delete request for {@code q} matches the kernel's rule {@code r}. */
  public static boolean matches(RuleMessage q, RuleMessage r, boolean withoutProtocol) {
    return r.family() == q.family()
        && (q.priority() == 0 || r.priority() == q.priority()) // FRA_PRIORITY is not sent for 0
        && (q.action() == 0 || r.action() == q.action())
        && (q.table() == 0 || r.table() == q.table())
        && prefixMatches(q.source(), r.source())
        && prefixMatches(q.destination(), r.destination())
        && (q.inputInterface() == null || q.inputInterface().equals(r.inputInterface()))
        && (q.outputInterface() == null || q.outputInterface().equals(r.outputInterface()))
        && (q.fwmark().orElse(0) == 0 || r.fwmark().orElse(0) == q.fwmark().getAsInt())
        && (markMask(q) == 0 || markMask(r) == markMask(q))
        && (withoutProtocol || q.protocolOrUnspec() == 0 || r.protocolOrUnspec() == q.protocolOrUnspec());
  }

  /** A prefix of length 0 (or none) in the request matches any; else the same length and address. */
  private static boolean prefixMatches(IpPrefix requested, IpPrefix rule) {
    return requested == null || requested.length() == 0 || requested.equals(rule);
  }

  /** The kernel's mark_mask: FRA_FWMASK, else all ones for a mark that is not 0, else 0. */
  private static int markMask(RuleMessage rule) {
    OptionalInt mask = rule.fwmask();
    return mask.isPresent() ? mask.getAsInt() : rule.fwmark().orElse(0) != 0 ? -1 : 0;
  }
}
