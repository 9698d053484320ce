package io.routeagent.config;

import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.net.InetAddress;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routes that could cut a notebook off its own service are refused unless the entry says {@code
 * override: true}: a default route, a destination containing the metadata service, a destination
 * equal to or inside a directly connected subnet. They are guarded in the main table and in every
 * table that a lookup rule of the file sends the notebook's ordinary traffic to (see {@link
 * #confines}); a table reached only through a rule that confines its traffic (say {@code from
 * 172.31.64.0/20}) may hold a default route: that is what policy routing is for.
 *
 * <p>Hazards met on the way, so that they stay closed: a rule {@code from all lookup 66 priority
 * 1} made table 66 the notebook's table, with no guard; {@code fwmark 0} (mask 0) and {@code
 * fwmark 0/0xffffffff} select every unmarked packet; {@code iif lo} selects every packet the
 * notebook sends; a {@code to} containing 169.254.169.254 takes the metadata service's packets.
 */
public final class GuardRails {
  private GuardRails() {}

  static final String OVERRIDE_HINT =
      "If that is what you want, add `override: true` to the entry (or the word `override` to a"
          + " one-line route).";

  /** The instance metadata service: 169.254.169.254 and, on Nitro instances, fd00:ec2::254. */
  private static final List<InetAddress> METADATA =
      List.of(
          IpAddresses.parse("169.254.169.254").orElseThrow(),
          IpAddresses.parse("fd00:ec2::254").orElseThrow());

  private static final Set<RouteType> BLOCKING =
      EnumSet.of(RouteType.PROHIBIT, RouteType.BLACKHOLE, RouteType.UNREACHABLE);

  /** The input interface of the packets the host itself sends. */
  private static final String LOOPBACK = "lo";

  /**
   * The tables other than main that the rules send the notebook's ordinary traffic to, each with
   * the first such rule (for messages), in the rules' order. Their routes are guarded as the main
   * table's are.
   */
  public static Map<Long, RuleSpec> exposedTables(List<RuleSpec> rules) {
    Map<Long, RuleSpec> exposed = new LinkedHashMap<>();
    for (RuleSpec rule : rules) {
      if (rule.action() == RuleAction.LOOKUP && rule.table() != RouteSpec.TABLE_MAIN && !confines(rule)) {
        exposed.putIfAbsent(rule.table(), rule);
      }
    }
    return exposed;
  }

  /**
   * Whether the rule leaves the notebook's ordinary traffic alone: it selects by source ({@code
   * from}, not all), by a destination that does not contain the metadata service, by an input
   * interface other than {@code lo}, by an output interface, or by marked packets only (a mark
   * with bits under its mask). {@code from all}, {@code iif lo}, {@code fwmark 0} and a {@code to}
   * holding 169.254.169.254 confine nothing that matters here.
   */
  static boolean confines(RuleSpec rule) {
    return confinesTraffic(rule) || (rule.to() != null && METADATA.stream().noneMatch(rule.to()::contains));
  }

  /** Whether the rule confines the traffic it takes by anything but its destination. */
  private static boolean confinesTraffic(RuleSpec rule) {
    if (rule.from() != null || rule.oif() != null) {
      return true;
    }
    if (rule.iif() != null && !rule.iif().equals(LOOPBACK)) {
      return true;
    }
    if (rule.fwmark().isPresent()) {
      int mark = rule.fwmark().getAsInt();
      // As the kernel reads FRA_FWMARK without FRA_FWMASK (fib_nl2rule): mask all bits unless 0.
      int mask = rule.fwmask().orElse(mark != 0 ? -1 : 0);
      return (mark & mask) != 0;
    }
    return false;
  }

  /**
   * Why a rule is refused on its own: one that confines nothing and drops what it selects would cut
   * the notebook off everything. Blocking the metadata service alone ({@code to 169.254.169.254
   * prohibit}) is the deliberate exception, as for routes.
   */
  static Optional<String> ruleConflict(RuleSpec rule) {
    if (rule.action() == RuleAction.LOOKUP || confines(rule)) {
      return Optional.empty();
    }
    if (rule.to() != null && rule.to().isHost() && METADATA.contains(rule.to().address())) {
      return Optional.empty();
    }
    String what = rule.to() == null
        ? "all the notebook's traffic"
        : "the notebook's traffic to " + rule.to() + ", the instance metadata service's included";
    return Optional.of("the rule \"" + rule.describe() + "\" drops " + what
        + ": it would cut the notebook off its service");
  }

  /**
   * Why {@code rule} may not be installed next to these directly connected subnets: a rule that
   * takes the notebook's own traffic to a destination overlapping one of them anywhere but the
   * main table (a {@code blackhole} for the gateway, a lookup in a table of its own) would take
   * local traffic off its link, as a route there would. A rule has no override: a route says the
   * same with {@code override: true}. Checked when planning, because the connected subnets are the
   * kernel's.
   */
  public static Optional<String> ruleConnectedConflict(RuleSpec rule, Collection<IpPrefix> connectedSubnets) {
    if (rule.to() == null || confinesTraffic(rule)
        || (rule.action() == RuleAction.LOOKUP && rule.table() == RouteSpec.TABLE_MAIN)) {
      return Optional.empty();
    }
    if (rule.action() != RuleAction.LOOKUP && rule.to().isHost() && METADATA.contains(rule.to().address())) {
      return Optional.empty();
    }
    for (IpPrefix subnet : connectedSubnets) {
      // A rule comes before main, so a wider destination takes the subnet too: any overlap counts.
      if (subnet.contains(rule.to()) || rule.to().contains(subnet)) {
        String relation = subnet.equals(rule.to()) ? " is"
            : subnet.contains(rule.to()) ? " lies inside" : " contains";
        return Optional.of("the rule \"" + rule.describe() + "\" takes the notebook's traffic to " + rule.to()
            + ", which" + relation + " the directly connected subnet " + subnet + ", off its link. Narrow"
            + " it to leave the subnet alone, or declare a route instead (a route can say `override: true`)");
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code spec} may not be installed next to these directly connected subnets: a destination
   * equal to or inside one of them, in the main table or a table in {@code exposed}, would take
   * local traffic off its link. A wider prefix is fine, since the connected route stays more
   * specific. Checked when planning, because the connected subnets are the kernel's.
   *
   * @param exposed the tables the rules send ordinary traffic to: {@link #exposedTables}
   * @return the reason, with how to pass on purpose; empty when the route may be installed
   */
  public static Optional<String> connectedConflict(
      RouteSpec spec, Collection<IpPrefix> connectedSubnets, Map<Long, RuleSpec> exposed) {
    if (!guarded(spec, exposed) || exempt(spec)) {
      return Optional.empty();
    }
    for (IpPrefix subnet : connectedSubnets) {
      if (subnet.contains(spec.to())) {
        String relation = subnet.equals(spec.to()) ? " is" : " lies inside";
        return Optional.of(
            spec.to()
                + inTable(spec, exposed)
                + relation
                + " the directly connected subnet "
                + subnet
                + ": the route would take local traffic off its link. "
                + OVERRIDE_HINT);
      }
    }
    return Optional.empty();
  }

  /** As {@link #connectedConflict(RouteSpec, Collection, Map)} with the main table alone guarded. */
  public static Optional<String> connectedConflict(RouteSpec spec, Collection<IpPrefix> connectedSubnets) {
    return connectedConflict(spec, connectedSubnets, Map.of());
  }

  /**
   * Why a main-table {@code spec} is refused whatever the kernel holds: a default route, or a
   * destination containing the metadata service. Routes of other tables wait for {@link
   * #checkExposedTables}, once every rule is known.
   */
  static Optional<String> staticConflict(RouteSpec spec) {
    return spec.table() == RouteSpec.TABLE_MAIN ? serviceConflict(spec, Map.of()) : Optional.empty();
  }

  /**
   * Reports, at the route's entry, each route of a table in {@link #exposedTables} that the main
   * table's guard rails would refuse: the rule makes that table the notebook's own.
   */
  static void checkExposedTables(List<RouteSpec> routes, List<RuleSpec> rules, Problems problems) {
    Map<Long, RuleSpec> exposed = exposedTables(rules);
    if (exposed.isEmpty()) {
      return;
    }
    for (RouteSpec spec : routes) {
      if (exposed.containsKey(spec.table())) {
        serviceConflict(spec, exposed).ifPresent(why -> problems.add(spec.location(), why, OVERRIDE_HINT));
      }
    }
  }

  private static Optional<String> serviceConflict(RouteSpec spec, Map<Long, RuleSpec> exposed) {
    if (exempt(spec)) {
      return Optional.empty();
    }
    if (spec.to().isDefault()) {
      String table = spec.table() == RouteSpec.TABLE_MAIN ? " in the main table" : inTable(spec, exposed);
      return Optional.of(
          "a default route" + table + " would compete with the notebook's own default route"
              + " and could cut it off its service");
    }
    for (InetAddress metadata : METADATA) {
      if (spec.to().contains(metadata)) {
        return Optional.of(
            spec.to()
                + inTable(spec, exposed)
                + " contains the instance metadata service "
                + IpAddresses.format(metadata)
                + ": routing it elsewhere would cut the notebook off its instance metadata"
                + " (credentials, identity)");
      }
    }
    return Optional.empty();
  }

  private static boolean guarded(RouteSpec spec, Map<Long, RuleSpec> exposed) {
    return spec.table() == RouteSpec.TABLE_MAIN || exposed.containsKey(spec.table());
  }

  /** "" for the main table; else which rule sends all traffic to the route's table. */
  private static String inTable(RouteSpec spec, Map<Long, RuleSpec> exposed) {
    RuleSpec rule = exposed.get(spec.table());
    if (spec.table() == RouteSpec.TABLE_MAIN || rule == null) {
      return "";
    }
    return " in table " + spec.table() + ", which the rule \"" + rule.describe() + "\" at "
        + rule.location() + " sends all traffic to,";
  }

  private static boolean exempt(RouteSpec spec) {
    return spec.override() || blocksMetadata(spec);
  }

  /** Blocking the metadata service itself, and nothing else, is a deliberate choice. */
  private static boolean blocksMetadata(RouteSpec spec) {
    return BLOCKING.contains(spec.type())
        && spec.to().isHost()
        && METADATA.contains(spec.to().address());
  }
}
