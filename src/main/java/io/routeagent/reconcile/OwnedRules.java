package io.routeagent.reconcile;

import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The record of the rules route-agent installed, for kernels that do not keep FRA_PROTOCOL (before
 * 4.17): there the record, not the kernel, says which rules are ours. Immutable; {@link #format}
 * and {@link #parse} are its file's text, one rule a line:
 *
 * <pre>
 * route-agent owned rules 1
 * inet priority=1000 from=172.31.64.0/20 to= iif= oif= fwmark=0x0 fwmask=0x0 table=100 action=1
 * </pre>
 *
 * An empty value is an absent selector (an interface name is never empty), and the action is the
 * kernel's FR_ACT_* number.
 */
public final class OwnedRules {
  public static final OwnedRules EMPTY = new OwnedRules(Set.of());
  static final String HEADER = "route-agent owned rules 1";
  private static final List<String> FIELDS =
      List.of("priority", "from", "to", "iif", "oif", "fwmark", "fwmask", "table", "action");

  private final Set<RuleIdentity> rules;

  private OwnedRules(Set<RuleIdentity> rules) {
    this.rules = rules;
  }

  public static OwnedRules of(Collection<RuleIdentity> rules) {
    return rules.isEmpty() ? EMPTY : new OwnedRules(Set.copyOf(rules));
  }

  public boolean contains(RuleIdentity rule) {
    return rules.contains(rule);
  }

  public Set<RuleIdentity> rules() {
    return rules;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The file's text; the same set always gives the same text (sorted), ending in a newline. */
  public String format() {
    List<String> lines = new ArrayList<>(rules.size());
    for (RuleIdentity r : rules) {
      RuleKey k = r.key();
      lines.add((k.family() == Family.INET6 ? "inet6" : "inet") + " priority=" + k.priority()
          + " from=" + prefix(k.from()) + " to=" + prefix(k.to())
          + " iif=" + (k.iif() == null ? "" : k.iif()) + " oif=" + (k.oif() == null ? "" : k.oif())
          + " fwmark=0x" + Integer.toHexString(k.fwmark()) + " fwmask=0x" + Integer.toHexString(k.fwmask())
          + " table=" + r.table() + " action=" + r.action());
    }
    lines.sort(Comparator.naturalOrder());
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    lines.forEach(line -> sb.append(line).append('\n'));
    return sb.toString();
  }

  private static String prefix(IpPrefix prefix) {
    return prefix == null ? "" : IpAddresses.format(prefix.address()) + "/" + prefix.length();
  }

  /**
   * Reads the file's text.
   *
   * @throws IllegalArgumentException naming the line and what is wrong with it
   */
  public static OwnedRules parse(String text) {
    String[] lines = text.split("\n", -1);
    if (!lines[0].equals(HEADER)) {
      throw new IllegalArgumentException("line 1: expected \"" + HEADER + "\"");
    }
    Set<RuleIdentity> rules = new LinkedHashSet<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty() && i == lines.length - 1) {
        break;
      }
      try {
        rules.add(line(lines[i]));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("the last line is cut short");
    }
    return of(rules);
  }

  private static RuleIdentity line(String line) {
    String[] words = line.split(" ", -1);
    if (words.length != FIELDS.size() + 1) {
      throw new IllegalArgumentException("expected a family and " + FIELDS.size() + " fields, found \"" + line + "\"");
    }
    int family = switch (words[0]) {
      case "inet" -> Family.INET;
      case "inet6" -> Family.INET6;
      default -> throw new IllegalArgumentException("unknown family \"" + words[0] + "\"");
    };
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i < FIELDS.size(); i++) {
      String word = words[i + 1];
      String name = FIELDS.get(i);
      if (!word.startsWith(name + "=")) {
        throw new IllegalArgumentException("expected " + name + "=, found \"" + word + "\"");
      }
      fields.put(name, word.substring(name.length() + 1));
    }
    long priority = Long.parseLong(fields.get("priority"));
    long table = Long.parseLong(fields.get("table"));
    if (priority < 0 || priority > 0xffffffffL || table < 0 || table > 0xffffffffL) {
      throw new IllegalArgumentException("priority or table out of range");
    }
    RuleKey key = new RuleKey(family, priority, prefix(family, fields.get("from")), prefix(family, fields.get("to")),
        name(fields.get("iif")), name(fields.get("oif")), hex(fields.get("fwmark")), hex(fields.get("fwmask")));
    return new RuleIdentity(key, table, Integer.parseInt(fields.get("action")));
  }

  private static IpPrefix prefix(int family, String text) {
    if (text.isEmpty()) {
      return null;
    }
    IpPrefix.Result parsed = IpPrefix.parse(text);
    if (!parsed.isOk() || parsed.prefix().family() != family) {
      throw new IllegalArgumentException("\"" + text + "\" is not a prefix of the rule's family");
    }
    return parsed.prefix();
  }

  private static String name(String text) {
    return text.isEmpty() ? null : text;
  }

  private static int hex(String text) {
    if (!text.startsWith("0x")) {
      throw new IllegalArgumentException("\"" + text + "\" is not a 0x number");
    }
    return Integer.parseUnsignedInt(text.substring(2), 16);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OwnedRules other && rules.equals(other.rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }

  @Override
  public String toString() {
    return "OwnedRules" + rules;
  }
}
