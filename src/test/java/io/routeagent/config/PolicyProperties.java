package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import io.routeagent.testing.Mutations;

/**
 * For any routes file and any policy: the file is accepted exactly when every route and rule lies
 * inside the policy, as a plain reading of the policy's words says; and when it is refused, the
 * problems sit at exactly the entries that lie outside. So no accepted entry is ever outside.
 */
class PolicyProperties {
  private static final TableNames TABLES = TableNames.of(Map.of());
  private static final String MAC = "0a:1b:2c:3d:4e:5f";

  static final List<String> DESTINATIONS =
      List.of("10.0.0.0/16", "10.1.2.0/24", "192.168.1.0/24", "11.0.0.0/8", "172.16.0.0/12", "10.0.0.0/8");
  /** null: no gateway. */
  static final List<String> GATEWAYS = java.util.Arrays.asList(null, "172.31.64.1", "192.0.2.1", "subnet-router");
  /** null: no dev. */
  static final List<String> DEVICES =
      java.util.Arrays.asList(null, "eth0", "eth2", "mac:" + MAC, "subnet:172.31.64.0/20", "subnet:10.0.0.0/8");
  static final List<Long> ROUTE_TABLES = List.of(254L, 100L, 150L, 200L);

  record Route(int to, String via, String dev, long table, boolean blackhole, boolean override) {}

  /** A rule; {@code action} null is a lookup in {@code table}, else a drop; {@code to} indexes DESTINATIONS, null: none. */
  record Rule(long priority, long table, String iif, String action, Integer to) {}

  /** A policy as words; null fields are omitted keys. */
  record Allow(List<String> destinations, List<String> gateways, List<String> interfaces,
      List<String> tables, List<String> types, String rules, Boolean override) {
    String text() {
      StringBuilder sb = new StringBuilder("allow:\n");
      key(sb, "destinations", destinations);
      key(sb, "gateways", gateways);
      key(sb, "interfaces", interfaces);
      key(sb, "tables", tables);
      key(sb, "types", types);
      if (rules != null) {
        sb.append("  rules: ").append(rules).append('\n');
      }
      if (override != null) {
        sb.append("  override: ").append(override).append('\n');
      }
      return sb.toString().equals("allow:\n") ? "allow: {}\n" : sb.toString();
    }

    private static void key(StringBuilder sb, String key, List<String> values) {
      if (values != null) {
        sb.append("  ").append(key).append(": [").append(String.join(", ", values)).append("]\n");
      }
    }
  }

  @Property(tries = 500)
  void aFileIsAcceptedExactlyWhenEveryEntryLiesInsideThePolicy(
      @ForAll("routes") List<Route> drawn, @ForAll("rules") List<Rule> drawnRules, @ForAll("policies") Allow allow)
      throws ConfigException {
    // One entry per key: a duplicate would be a problem of its own.
    List<Route> routes = List.copyOf(drawn.stream()
        .collect(Collectors.toMap(r -> r.to() + "/" + r.table(), r -> r, (a, b) -> a, LinkedHashMap::new)).values());
    List<Rule> rules = List.copyOf(drawnRules.stream()
        .collect(Collectors.toMap(Rule::priority, r -> r, (a, b) -> a, LinkedHashMap::new)).values());
    StringBuilder file = new StringBuilder(routes.isEmpty() ? "routes: []\n" : "routes:\n");
    routes.forEach(r -> file.append("  - ").append(entry(r)).append('\n'));
    if (!rules.isEmpty()) {
      file.append("rules:\n");
      rules.forEach(r -> file.append("  - \"").append(entry(r)).append("\"\n"));
    }
    // Valid without a policy, by construction.
    new ConfigLoader(TABLES).parse("routes.yaml", file.toString());

    Policy policy = Policy.parse("policy.yaml", allow.text(), TABLES);
    Set<Integer> outside = new TreeSet<>();
    for (int i = 0; i < routes.size(); i++) {
      if (!inside(allow, routes.get(i))) {
        outside.add(i + 2);
      }
    }
    int firstRuleLine = routes.size() + 3;
    for (int i = 0; i < rules.size(); i++) {
      if (!inside(allow, rules.get(i))) {
        outside.add(firstRuleLine + i);
      }
    }

    DesiredConfig parsed = new ConfigLoader(TABLES).parse("routes.yaml", file.toString());
    Problems problems = new Problems();
    policy.check(parsed.routes(), parsed.rules(), problems);
    Set<Integer> refused = new TreeSet<>();
    try {
      problems.throwIfAny();
    } catch (ConfigException e) {
      e.problems().forEach(p -> refused.add(p.location().line()));
    }
    assertThat(refused).as("policy:\n%s\nfile:\n%s", allow.text(), file).isEqualTo(outside);

    // And the loader used by every command: accepted exactly when nothing is outside.
    boolean accepted;
    try {
      DesiredConfig loaded = loadWith(policy, file.toString());
      accepted = true;
      for (RouteSpec route : loaded.routes()) {
        assertThat(policy.refusals(route)).isEmpty();
      }
      for (RuleSpec rule : loaded.rules()) {
        assertThat(policy.refusals(rule)).isEmpty();
      }
    } catch (ConfigException e) {
      accepted = false;
    }
    assertThat(accepted).isEqualTo(outside.isEmpty());
  }

  private static DesiredConfig loadWith(Policy policy, String text) throws ConfigException {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("policy-property");
      java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("routes.yaml"), text);
      try {
        return new ConfigLoader(TABLES, () -> policy).load(file);
      } finally {
        java.nio.file.Files.delete(file);
        java.nio.file.Files.delete(dir);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String entry(Route r) {
    StringBuilder sb = new StringBuilder("{ to: ").append(DESTINATIONS.get(r.to()));
    if (r.blackhole()) {
      sb.append(", type: blackhole");
    } else {
      if (r.via() != null) {
        sb.append(", via: ").append(r.via());
      }
      if (r.dev() != null) {
        sb.append(", dev: \"").append(r.dev()).append('"');
      }
    }
    if (r.table() != 254) {
      sb.append(", table: ").append(r.table());
    }
    if (r.override()) {
      sb.append(", override: true");
    }
    return sb.append(" }").toString();
  }

  private static String entry(Rule r) {
    return (r.iif() == null ? "from 172.31.64.0/20" : "iif " + r.iif())
        + (r.to() == null ? "" : " to " + DESTINATIONS.get(r.to()))
        + (r.action() == null ? " lookup " + r.table() : " " + r.action()) + " priority " + r.priority();
  }

  // ---- the oracle: the policy's words, read plainly ----

  private static boolean inside(Allow a, Route r) {
    String to = DESTINATIONS.get(r.to());
    String via = r.blackhole() ? null : r.via();
    String dev = r.blackhole() ? null : r.dev();
    if (a.destinations() != null && a.destinations().stream().noneMatch(d -> within(to, d))) {
      return false;
    }
    if (a.gateways() != null && via != null
        && a.gateways().stream().noneMatch(g -> via.equals("subnet-router") ? g.equals(via) : !g.equals("subnet-router") && within(via, g))) {
      return false;
    }
    if (a.interfaces() != null) {
      if (dev != null && a.interfaces().stream().noneMatch(i -> deviceMatches(i, dev))) {
        return false;
      }
      if (dev == null && via != null && !via.equals("subnet-router")
          && a.interfaces().stream().noneMatch(i -> i.startsWith("{ subnet: ") && within(via, i.substring(10, i.length() - 2)))) {
        return false;
      }
    }
    if (a.tables() != null && a.tables().stream().noneMatch(t -> tableIn(t, r.table()))) {
      return false;
    }
    if (a.types() != null && !a.types().contains(r.blackhole() ? "blackhole" : "unicast")) {
      return false;
    }
    return !r.override() || Boolean.TRUE.equals(a.override());
  }

  private static boolean inside(Allow a, Rule r) {
    if (a.rules() == null) {
      return false;
    }
    if (a.rules().contains("priorities") && !(r.priority() >= 1000 && r.priority() <= 1999)) {
      return false;
    }
    if (r.action() != null) {
      // A drop rule: its action is a type, and its destination (all, without `to`) one of the destinations.
      if (a.types() != null && !a.types().contains(r.action())) {
        return false;
      }
      if (a.destinations() != null
          && (r.to() == null || a.destinations().stream().noneMatch(d -> within(DESTINATIONS.get(r.to()), d)))) {
        return false;
      }
    } else if (a.rules().contains("tables")) {
      if (!(r.table() >= 100 && r.table() <= 199)) {
        return false;
      }
    } else if (a.tables() != null && a.tables().stream().noneMatch(t -> tableIn(t, r.table()))) {
      return false;
    }
    return r.iif() == null || a.interfaces() == null || a.interfaces().contains(r.iif());
  }

  private static boolean deviceMatches(String allowed, String dev) {
    if (allowed.startsWith("{ mac: ")) {
      return dev.equals("mac:" + MAC);
    }
    if (allowed.startsWith("{ subnet: ")) {
      return dev.startsWith("subnet:") && within(dev.substring(7), allowed.substring(10, allowed.length() - 2));
    }
    return allowed.equals(dev);
  }

  private static boolean tableIn(String allowed, long table) {
    return switch (allowed) {
      case "main" -> table == 254;
      case "100-199" -> table >= 100 && table <= 199;
      default -> table == Long.parseLong(allowed);
    };
  }

  /** An address or prefix inside a prefix. */
  private static boolean within(String inner, String outer) {
    IpPrefix o = IpPrefix.parse(outer).prefix();
    return inner.contains("/")
        ? o.contains(IpPrefix.parse(inner).prefix())
        : o.contains(IpAddresses.parse(inner).orElseThrow());
  }

  // ---- generators ----

  @Provide
  Arbitrary<List<Route>> routes() {
    Arbitrary<Route> route = Combinators.combine(
            Arbitraries.integers().between(0, DESTINATIONS.size() - 1),
            Arbitraries.of(GATEWAYS),
            Arbitraries.of(DEVICES),
            Arbitraries.of(ROUTE_TABLES),
            Arbitraries.of(false, false, true),
            Arbitraries.of(false, false, true))
        .as((to, via, dev, table, blackhole, override) -> {
          // Valid by construction: a unicast route needs a gateway or a device, and subnet-router
          // a device.
          String d = dev;
          if (via == null && d == null || "subnet-router".equals(via) && d == null) {
            d = "eth2";
          }
          return new Route(to, via, d, table, blackhole, override);
        });
    return route.list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<Rule>> rules() {
    return Combinators.combine(
            Arbitraries.of(1L, 1000L, 1500L, 2500L),
            Arbitraries.of(100L, 150L, 66L),
            Arbitraries.of("eth0", "eth2").injectNull(0.6),
            Arbitraries.of("blackhole", "prohibit", "unreachable").injectNull(0.5),
            Arbitraries.integers().between(0, DESTINATIONS.size() - 1).injectNull(0.4))
        .as(Rule::new)
        .list()
        .ofMaxSize(3);
  }

  @Provide
  Arbitrary<Allow> policies() {
    return Combinators.combine(
            subset(List.of("10.0.0.0/8", "192.168.0.0/16", "11.0.0.0/8", "10.1.0.0/16")),
            subset(List.of("subnet-router", "172.31.0.0/16", "192.0.2.0/24")),
            subset(List.of("eth2", "eth0", "{ mac: " + MAC + " }", "{ subnet: 172.31.0.0/16 }")),
            subset(List.of("main", "100-199", "200")),
            subset(List.of("unicast", "blackhole", "prohibit")),
            Arbitraries.of("{}", "{ priorities: 1000-1999 }", "{ tables: [100-199] }",
                "{ priorities: 1000-1999, tables: [100-199] }").injectNull(0.3),
            Arbitraries.of(true, false).injectNull(0.4))
        .as(Allow::new);
  }

  /** A subset, or null (the key omitted) a third of the time. */
  private static Arbitrary<List<String>> subset(List<String> values) {
    return Arbitraries.subsetOf(values)
        .map(s -> {
          List<String> ordered = new ArrayList<>(values);
          ordered.retainAll(s);
          return ordered;
        })
        .injectNull(0.35);
  }

  /** Mutations of a valid policy: read, or refused with located problems; never anything else. */
  @Property(tries = 2000)
  void aMutatedPolicyIsReadOrRefusedCleanly(@ForAll("mutations") String text) {
    try {
      Policy policy = Policy.parse("policy.yaml", text, TABLES);
      assertThat(policy.inForce()).isTrue();
    } catch (ConfigException e) {
      assertThat(e.failClosed()).isTrue();
      assertThat(e.getMessage()).doesNotContain("Exception", "org.snakeyaml", "\tat ");
      assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo("policy.yaml"));
    }
  }

  /** The policy's own words, besides the YAML pieces every file may meet. */
  static final List<String> PIECES = Mutations.with(Mutations.YAML_PIECES, "allow:", "destinations: ",
      "gateways: ", "interfaces: ", "tables: ", "types: ", "rules: ", "priorities: ", "override: ",
      "adopt: ", "true", "{ subnet: ", "{ mac: ", "blackhole", "eth2");

  @Provide
  Arbitrary<String> mutations() {
    return Mutations.of(List.of(PolicyTest.EXAMPLE), PIECES);
  }
}
