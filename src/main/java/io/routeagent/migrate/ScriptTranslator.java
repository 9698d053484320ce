package io.routeagent.migrate;

import io.routeagent.config.RouteType;
import io.routeagent.config.TableNames;
import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.reconcile.Planner;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the route commands of a shell script (a lifecycle script, typically) into entries of a
 * routes file. Pure: the script's text in, entries and rejections out.
 * Each entry is checked by {@link EntryChecker} before it is kept.
 */
public final class ScriptTranslator {
  /** Words before the command that do not change what it does. */
  private static final Set<String> PREFIXES =
      Set.of("sudo", "command", "exec", "then", "do", "else", "if", "elif", "while", "until", "!",
          "{", "}", "time", "nohup");

  private static final Set<String> ROUTE_TYPES =
      Set.of("unicast", "blackhole", "unreachable", "prohibit", "throw");
  private static final Set<String> FOREIGN_ROUTE_TYPES =
      Set.of("local", "broadcast", "anycast", "multicast", "nat");

  private final EntryChecker checker;

  public ScriptTranslator(TableNames tables) {
    this.checker = new EntryChecker(tables);
  }

  /** A translated command: a route or a rule, in the routes file's one-line words. */
  private record Line(boolean rule, String text) {}

  public Translation translate(String script) {
    List<Entry> routes = new ArrayList<>();
    List<Entry> rules = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (ShellScript.Command command : ShellScript.commands(script)) {
      List<ShellScript.Word> words = withoutPrefixes(command.words());
      if (words.isEmpty()) {
        continue;
      }
      String program = basename(words.get(0).text());
      if (!program.equals("ip") && !program.equals("route")) {
        continue;
      }
      String origin = "line " + command.line() + ": " + command.source();
      try {
        Optional<Line> line = program.equals("ip") ? ip(words) : netTools(words).map(r -> new Line(false, r));
        if (line.isPresent() && line.get().rule()) {
          rules.add(checker.rule(origin, line.get().text()));
        } else if (line.isPresent()) {
          routes.add(checker.route(origin, line.get().text()));
        }
      } catch (Untranslatable e) {
        rejected.add(new Rejection(command.line(), command.source(), e.getMessage()));
      }
    }
    return new Translation(routes, rules, rejected);
  }

  /** Drops {@code sudo} and its flags, shell keywords, and variable assignments before a command. */
  private static List<ShellScript.Word> withoutPrefixes(List<ShellScript.Word> words) {
    int i = 0;
    while (i < words.size()) {
      String w = words.get(i).text();
      boolean assignment = w.matches("[A-Za-z_][A-Za-z0-9_]*=.*");
      if (PREFIXES.contains(w) || assignment) {
        i++;
        if (w.equals("sudo")) {
          while (i < words.size() && words.get(i).text().startsWith("-")) {
            i++; // sudo's flags (-E, -n, --): none of those lifecycle scripts use take a value
          }
        }
      } else {
        break;
      }
    }
    return words.subList(i, words.size());
  }

  private static String basename(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  // ---- ip (iproute2) ----

  /**
   * The route of an {@code ip [OPTIONS] route add|replace ...} or the rule of an {@code ip rule
   * add ...}; empty for commands that only read.
   */
  private static Optional<Line> ip(List<ShellScript.Word> words) throws Untranslatable {
    int family = Family.UNSPEC;
    String elsewhere = null;
    int i = 1;
    while (i < words.size() && words.get(i).text().startsWith("-")) {
      String option = words.get(i).text().replaceFirst("^--", "-");
      switch (option) {
        case "-4" -> family = Family.INET;
        case "-6" -> family = Family.INET6;
        case "-f", "-family" -> {
          String name = i + 1 < words.size() ? words.get(++i).text() : "";
          family = switch (name) {
            case "inet" -> Family.INET;
            case "inet6" -> Family.INET6;
            default -> throw new Untranslatable("family \"" + name + "\" is not inet or inet6");
          };
        }
        case "-n", "-netns" -> {
          elsewhere = option;
          i++; // its value, the namespace's name
        }
        case "-b", "-batch" -> throw new Untranslatable(
            "ip -batch reads commands from a file; run `route-agent import` on that file instead");
        default -> {} // -s, -d, -j, -p, -c, ...: display options, harmless
      }
      i++;
    }
    if (i >= words.size()) {
      return Optional.empty();
    }
    String object = words.get(i).text();
    List<ShellScript.Word> rest = words.subList(i + 1, words.size());
    Optional<Line> route;
    if (!object.isEmpty() && "route".startsWith(object)) {
      route = ipRoute(rest, family).map(r -> new Line(false, r));
    } else if (object.length() >= 2 && "rule".startsWith(object)) {
      route = ipRule(rest, family).map(r -> new Line(true, r));
    } else {
      route = Optional.empty();
    }
    if (route.isPresent() && elsewhere != null) {
      throw new Untranslatable("it changes another network namespace (" + elsewhere + "); route-agent"
          + " manages the namespace it runs in");
    }
    return route;
  }

  private static Optional<String> ipRoute(List<ShellScript.Word> words, int family)
      throws Untranslatable {
    if (words.isEmpty()) {
      return Optional.empty(); // `ip route` lists
    }
    String verb = words.get(0).text();
    // iproute2 takes any prefix of a verb, trying them in the order of ip/iproute.c.
    String command = firstMatch(verb, "add", "change", "replace", "prepend", "append", "test",
        "delete", "list", "show", "get", "flush", "restore", "save");
    switch (command == null ? "" : command) {
      case "add", "replace" -> {}
      case "change", "prepend", "append" -> throw new Untranslatable(
          "`ip route " + verb + "` is not translated: write it as `ip route replace` if the route should"
              + " simply exist, or keep it in the script");
      case "delete", "flush", "restore" -> throw new Untranslatable(
          "`ip route " + verb + "` removes or restores routes; a routes file only lists routes that must"
              + " exist (route-agent deletes only the routes it owns). Remove the route once by hand,"
              + " or keep this line in the script");
      default -> {
        return Optional.empty(); // show, get, list, save: reading only
      }
    }
    requireLiteral(words);
    return Optional.of(ipRouteArguments(words.subList(1, words.size()), family));
  }

  private static String ipRouteArguments(List<ShellScript.Word> args, int family)
      throws Untranslatable {
    String type = null;
    String to = null;
    List<String> tail = new ArrayList<>();
    String via = null;
    String scope = null;
    List<List<String>> hops = List.of();
    for (int i = 0; i < args.size(); i++) {
      String w = args.get(i).text();
      switch (w) {
        case "via" -> {
          String next = value(args, ++i, w);
          if (next.equals("inet") || next.equals("inet6")) {
            next = value(args, ++i, w);
          }
          via = next;
        }
        case "dev", "oif" -> tail.add("dev " + value(args, ++i, w));
        case "metric", "priority", "preference" -> tail.add("metric " + value(args, ++i, w));
        case "table" -> tail.add("table " + value(args, ++i, w));
        case "src" -> tail.add("src " + value(args, ++i, w));
        case "mtu" -> {
          String mtu = value(args, ++i, w);
          if (mtu.equals("lock")) {
            throw new Untranslatable("`mtu lock` is not supported; route-agent sets a plain mtu");
          }
          tail.add("mtu " + mtu);
        }
        case "onlink" -> tail.add("onlink");
        case "scope" -> scope = value(args, ++i, w);
        case "proto", "protocol" -> throw new Untranslatable(
            "`" + w + " " + value(args, i + 1, w) + "` cannot be kept: route-agent marks the routes it"
                + " owns with its own protocol. Remove it if route-agent may own the route");
        case "to" -> to = destination(value(args, ++i, w), family, to);
        case "nexthop" -> {
          // As iproute2's parse_nexthops: every word from here on belongs to a next hop.
          hops = nextHops(args.subList(i, args.size()));
          i = args.size();
        }
        case "nhid" -> throw new Untranslatable(
            "nexthop objects (`nhid`) are not supported; write the next hops into the route with"
                + " `nexthop via GW dev IF [weight N]`");
        case "encap" -> throw new Untranslatable("lightweight tunnels (`encap`) are not supported");
        case "vrf" -> throw new Untranslatable("`vrf` is not supported; give the table number instead");
        default -> {
          if (type == null && to == null && ROUTE_TYPES.contains(w)) {
            type = w;
          } else if (FOREIGN_ROUTE_TYPES.contains(w)) {
            throw new Untranslatable("routes of type " + w + " are the kernel's business and not supported");
          } else if (to == null && !w.isEmpty() && (Character.isDigit(w.charAt(0)) || w.contains(":")
              || w.equals("default") || w.equals("all") || w.equals("any"))) {
            to = destination(w, family, null);
          } else {
            throw new Untranslatable("`" + w + "` is not supported by route-agent (its routes take via,"
                + " dev, metric, table, src, mtu, onlink and a type)");
          }
        }
      }
    }
    if (to == null) {
      throw new Untranslatable("the command names no destination");
    }
    if (scope != null) {
      // Only a scope that differs from the one route-agent gives the route is lost.
      RouteType routeType = type == null ? RouteType.UNICAST : RouteType.fromKeyword(type).orElseThrow();
      boolean link = Planner.scopeOf(routeType, via != null || !hops.isEmpty()) == Rtnetlink.RT_SCOPE_LINK;
      boolean matches = link
          ? scope.equals("link") || scope.equals("253")
          : scope.equals("global") || scope.equals("universe") || scope.equals("0");
      if (!matches) {
        throw new Untranslatable("`scope " + scope + "` differs from the scope route-agent gives such"
            + " a route (" + (link ? "link" : "global") + ")");
      }
    }
    StringBuilder sb = new StringBuilder();
    if (type != null && !type.equals("unicast")) {
      sb.append(type).append(' ');
    }
    sb.append(to);
    if (via != null) {
      sb.append(" via ").append(via);
    }
    if (hops.size() == 1 && via == null) {
      // One next hop is a plain route to the kernel, and to the routes file; its weight means nothing.
      hops.get(0).stream().filter(h -> !h.startsWith("weight ")).forEach(h -> sb.append(' ').append(h));
    }
    tail.forEach(t -> sb.append(' ').append(t));
    if (hops.size() > 1 || via != null) {
      for (List<String> hop : hops) {
        sb.append(" nexthop");
        hop.forEach(h -> sb.append(' ').append(h));
      }
    }
    return sb.toString();
  }

  /**
   * The next hops of {@code ip route add ... nexthop NHSPEC nexthop NHSPEC ...}, each as its words
   * in the routes file ("via A", "dev IF", "weight N", "onlink"); {@code words} starts at the first
   * {@code nexthop}.
   */
  private static List<List<String>> nextHops(List<ShellScript.Word> words) throws Untranslatable {
    List<List<String>> hops = new ArrayList<>();
    List<String> hop = null;
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i).text();
      switch (w) {
        case "nexthop" -> {
          hop = new ArrayList<>(4);
          hops.add(hop);
        }
        case "via" -> {
          String next = value(words, ++i, w);
          if (next.equals("inet") || next.equals("inet6")) {
            next = value(words, ++i, w);
          }
          hop.add("via " + next);
        }
        case "dev" -> hop.add("dev " + value(words, ++i, w));
        case "weight" -> hop.add("weight " + value(words, ++i, w));
        case "onlink" -> hop.add("onlink");
        default -> throw new Untranslatable("`" + w + "` in a next hop is not supported (a next hop takes via,"
            + " dev, weight and onlink; iproute2 reads every word after the first `nexthop` as the next hops')");
      }
    }
    return hops;
  }

  /** A destination as the routes file writes it: "default" for IPv4, ::/0 for IPv6. */
  private static String destination(String text, int family, String already) throws Untranslatable {
    if (already != null) {
      throw new Untranslatable("two destinations (" + already + " and " + text + ")");
    }
    if (text.equals("default") || text.equals("all") || text.equals("any")) {
      return family == Family.INET6 ? "::/0" : "default";
    }
    IpPrefix.Result parsed = IpPrefix.parse(text);
    if (parsed.isOk() && family != Family.UNSPEC && parsed.prefix().family() != family) {
      throw new Untranslatable(text + " is not an " + (family == Family.INET ? "IPv4" : "IPv6")
          + " destination, as the command's -" + (family == Family.INET ? 4 : 6) + " says");
    }
    return text; // a bad prefix is reported by the routes file parser, in its words
  }

  private static Optional<String> ipRule(List<ShellScript.Word> words, int family) throws Untranslatable {
    if (words.isEmpty()) {
      return Optional.empty(); // `ip rule` lists
    }
    String verb = words.get(0).text();
    // The order of ip/iprule.c's do_iprule().
    String command = firstMatch(verb, "list", "lst", "show", "save", "restore", "add", "delete", "flush");
    switch (command == null ? "" : command) {
      case "add" -> {}
      case "delete", "flush", "restore" -> throw new Untranslatable(
          "`ip rule " + verb + "` removes or restores rules; a routes file only lists rules that must"
              + " exist (route-agent deletes only the rules it owns). Remove the rule once by hand, or"
              + " keep this line in the script");
      default -> {
        return Optional.empty();
      }
    }
    requireLiteral(words);
    List<ShellScript.Word> args = words.subList(1, words.size());
    StringBuilder sb = new StringBuilder();
    boolean priority = false;
    for (int i = 0; i < args.size(); i++) {
      String w = args.get(i).text();
      switch (w) {
        case "from", "to" -> {
          String prefix = value(args, ++i, w);
          if (!prefix.equals("all")) {
            sb.append(' ').append(w).append(' ').append(prefix);
          }
        }
        case "iif", "dev" -> sb.append(" iif ").append(value(args, ++i, w));
        case "oif" -> sb.append(" oif ").append(value(args, ++i, w));
        case "fwmark" -> sb.append(" fwmark ").append(value(args, ++i, w));
        case "table", "lookup" -> sb.append(" lookup ").append(value(args, ++i, w));
        case "priority", "pref", "preference", "order" -> {
          sb.append(" priority ").append(value(args, ++i, w));
          priority = true;
        }
        case "blackhole", "unreachable", "prohibit" -> sb.append(' ').append(w);
        case "type" -> sb.append(' ').append(value(args, ++i, w));
        case "proto", "protocol" -> throw new Untranslatable(
            "`" + w + " " + value(args, i + 1, w) + "` cannot be kept: route-agent marks the rules it"
                + " owns with its own protocol. Remove it if route-agent may own the rule");
        case "not" -> throw new Untranslatable("inverted rules (`not`) are not supported");
        default -> throw new Untranslatable("`" + w + "` is not supported by route-agent (its rules take"
            + " from, to, iif, oif, fwmark, lookup, priority and blackhole, unreachable or prohibit)");
      }
    }
    if (!priority) {
      throw new Untranslatable("the rule has no priority, so the kernel picks one (just below the first"
          + " rule after 0, which depends on what is installed). Add `priority N` to the script line,"
          + " e.g. the number `ip rule` shows for it now");
    }
    if (family == Family.INET6) {
      sb.append(" family inet6"); // so that an IPv4 address under -6 is refused, as ip refuses it
    }
    return Optional.of(sb.substring(1));
  }

  // ---- route (net-tools) ----

  /** The route of a {@code route [-A inet6|-4|-6] add ...}; empty for a listing. */
  private static Optional<String> netTools(List<ShellScript.Word> words) throws Untranslatable {
    int family = Family.INET;
    int i = 1;
    while (i < words.size() && words.get(i).text().startsWith("-")) {
      String option = words.get(i).text();
      switch (option) {
        case "-A", "--family" -> {
          String name = i + 1 < words.size() ? words.get(++i).text() : "";
          family = switch (name) {
            case "inet" -> Family.INET;
            case "inet6" -> Family.INET6;
            default -> throw new Untranslatable("address family \"" + name + "\" is not inet or inet6");
          };
        }
        case "-6" -> family = Family.INET6;
        case "-4" -> family = Family.INET;
        default -> {} // -n, -e, -v, -C, -F: display options
      }
      i++;
    }
    if (i >= words.size()) {
      return Optional.empty();
    }
    String verb = words.get(i).text();
    if (verb.equals("del") || verb.equals("delete")) {
      throw new Untranslatable("`route " + verb + "` removes a route; a routes file only lists routes"
          + " that must exist. Remove it once by hand, or keep this line in the script");
    }
    if (!verb.equals("add")) {
      return Optional.empty();
    }
    List<ShellScript.Word> args = words.subList(i + 1, words.size());
    requireLiteral(args);
    return Optional.of(netToolsArguments(args, family));
  }

  private static String netToolsArguments(List<ShellScript.Word> args, int family)
      throws Untranslatable {
    Boolean net = null;
    String target = null;
    String netmask = null;
    String gateway = null;
    String metric = null;
    String dev = null;
    boolean reject = false;
    for (int i = 0; i < args.size(); i++) {
      String w = args.get(i).text();
      switch (w) {
        case "-net" -> net = true;
        case "-host" -> net = false;
        case "netmask" -> netmask = value(args, ++i, w);
        case "gw", "gateway" -> gateway = value(args, ++i, w);
        case "metric" -> metric = value(args, ++i, w);
        case "dev" -> dev = value(args, ++i, w);
        case "reject" -> reject = true;
        case "mss", "window", "irtt" -> throw new Untranslatable(
            "`" + w + "` is not supported by route-agent (its routes take via, dev, metric, table, src,"
                + " mtu and onlink)");
        case "mod", "dyn", "reinstate" -> throw new Untranslatable(
            "`" + w + "` marks an ICMP-redirect route, which route-agent does not declare");
        default -> {
          if (target == null) {
            target = w;
          } else if (i == args.size() - 1 && dev == null) {
            dev = w; // route(8): "[[dev] If]" closes the line, the word dev being optional
          } else {
            throw new Untranslatable("`" + w + "` is not a word route(8) add takes here");
          }
        }
      }
    }
    if (target == null) {
      throw new Untranslatable("the command names no target");
    }
    String to = netToolsTarget(target, net, netmask, family);
    StringBuilder sb = new StringBuilder();
    if (reject) {
      // RTF_REJECT: fib_convert_rtentry() makes it an RTN_UNREACHABLE route.
      sb.append("unreachable ");
    }
    sb.append(to);
    if (gateway != null) {
      sb.append(" via ").append(gateway);
    }
    if (dev != null) {
      sb.append(" dev ").append(dev);
    }
    if (metric != null) {
      sb.append(" metric ").append(metric);
    } else if (family == Family.INET6) {
      // route(8) sends IPv6 routes with rtmsg_metric 1 unless told otherwise (inet6_sr.c), where
      // ip route would leave the kernel's 1024: keep what the script really installed.
      sb.append(" metric 1");
    }
    return sb.toString();
  }

  private static String netToolsTarget(String target, Boolean net, String netmask, int family)
      throws Untranslatable {
    if (target.equals("default")) {
      return family == Family.INET6 ? "::/0" : "default";
    }
    if (netmask != null) {
      if (Boolean.FALSE.equals(net) || target.contains("/")) {
        throw new Untranslatable("`netmask` makes no sense with " + (target.contains("/") ? "a prefix length" : "-host"));
      }
      return target + "/" + prefixLength(netmask);
    }
    if (target.contains("/")) {
      if (Boolean.FALSE.equals(net)) {
        throw new Untranslatable("-host takes an address, not the prefix " + target);
      }
      return target;
    }
    if (Boolean.TRUE.equals(net)) {
      throw new Untranslatable("-net " + target + " has no netmask: route(8) would guess a classful"
          + " one. Write the prefix length, e.g. -net " + target + "/16");
    }
    if (family == Family.INET6) {
      throw new Untranslatable("an IPv6 target needs a prefix length, e.g. " + target + "/64");
    }
    return target; // a host: the routes file reads a bare address as /32
  }

  /** The length of a contiguous dotted-quad netmask. */
  private static int prefixLength(String netmask) throws Untranslatable {
    Optional<InetAddress> mask = IpAddresses.parse(netmask);
    if (mask.isEmpty() || mask.get().getAddress().length != 4) {
      throw new Untranslatable("netmask \"" + netmask + "\" is not an IPv4 address");
    }
    byte[] b = mask.get().getAddress();
    int bits = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    int length = Integer.bitCount(bits);
    if (bits != (length == 0 ? 0 : -1 << (32 - length))) {
      throw new Untranslatable("netmask " + netmask + " is not contiguous");
    }
    return length;
  }

  // ---- shared ----

  /** The first of {@code verbs} that {@code word} abbreviates, as iproute2's matches() picks. */
  private static String firstMatch(String word, String... verbs) {
    for (String verb : verbs) {
      if (!word.isEmpty() && verb.startsWith(word)) {
        return verb;
      }
    }
    return null;
  }

  private static void requireLiteral(List<ShellScript.Word> words) throws Untranslatable {
    for (ShellScript.Word w : words) {
      if (w.dynamic()) {
        throw new Untranslatable("\"" + w.text() + "\" is expanded by the shell when the script runs;"
            + " write the value it stands for");
      }
    }
  }

  private static String value(List<ShellScript.Word> args, int i, String key) throws Untranslatable {
    if (i >= args.size()) {
      throw new Untranslatable("`" + key + "` needs a value after it");
    }
    return args.get(i).text();
  }
}
