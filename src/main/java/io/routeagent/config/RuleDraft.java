package io.routeagent.config;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A rule entry being read, in either form: values are set one by one as written, then {@link
 * #build} checks how they fit together. As with {@link RouteDraft}, once a value was bad nothing
 * more is reported for the entry.
 */
final class RuleDraft extends EntryDraft {
  /** The keys of a rule; the one-line form also takes the aliases {@code ip rule} knows. */
  enum Key {
    FROM("from"),
    TO("to"),
    IIF("iif", "dev"),
    OIF("oif"),
    FWMARK("fwmark"),
    TABLE("table", "lookup"),
    PRIORITY("priority", "pref", "order", "preference"),
    ACTION("action"),
    FAMILY("family");

    final String key;
    final List<String> aliases;

    Key(String key, String... aliases) {
      this.key = key;
      this.aliases = List.of(aliases);
    }

    static final List<String> KEYS = java.util.Arrays.stream(values()).map(k -> k.key).toList();

    static Optional<Key> byKey(String word, boolean withAliases) {
      for (Key k : values()) {
        if (k.key.equals(word) || (withAliases && k.aliases.contains(word))) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /** Priorities of the kernel's own rules (fib_default_rules_init, fib6_rules_net_init). */
  private static final Map<Long, String> KERNEL_PRIORITIES =
      Map.of(0L, "local", 32766L, "main", 32767L, "default");

  /** The priority of the kernel's rule for the main table: the file's rules come before it. */
  private static final long KERNEL_MAIN = 32766;

  private final Map<Key, Location> where = new EnumMap<>(Key.class);

  private IpPrefix from;
  private IpPrefix to;
  private String iif;
  private String oif;
  private OptionalInt fwmark = OptionalInt.empty();
  private OptionalInt fwmask = OptionalInt.empty();
  private long table = -1;
  private long priority = -1;
  private RuleAction action = RuleAction.LOOKUP;
  private int family = Family.UNSPEC;

  RuleDraft(Location entry, TableNames tables, Problems problems) {
    super(entry, tables, problems);
  }

  void set(Key key, String text, Location at) {
    Location first = where.putIfAbsent(key, at);
    if (first != null) {
      fail(at, "`" + key.key + "` is given twice (first at " + first + ")", "Keep only one.");
      return;
    }
    try {
      switch (key) {
        case FROM -> from = selector(text);
        case TO -> to = selector(text);
        case IIF -> iif = Values.interfaceName(text);
        case OIF -> oif = Values.interfaceName(text);
        case FWMARK -> fwmark(text);
        case TABLE -> table = Values.table(text, tables);
        case PRIORITY -> priority = Values.number(text, "priority", 0, Values.MAX_U32);
        case ACTION -> action = RuleAction.fromKeyword(text).orElseThrow(() -> new BadValue(
            "unknown rule action " + Quoted.of(text),
            Suggestions.hint(text, java.util.Arrays.stream(RuleAction.values()).map(RuleAction::keyword).toList(),
                "The actions are")));
        case FAMILY -> family = switch (text) {
          case "inet", "ipv4" -> Family.INET;
          case "inet6", "ipv6" -> Family.INET6;
          default -> throw new BadValue("unknown family " + Quoted.of(text), "Write inet (IPv4) or inet6 (IPv6).");
        };
      }
    } catch (BadValue e) {
      fail(at, e.getMessage(), e.hint());
    }
  }

  /** A source or destination selector; "all" and a /0 select everything, so they are no selector. */
  private IpPrefix selector(String text) {
    if (text.equals("all")) {
      return null;
    }
    IpPrefix prefix = Values.prefix(text);
    if (prefix.isDefault()) {
      family = family == Family.UNSPEC ? prefix.family() : family;
      return null;
    }
    return prefix;
  }

  /** "MARK" or "MARK/MASK", each decimal or 0x hex, as ip rule reads them. */
  private void fwmark(String text) {
    int slash = text.indexOf('/');
    fwmark = OptionalInt.of(u32(slash < 0 ? text : text.substring(0, slash), "fwmark"));
    if (slash >= 0) {
      fwmask = OptionalInt.of(u32(text.substring(slash + 1), "fwmark mask"));
    }
  }

  private static int u32(String text, String what) {
    boolean hex = text.startsWith("0x") || text.startsWith("0X");
    String digits = hex ? text.substring(2) : text;
    boolean ok = !digits.isEmpty() && digits.length() <= (hex ? 8 : 10)
        && digits.chars().allMatch(c -> hex ? Character.digit(c, 16) >= 0 : c >= '0' && c <= '9');
    long value = ok ? Long.parseLong(digits, hex ? 16 : 10) : -1;
    if (!ok || value > Values.MAX_U32 || (!hex && digits.length() > 1 && digits.charAt(0) == '0')) {
      throw new BadValue(
          what + " " + Quoted.of(text) + " is not a 32-bit number",
          "Write it in decimal or as 0x hex, e.g. fwmark 0x10/0xff.");
    }
    return (int) value;
  }

  /** The rule, or empty after its problems were reported. */
  Optional<RuleSpec> build() {
    if (failed) {
      return Optional.empty();
    }
    int resolved = resolveFamily();
    checkPriority();
    checkAction();
    if (failed) {
      return Optional.empty();
    }
    RuleSpec rule = new RuleSpec(entry, resolved, from, to, iif, oif, fwmark, fwmask, priority, action,
        action == RuleAction.LOOKUP ? table : 0);
    GuardRails.ruleConflict(rule).ifPresent(why -> fail(entry, why,
        "Give it a selector that leaves the notebook's own traffic alone (from, to, iif other than lo,"
            + " oif, or a fwmark), e.g. `to 10.0.0.0/8`."));
    return failed ? Optional.empty() : Optional.of(rule);
  }

  private int resolveFamily() {
    int given = family;
    for (Key key : List.of(Key.FROM, Key.TO)) {
      IpPrefix prefix = key == Key.FROM ? from : to;
      if (prefix == null) {
        continue;
      }
      if (given != Family.UNSPEC && prefix.family() != given) {
        fail(where.get(key), "`" + key.key + "` " + prefix + " is " + name(prefix.family()) + " but the rule is "
            + name(given), "Give addresses of one family; a rule serves IPv4 or IPv6, not both.");
      }
      given = prefix.family();
    }
    return given == Family.UNSPEC ? Family.INET : given;
  }

  private static String name(int family) {
    return family == Family.INET6 ? "IPv6" : "IPv4";
  }

  private void checkPriority() {
    Location at = where.get(Key.PRIORITY);
    if (at == null) {
      fail(entry, "the rule has no priority",
          "Add `priority: N` (1 to 32765, say 1000): it is the rule's identity, which route-agent"
              + " uses to find it again.");
      return;
    }
    String kernel = KERNEL_PRIORITIES.get(priority);
    if (kernel != null) {
      fail(at, "priority " + priority + " is the kernel's own rule for the " + kernel + " table",
          "Pick another priority: route-agent never touches the kernel's rules 0, 32766 and 32767.");
    } else if (priority > KERNEL_MAIN) {
      fail(at, "priority " + priority + " comes after the kernel's rules for the main and default tables"
              + " (32766, 32767)",
          "Pick a priority from 1 to 32765 (outside 10000-11999), say 1000: route-agent declares rules"
              + " that come before main.");
    } else if (RuleSpec.isEc2NetUtils(priority)) {
      fail(at, "priority " + priority + " is in the range " + RuleSpec.EC2_NET_UTILS_FIRST + "-" + RuleSpec.EC2_NET_UTILS_LAST
              + " that ec2-net-utils uses for its per-interface rules",
          "Pick a priority outside it, e.g. below 10000 to be consulted before them.");
    }
  }

  private void checkAction() {
    Location tableAt = where.get(Key.TABLE);
    if (action == RuleAction.LOOKUP && tableAt == null) {
      fail(entry, "a lookup rule needs `table`", "Add `table: N` (a number or a name from rt_tables).");
    } else if (action != RuleAction.LOOKUP && tableAt != null) {
      fail(tableAt, "a " + action.keyword() + " rule takes no `table`",
          "Remove it: a " + action.keyword() + " rule answers the packet itself.");
    }
  }
}
