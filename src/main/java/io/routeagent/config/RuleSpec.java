package io.routeagent.config;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import java.util.OptionalInt;

/**
 * One validated policy rule of the routes file, with {@code ip rule} semantics.
 *
 * @param location where the entry starts, for messages
 * @param family AF_INET or AF_INET6: from the addresses, else as given, else IPv4 (as ip rule)
 * @param from the source selector (FRA_SRC), or null for all (a /0 is read as all, as the kernel
 *     sends no FRA_SRC for it)
 * @param to the destination selector (FRA_DST), or null for all
 * @param iif the input interface (FRA_IIFNAME), or null
 * @param oif the output interface (FRA_OIFNAME), or null
 * @param fwmark FRA_FWMARK when given (u32 bits)
 * @param fwmask FRA_FWMASK when given with the mark (u32 bits)
 * @param priority FRA_PRIORITY, the rule's identity with the selectors (u32, never 0)
 * @param action what the rule does
 * @param table the table a lookup rule consults; 0 for the other actions
 */
public record RuleSpec(
    Location location,
    int family,
    IpPrefix from,
    IpPrefix to,
    String iif,
    String oif,
    OptionalInt fwmark,
    OptionalInt fwmask,
    long priority,
    RuleAction action,
    long table) {

  /**
   * ec2-net-utils (amazon-ec2-net-utils lib.sh, create_rules) gives each secondary interface the
   * rule priority and table 10000 + 100 × network card + device number. The range leaves room for
   * 20 network cards of 100 interfaces; route-agent neither declares nor captures rules in it.
   */
  public static final long EC2_NET_UTILS_FIRST = 10000;

  public static final long EC2_NET_UTILS_LAST = 11999;

  /** True for a priority (or table) in ec2-net-utils' range. */
  public static boolean isEc2NetUtils(long number) {
    return number >= EC2_NET_UTILS_FIRST && number <= EC2_NET_UTILS_LAST;
  }

  /** The rule in the routes file's one-line words, e.g. "from 172.31.64.0/20 lookup 100 priority 1000". */
  public String describe() {
    return words(family, from, to, iif, oif, fwmark, fwmask, action.keyword(), table, priority);
  }

  /**
   * A rule in the routes file's one-line words, which read back as the same rule; shared with the
   * planner, which describes the kernel's rules the same way.
   *
   * @param action the action's keyword ("lookup" to name the table)
   */
  public static String words(int family, IpPrefix from, IpPrefix to, String iif, String oif,
      OptionalInt fwmark, OptionalInt fwmask, String action, long table, long priority) {
    StringBuilder sb = new StringBuilder();
    if (from == null && to == null && family == Family.INET6) {
      sb.append(" family inet6");
    }
    if (from != null) {
      sb.append(" from ").append(from);
    }
    if (to != null) {
      sb.append(" to ").append(to);
    }
    if (iif != null) {
      sb.append(" iif ").append(iif);
    }
    if (oif != null) {
      sb.append(" oif ").append(oif);
    }
    fwmark.ifPresent(m -> sb.append(" fwmark 0x").append(Integer.toHexString(m)));
    fwmask.ifPresent(m -> sb.append("/0x").append(Integer.toHexString(m)));
    if (action.equals("lookup")) {
      sb.append(" lookup ").append(RouteSpec.tableWords(table));
    } else {
      sb.append(' ').append(action);
    }
    sb.append(" priority ").append(priority);
    return sb.substring(1);
  }
}
