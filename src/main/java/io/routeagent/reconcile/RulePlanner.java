package io.routeagent.reconcile;

import io.routeagent.config.RuleAction;
import io.routeagent.config.RuleSpec;
import io.routeagent.netlink.FibRules;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.netlink.RuleMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Desired rules + the kernel's rules → the rules' states and the changes that converge them. Pure.
 *
 * <p>Ownership is FRA_PROTOCOL: only rules carrying our protocol are pruned. A kernel rule with a
 * desired key but another action, table or owner is deleted and the desired rule added (adopted).
 * Never judged, so never touched: the kernel's own rules (protocol kernel, and priorities 0, 32766
 * and 32767 whatever their protocol, since kernels before 4.17 report none), and rules with
 * selectors the routes file cannot express.
 *
 * <p>Not done: kernels before 4.17 neither keep nor report FRA_PROTOCOL, so there every rule reads
 * as protocol 0 and nothing is recognised as ours: desired rules are still added and adopted, but
 * a rule dropped from the file is not pruned. A record of owned rules in a state directory would
 * close that gap.
 */
public final class RulePlanner {
  private static final Set<Long> KERNEL_PRIORITIES = Set.of(0L, 32766L, 32767L);

  private final int protocol;

  RulePlanner(int protocol) {
    this.protocol = protocol;
  }

  RulePlan plan(List<RuleSpec> desired, List<RuleMessage> kernel) {
    Map<RuleKey, List<RuleMessage>> actual = new LinkedHashMap<>();
    for (RuleMessage rule : kernel) {
      if (isJudged(rule)) {
        actual.computeIfAbsent(RuleKey.of(rule), k -> new ArrayList<>()).add(rule);
      }
    }
    List<RuleStatus> statuses = new ArrayList<>(desired.size());
    List<RuleChange> changes = new ArrayList<>();
    Set<RuleKey> desiredKeys = new HashSet<>();
    for (RuleSpec spec : desired) {
      RuleKey key = RuleKey.of(spec);
      desiredKeys.add(key);
      RuleMessage wanted = message(spec);
      List<RuleMessage> found = actual.getOrDefault(key, List.of());
      if (found.isEmpty()) {
        statuses.add(new RuleStatus(spec, RouteState.MISSING, null));
        changes.add(new RuleChange(Change.Op.ADD, wanted, List.of(), spec, spec.describe(), null));
        continue;
      }
      List<RuleMessage> others = found.stream().filter(r -> !same(r, wanted)).toList();
      if (others.isEmpty()) {
        statuses.add(new RuleStatus(spec, RouteState.INSTALLED, null));
        continue;
      }
      String difference = "kernel has " + String.join("; ", others.stream().map(this::difference).toList());
      statuses.add(new RuleStatus(spec, RouteState.DRIFTED, difference));
      // An exact rule already in place stays; the add would then fail with EEXIST.
      List<RuleMessage> superseded = others.size() < found.size() ? others : found;
      if (others.size() < found.size()) {
        superseded.forEach(old -> changes.add(new RuleChange(
            Change.Op.DELETE, old, List.of(), spec, spec.describe(), difference)));
      } else {
        changes.add(new RuleChange(Change.Op.REPLACE, wanted, found, spec, spec.describe(), difference));
      }
    }
    for (RuleMessage rule : kernel) {
      if (rule.protocol() == protocol && isJudged(rule) && !desiredKeys.contains(RuleKey.of(rule))) {
        changes.add(new RuleChange(Change.Op.DELETE, rule, List.of(), null, describe(rule),
            "no longer in the routes file"));
      }
    }
    return new RulePlan(statuses, changes);
  }

  /** A rule route-agent may own: not the kernel's, and with no selector the file cannot express. */
  public static boolean isJudged(RuleMessage rule) {
    return !rule.otherSelectors()
        && rule.protocol() != Rtnetlink.RTPROT_KERNEL
        && !KERNEL_PRIORITIES.contains(rule.priority());
  }

  private boolean same(RuleMessage found, RuleMessage wanted) {
    return found.protocol() == protocol && found.action() == wanted.action() && found.table() == wanted.table();
  }

  private String difference(RuleMessage found) {
    List<String> parts = new ArrayList<>();
    if (found.protocol() != protocol) {
      parts.add("proto " + RouteText.protocolName(found.protocol()));
    }
    parts.add(found.action() == FibRules.FR_ACT_TO_TBL ? "lookup " + found.table() : actionName(found.action()));
    return String.join(", ", parts);
  }

  RuleMessage message(RuleSpec spec) {
    return new RuleMessage(spec.family(), spec.from(), spec.to(), spec.table(), action(spec.action()), 0,
        spec.iif(), spec.oif(), spec.fwmark(), spec.fwmask(), spec.priority(), protocol, false);
  }

  static int action(RuleAction action) {
    return switch (action) {
      case LOOKUP -> FibRules.FR_ACT_TO_TBL;
      case BLACKHOLE -> FibRules.FR_ACT_BLACKHOLE;
      case UNREACHABLE -> FibRules.FR_ACT_UNREACHABLE;
      case PROHIBIT -> FibRules.FR_ACT_PROHIBIT;
    };
  }

  static String actionName(int action) {
    return switch (action) {
      case FibRules.FR_ACT_TO_TBL -> "lookup";
      case FibRules.FR_ACT_GOTO -> "goto";
      case FibRules.FR_ACT_NOP -> "nop";
      case FibRules.FR_ACT_BLACKHOLE -> "blackhole";
      case FibRules.FR_ACT_UNREACHABLE -> "unreachable";
      case FibRules.FR_ACT_PROHIBIT -> "prohibit";
      default -> "action " + action;
    };
  }

  /** A kernel rule in the routes file's words, as a desired one is described. */
  public static String describe(RuleMessage rule) {
    return RuleSpec.words(rule.family(), rule.source(), rule.destination(), rule.inputInterface(),
        rule.outputInterface(), rule.fwmark(), rule.fwmask(), actionName(rule.action()), rule.table(),
        rule.priority());
  }
}
