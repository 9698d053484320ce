package io.routeagent.config;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The administrator's policy ({@code /etc/route-agent/policy.yaml}): what the routes file, which
 * an unprivileged person controls, may declare. Each {@code allow} key limits one dimension and an
 * omitted one leaves it open, except {@code rules} (omitted: no rules), {@code override} and
 * {@code adopt} (omitted: false). An entry outside the policy is a problem of the routes file,
 * placed at the entry and naming the policy line that refuses it.
 *
 * <p>{@link #NONE} stands for "no policy file": the guard rails alone apply, and overriding and
 * adopting are as the routes file says.
 */
public final class Policy {
  /** A limited dimension: the values allowed, and the policy line of its key. */
  record Limit<T>(List<T> values, int line) {
    Limit {
      values = List.copyOf(values);
    }
  }

  /** Numbers from {@code low} to {@code high}, both included. */
  record Range(long low, long high) {
    boolean contains(long n) {
      return n >= low && n <= high;
    }

    @Override
    public String toString() {
      return low == high ? Long.toString(low) : low + "-" + high;
    }
  }

  /** {@code allow.gateways}: prefixes a gateway address lies in, and whether subnet-router may be used. */
  record Gateways(List<IpPrefix> prefixes, boolean subnetRouter, int line) {
    Gateways {
      prefixes = List.copyOf(prefixes);
    }
  }

  /** {@code allow.rules}: present means rules may be declared, within these limits (null: open). */
  record Rules(Limit<Range> priorities, Limit<Range> tables, int line) {}

  /** {@code override} or {@code adopt}, and the line that says so (the {@code allow} line when omitted). */
  record Flag(boolean value, int line) {}

  /** Everything the policy says; null limits are open. */
  record Content(
      String file,
      int allowLine,
      Limit<IpPrefix> destinations,
      Gateways gateways,
      Limit<DeviceSelector> interfaces,
      Limit<Range> tables,
      Limit<RouteType> types,
      Rules rules,
      Flag override,
      Flag adopt) {}

  /** No policy in force. */
  public static final Policy NONE = new Policy(null);

  private final Content content;

  Policy(Content content) {
    this.content = content;
  }

  /**
   * Reads a policy from its text.
   *
   * @param file the policy's path, as messages name it
   * @throws ConfigException listing every problem, with line and column; {@link
   *     ConfigException#failClosed} is true
   */
  public static Policy parse(String file, String text, TableNames tables) throws ConfigException {
    Problems problems = new Problems();
    Optional<Content> content = PolicyReader.read(file, text, tables, problems);
    problems.throwFailClosedIfAny();
    return new Policy(content.orElseThrow());
  }

  /** True when a policy file is in force. */
  public boolean inForce() {
    return content != null;
  }

  /** The policy file in force, as messages name it. */
  public Optional<String> file() {
    return content == null ? Optional.empty() : Optional.of(content.file());
  }

  /**
   * May the agent replace a route that another owner installed (adoption)? {@code allow.adopt},
   * false when the policy omits it; true when no policy is in force (the agent's behaviour before
   * policies).
   */
  public boolean adopt() {
    return content == null || content.adopt().value();
  }

  /** May an entry say {@code override: true}? True when no policy is in force. */
  public boolean override() {
    return content == null || content.override().value();
  }

  Content content() {
    return content;
  }

  /** Adds a problem at each entry outside the policy, for each dimension it oversteps. */
  void check(List<RouteSpec> routes, List<RuleSpec> rules, Problems problems) {
    if (content == null) {
      return;
    }
    for (RouteSpec route : routes) {
      refusals(route).forEach(why -> problems.add(route.location(), why, HINT));
    }
    for (RuleSpec rule : rules) {
      refusals(rule).forEach(why -> problems.add(rule.location(), why, HINT));
    }
  }

  private static final String HINT =
      "The policy is the administrator's: keep the entry inside it, or ask them to widen it.";

  /** Why the policy refuses {@code route}, one reason per dimension it oversteps. */
  List<String> refusals(RouteSpec route) {
    Content c = content;
    if (c == null) {
      return List.of();
    }
    List<String> why = new ArrayList<>();
    if (c.destinations() != null
        && c.destinations().values().stream().noneMatch(p -> p.contains(route.to()))) {
      why.add(refused("destination " + route.to(), "allow.destinations", c.destinations().line()));
    }
    for (NextHopSpec path : route.paths()) {
      if (c.gateways() != null && path.via() != null && !gatewayAllowed(c.gateways(), path.via())) {
        why.add(refused("gateway " + path.via(), "allow.gateways", c.gateways().line()));
      }
      if (c.interfaces() != null) {
        interfaceRefusal(c.interfaces(), path).ifPresent(why::add);
      }
    }
    if (c.tables() != null && !inRanges(c.tables(), route.table())) {
      why.add(refused("table " + route.table(), "allow.tables", c.tables().line()));
    }
    if (c.types() != null && !c.types().values().contains(route.type())) {
      why.add(refused("route type " + route.type().keyword(), "allow.types", c.types().line()));
    }
    if (route.override() && !c.override().value()) {
      why.add("`override: true` is refused by the policy (" + where(c.override().line())
          + (c.override().line() == c.allowLine() ? ": allow has no `override: true`" : "") + ")");
    }
    return why;
  }

  /** Why the policy refuses {@code rule}, one reason per dimension it oversteps. */
  List<String> refusals(RuleSpec rule) {
    Content c = content;
    if (c == null) {
      return List.of();
    }
    if (c.rules() == null) {
      return List.of("the policy allows no rules (" + where(c.allowLine()) + ": allow has no `rules`)");
    }
    List<String> why = new ArrayList<>();
    Rules r = c.rules();
    if (r.priorities() != null && !inRanges(r.priorities(), rule.priority())) {
      why.add(refused("rule priority " + rule.priority(), "allow.rules.priorities", r.priorities().line()));
    }
    Limit<Range> tables = r.tables() != null ? r.tables() : c.tables();
    if (tables != null && rule.action() == RuleAction.LOOKUP && !inRanges(tables, rule.table())) {
      String key = r.tables() != null ? "allow.rules.tables" : "allow.tables";
      why.add(refused("rule table " + rule.table(), key, tables.line()));
    }
    if (rule.action().dropType() != null) {
      dropRefusals(c, rule, why);
    }
    if (c.interfaces() != null) {
      for (String name : new String[] {rule.iif(), rule.oif()}) {
        if (name != null && !nameAllowed(c.interfaces(), name)) {
          why.add(refused("interface " + name, "allow.interfaces", c.interfaces().line()));
        }
      }
    }
    return why;
  }

  /**
   * A rule that drops what it selects (blackhole, unreachable, prohibit) does what a reject route
   * does, ahead of every table: its action is held to {@code allow.types} (the actions are named as
   * the route types) and its {@code to} to {@code allow.destinations}. A rule without {@code to}
   * drops traffic to every destination of its family, whatever its other selectors, so under
   * {@code allow.destinations} it is inside only when the policy allows the whole family (say
   * {@code default}). Without this, drop rules splitting the address space around the metadata
   * service ({@code to 0.0.0.0/1}, {@code to 192.0.0.0/2}, …: none holds 169.254.169.254, so the
   * guard rails let each through) would cut the notebook off everything, whatever the policy
   * confines routes to. A lookup rule needs neither: it can only send traffic to tables
   * the policy allows, whose routes are held to it.
   */
  private void dropRefusals(Content c, RuleSpec rule, List<String> why) {
    String action = rule.action().keyword();
    if (c.types() != null && !c.types().values().contains(rule.action().dropType())) {
      why.add(refused("rule action " + action, "allow.types", c.types().line()));
    }
    if (c.destinations() != null) {
      IpPrefix to = rule.to() != null ? rule.to() : IpPrefix.defaultRoute(rule.family());
      if (c.destinations().values().stream().noneMatch(p -> p.contains(to))) {
        String what = rule.to() != null
            ? "destination " + to + " of the " + action + " rule"
            : "the " + action + " rule has no `to`: its destination, every "
                + (rule.family() == Family.INET6 ? "IPv6" : "IPv4") + " address,";
        why.add(refused(what, "allow.destinations", c.destinations().line()));
      }
    }
  }

  private String refused(String what, String key, int line) {
    return what + " is outside the policy's " + key + " (" + where(line) + ")";
  }

  private String where(int line) {
    return content.file() + ":" + line;
  }

  private static boolean inRanges(Limit<Range> limit, long n) {
    return limit.values().stream().anyMatch(r -> r.contains(n));
  }

  private static boolean gatewayAllowed(Gateways gateways, Gateway via) {
    if (via instanceof Gateway.Address a) {
      return gateways.prefixes().stream().anyMatch(p -> p.contains(a.address()));
    }
    return gateways.subnetRouter();
  }

  /**
   * A route's {@code dev} (each next hop's) must be one the policy lists: the same name, the same MAC, or a subnet
   * inside one of its subnets. A route without {@code dev} leaves the choice to the kernel: it is
   * allowed when its gateway lies in one of the policy's subnets; a reject route uses no interface.
   */
  private Optional<String> interfaceRefusal(Limit<DeviceSelector> allowed, NextHopSpec route) {
    DeviceSelector dev = route.dev();
    if (dev != null) {
      return allowed.values().stream().anyMatch(a -> selectorAllowed(a, dev))
          ? Optional.empty()
          : Optional.of(refused("interface " + dev.describe(), "allow.interfaces", allowed.line()));
    }
    if (route.via() instanceof Gateway.Address a) {
      InetAddress address = a.address();
      boolean inside = allowed.values().stream()
          .anyMatch(s -> s instanceof DeviceSelector.Subnet subnet && subnet.range().contains(address));
      return inside
          ? Optional.empty()
          : Optional.of("the route names no interface, and its gateway " + route.via()
              + " lies in none of the subnets of the policy's allow.interfaces (" + where(allowed.line())
              + "); name the interface with `dev`");
    }
    return Optional.empty();
  }

  private static boolean selectorAllowed(DeviceSelector allowed, DeviceSelector dev) {
    if (allowed instanceof DeviceSelector.Subnet a && dev instanceof DeviceSelector.Subnet d) {
      return a.range().contains(d.range());
    }
    return allowed.equals(dev);
  }

  private static boolean nameAllowed(Limit<DeviceSelector> allowed, String name) {
    return allowed.values().contains(new DeviceSelector.Name(name));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Policy p && Objects.equals(content, p.content);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(content);
  }

  @Override
  public String toString() {
    return content == null ? "no policy" : "policy " + content.file();
  }
}
