package io.routeagent.reconcile;

import io.routeagent.config.RuleSpec;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.RuleMessage;
import java.util.OptionalInt;

/**
 * How route-agent identifies a policy rule: family, priority and the selectors. The kernel keeps
 * any number of rules side by side, even identical ones, so this is our identity, not the kernel's;
 * the action and table are what a rule with this key should do.
 *
 * @param fwmark the mark, 0 when none (the kernel treats a zero mark as no mark)
 * @param fwmask the mask as the kernel stores it: 0xffffffff for a mark given without one
 */
public record RuleKey(
    int family, long priority, IpPrefix from, IpPrefix to, String iif, String oif, int fwmark, int fwmask) {

  public static RuleKey of(RuleSpec spec) {
    return of(spec.family(), spec.priority(), spec.from(), spec.to(), spec.iif(), spec.oif(), spec.fwmark(),
        spec.fwmask());
  }

  public static RuleKey of(RuleMessage rule) {
    return of(rule.family(), rule.priority(), rule.source(), rule.destination(), rule.inputInterface(),
        rule.outputInterface(), rule.fwmark(), rule.fwmask());
  }

  /** As fib_nl2rule: a nonzero mark without a mask gets mask 0xffffffff. */
  private static RuleKey of(int family, long priority, IpPrefix from, IpPrefix to, String iif, String oif,
      OptionalInt fwmark, OptionalInt fwmask) {
    int mark = fwmark.orElse(0);
    int mask = fwmask.orElse(mark != 0 ? -1 : 0);
    return new RuleKey(family, priority, from, to, iif, oif, mark, mask);
  }
}
