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
 * <p>Kernels before 4.17 neither keep nor report FRA_PROTOCOL ({@link #lacksProtocol}): there a
 * rule is also ours when its identity (key, table, action) is in the record of the rules we
 * installed ({@link OwnedRules}), and the plan carries that record, trimmed to the rules that
 * still exist, for the reconciler to bring up to date. A record never claims a rule in
 * ec2-net-utils' priorities, which the routes file cannot declare.
 */
public final class RulePlanner {
  private static final Set<Long> KERNEL_PRIORITIES = Set.of(0L, 32766L, 32767L);

  private final int protocol;

  RulePlanner(int protocol) {
    this.protocol = protocol;
  }

  /**
   * True when the dump shows a kernel that does not keep FRA_PROTOCOL (before 4.17): no rule carries
   * the attribute. From 4.17 every dumped rule carries it, the kernel's own rules with protocol
   * kernel, so one is enough; an empty dump (every rule deleted) tells nothing and counts as support.
   */
  public static boolean lacksProtocol(List<RuleMessage> kernel) {
    return !kernel.isEmpty() && kernel.stream().noneMatch(r -> r.protocol().isPresent());
  }

  RulePlan plan(List<RuleSpec> desired, List<RuleMessage> kernel) {
    return plan(desired, kernel, OwnedRules.EMPTY);
  }

  /**
   * @param record the rules we installed, as recorded; consulted only when the kernel lacks
   *     FRA_PROTOCOL
   */
  RulePlan plan(List<RuleSpec> desired, List<RuleMessage> kernel, OwnedRules record) {
    boolean lacksProtocol = lacksProtocol(kernel);
    Set<RuleIdentity> present = new HashSet<>();
    Map<RuleKey, List<RuleMessage>> actual = new LinkedHashMap<>();
    for (RuleMessage rule : kernel) {
      if (isJudged(rule)) {
        actual.computeIfAbsent(RuleKey.of(rule), k -> new ArrayList<>()).add(rule);
        present.add(RuleIdentity.of(rule));
      }
    }
    // A recorded rule that no longer exists is forgotten.
    OwnedRules owned = lacksProtocol
        ? OwnedRules.of(record.rules().stream().filter(present::contains).toList())
        : OwnedRules.EMPTY;
    Ownership ours = new Ownership(protocol, owned);
    List<RuleStatus> statuses = new ArrayList<>(desired.size());
    List<RuleChange> changes = new ArrayList<>();
    Set<RuleKey> desiredKeys = new HashSet<>();
    for (RuleSpec spec : desired) {
      RuleKey key = RuleKey.of(spec);
      desiredKeys.add(key);
      RuleMessage wanted = message(spec);
      List<RuleMessage> found = actual.getOrDefault(key, List.of());
      if (found.isEmpty()) {
        statuses.add(new RuleStatus(spec, RuleState.MISSING, "not among the kernel's rules"));
        changes.add(new RuleChange(Change.Op.ADD, wanted, List.of(), spec, spec.describe(), null));
        continue;
      }
      List<RuleMessage> others = found.stream().filter(r -> !ours.same(r, wanted)).toList();
      if (others.isEmpty()) {
        statuses.add(new RuleStatus(spec, RuleState.INSTALLED, null));
        continue;
      }
      String difference = "kernel has " + String.join("; ", others.stream().map(ours::difference).toList());
      statuses.add(new RuleStatus(spec, RuleState.DRIFTED, difference));
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
      if (isJudged(rule) && ours.owns(rule) && !desiredKeys.contains(RuleKey.of(rule))) {
        changes.add(new RuleChange(Change.Op.DELETE, rule, List.of(), null, describe(rule),
            "no longer in the routes file"));
      }
    }
    return new RulePlan(statuses, changes, lacksProtocol, owned);
  }

  /** A rule route-agent may own: not the kernel's, and with no selector the file cannot express. */
  public static boolean isJudged(RuleMessage rule) {
    return !rule.otherSelectors()
        && rule.protocolOrUnspec() != Rtnetlink.RTPROT_KERNEL
        && !KERNEL_PRIORITIES.contains(rule.priority());
  }

  /** Which kernel rules are ours: those with our protocol, or in the record of what we installed. */
  private record Ownership(int protocol, OwnedRules record) {
    boolean owns(RuleMessage rule) {
      return rule.protocolOrUnspec() == protocol
          || (!RuleSpec.isEc2NetUtils(rule.priority()) && record.contains(RuleIdentity.of(rule)));
    }

    boolean same(RuleMessage found, RuleMessage wanted) {
      return owns(found) && found.action() == wanted.action() && found.table() == wanted.table();
    }

    String difference(RuleMessage found) {
      List<String> parts = new ArrayList<>();
      if (!owns(found)) {
        parts.add(found.protocol().isPresent()
            ? "proto " + RouteText.protocolName(found.protocolOrUnspec())
            : "not in the record of owned rules");
      }
      parts.add(found.action() == FibRules.FR_ACT_TO_TBL ? "lookup " + found.table() : actionName(found.action()));
      return String.join(", ", parts);
    }
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
