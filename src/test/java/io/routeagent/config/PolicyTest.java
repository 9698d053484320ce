package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.routeagent.net.IpPrefix;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading a policy (every key, ranges, bad values with line and column) and checking entries against it. */
class PolicyTest {
  static final String POLICY = "/etc/route-agent/policy.yaml";
  static final TableNames TABLES = TableNames.of(Map.of("vpc", 100L, "my-table", 300L));

  /** The issue's example, line for line. */
  static final String EXAMPLE = """
      allow:
        destinations: [10.0.0.0/8, 192.168.0.0/16]
        gateways: [subnet-router, 172.31.0.0/16]
        interfaces: [eth2, { subnet: 172.31.0.0/16 }]
        tables: [main, 100-199]
        types: [unicast, blackhole]
        rules: { priorities: 1000-1999, tables: [100-199] }
        override: false
        adopt: false
      """;

  static Policy policy(String text) throws ConfigException {
    return Policy.parse(POLICY, text, TABLES);
  }

  static List<ConfigProblem> policyProblems(String text) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> policy(text));
    assertThat(e).as("a ConfigException for:\n%s", text).isNotNull();
    assertThat(e.failClosed()).isTrue();
    assertThat(e.getMessage()).doesNotContain("Exception", "org.snakeyaml", "\tat ");
    return e.problems();
  }

  static ConfigProblem policyProblem(String text) {
    List<ConfigProblem> problems = policyProblems(text);
    assertThat(problems).as("problems of:\n%s", text).hasSize(1);
    return problems.get(0);
  }

  /** The problems of a routes document under a policy; empty when it is accepted. */
  static List<ConfigProblem> refusals(String policy, String routes) throws ConfigException {
    Policy p = policy(policy);
    ConfigLoader loader = new ConfigLoader(TABLES, () -> p);
    Problems problems = new Problems();
    DesiredConfig config = loader.parse("routes.yaml", routes);
    p.check(config.routes(), config.rules(), problems);
    try {
      problems.throwIfAny();
      return List.of();
    } catch (ConfigException e) {
      assertThat(e.failClosed()).isFalse();
      return e.problems();
    }
  }

  static List<ConfigProblem> entryRefusals(String policy, String... entries) throws ConfigException {
    return refusals(policy, "routes:\n" + String.join("", java.util.Arrays.stream(entries).map(e -> "  - " + e + "\n").toList()));
  }

  // ---- reading ----

  @Test
  void theIssuesExampleReadsEveryKey() throws ConfigException {
    Policy.Content c = policy(EXAMPLE).content();
    assertThat(c.file()).isEqualTo(POLICY);
    assertThat(c.allowLine()).isEqualTo(1);
    assertThat(c.destinations().values()).containsExactly(prefix("10.0.0.0/8"), prefix("192.168.0.0/16"));
    assertThat(c.destinations().line()).isEqualTo(2);
    assertThat(c.gateways().subnetRouter()).isTrue();
    assertThat(c.gateways().prefixes()).containsExactly(prefix("172.31.0.0/16"));
    assertThat(c.gateways().line()).isEqualTo(3);
    assertThat(c.interfaces().values())
        .containsExactly(new DeviceSelector.Name("eth2"), new DeviceSelector.Subnet(prefix("172.31.0.0/16")));
    assertThat(c.tables().values()).containsExactly(new Policy.Range(254, 254), new Policy.Range(100, 199));
    assertThat(c.types().values()).containsExactly(RouteType.UNICAST, RouteType.BLACKHOLE);
    assertThat(c.rules().priorities().values()).containsExactly(new Policy.Range(1000, 1999));
    assertThat(c.rules().tables().values()).containsExactly(new Policy.Range(100, 199));
    assertThat(c.rules().line()).isEqualTo(7);
    assertThat(c.override()).isEqualTo(new Policy.Flag(false, 8));
    assertThat(c.adopt()).isEqualTo(new Policy.Flag(false, 9));
    assertThat(policy(EXAMPLE).adopt()).isFalse();
    assertThat(policy(EXAMPLE).inForce()).isTrue();
    assertThat(policy(EXAMPLE).file()).contains(POLICY);
  }

  @Test
  void omittedKeysAreOpenExceptRulesOverrideAndAdopt() throws ConfigException {
    Policy p = policy("allow: {}\n");
    Policy.Content c = p.content();
    assertThat(c.destinations()).isNull();
    assertThat(c.gateways()).isNull();
    assertThat(c.interfaces()).isNull();
    assertThat(c.tables()).isNull();
    assertThat(c.types()).isNull();
    assertThat(c.rules()).isNull();
    assertThat(p.override()).isFalse();
    assertThat(p.adopt()).isFalse();
    assertThat(policy("allow:\n  adopt: true\n  override: true\n").adopt()).isTrue();
    assertThat(policy("allow:\n  adopt: true\n  override: true\n").override()).isTrue();
  }

  @Test
  void withoutAPolicyFileAdoptionAndOverrideAreAsBefore() {
    assertThat(Policy.NONE.inForce()).isFalse();
    assertThat(Policy.NONE.adopt()).isTrue();
    assertThat(Policy.NONE.override()).isTrue();
    assertThat(Policy.NONE.file()).isEmpty();
  }

  @Test
  void numbersNamesAndRangesOfTablesAndPriorities() throws ConfigException {
    Policy.Content c = policy("""
        allow:
          tables: [vpc, 7, 200-299, my-table, main]
          rules: { priorities: [1, 1000-1999, 4294967295] }
        """).content();
    assertThat(c.tables().values()).containsExactly(new Policy.Range(100, 100), new Policy.Range(7, 7),
        new Policy.Range(200, 299), new Policy.Range(300, 300), new Policy.Range(254, 254));
    assertThat(c.rules().priorities().values()).containsExactly(new Policy.Range(1, 1),
        new Policy.Range(1000, 1999), new Policy.Range(4294967295L, 4294967295L));
    assertThat(c.rules().tables()).isNull();
    // A single value stands for a list of one.
    assertThat(policy("allow:\n  tables: 100-199\n").content().tables().values())
        .containsExactly(new Policy.Range(100, 199));
    assertThat(policy("allow:\n  rules:\n").content().rules()).isNotNull();
  }

  @Test
  void interfaceSelectorsAndDefault() throws ConfigException {
    Policy.Content c = policy("""
        allow:
          interfaces: [eth0, { mac: 0A:1b:2c:3d:4e:5f }, "subnet:10.0.0.0/8"]
          destinations: [default]
          gateways: 172.31.64.1
        """).content();
    assertThat(c.interfaces().values()).containsExactly(new DeviceSelector.Name("eth0"),
        new DeviceSelector.Mac("0a:1b:2c:3d:4e:5f"), new DeviceSelector.Subnet(prefix("10.0.0.0/8")));
    assertThat(c.destinations().values()).containsExactly(prefix("0.0.0.0/0"), prefix("::/0"));
    assertThat(c.gateways().prefixes()).containsExactly(prefix("172.31.64.1/32"));
    assertThat(c.gateways().subnetRouter()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      allow:\\n  destination: [10.0.0.0/8]   | 2 | 3  | unknown key "destination"
      allow: {}\\nallowed: {}                | 2 | 1  | unknown key "allowed"
      allow:\\n  rules: { priority: 5 }     | 2 | 12 | unknown key "priority"
      allow:\\n  destinations: [10.0.0.1/8] | 2 | 18 | host bits are set
      allow:\\n  gateways: [router]         | 2 | 14 | is not a gateway range
      allow:\\n  tables: [nosuch]           | 2 | 12 | unknown table name "nosuch"
      allow:\\n  tables: [200-100]          | 2 | 12 | table range 200-100 is empty
      allow:\\n  tables: [0]                | 2 | 12 | RT_TABLE_UNSPEC
      allow:\\n  types: [unicst]            | 2 | 11 | unknown route type "unicst"
      allow:\\n  rules: { priorities: 0 }   | 2 | 24 | priority 0 is out of range
      allow:\\n  rules: { priorities: 1-x } | 2 | 24 | priority "x" is not a whole number
      allow:\\n  override: yes              | 2 | 13 | `override` must be true or false
      allow:\\n  adopt: [true]              | 2 | 10 | `adopt` must be true or false
      allow:\\n  interfaces: [{ mc: x }]    | 2 | 16 | unknown key "mc" in an interface selector
      allow:\\n  interfaces: [{ mac: 1 }]   | 2 | 16 | "1" is not a MAC address
      allow:\\n  interfaces: [[eth0]]       | 2 | 16 | expected a single value here, not a list
      allow:\\n  destinations:              | 2 | 16 | `destinations` has no value
      allow: [10.0.0.0/8]                   | 1 | 8  | `allow` must be a mapping, not a list
      allow:\\n  rules: [1000]              | 2 | 10 | `rules` must be a mapping
      allow:\\n  adopt: true\\n  adopt: true | 3 | 3  | duplicate key "adopt"
      routes: []                            | 1 | 1  | unknown key "routes"
      - allow                               | 1 | 1  | the policy must be a mapping
      allow: {\\n                           | 2 | 1  | ends in the middle
      """)
  void badPoliciesAreReportedAtLineAndColumn(String text, int line, int column, String fragment) {
    String policy = text.replace("\\n", "\n").strip() + "\n";
    List<ConfigProblem> problems = policyProblems(policy);
    assertThat(problems).as(policy).anySatisfy(p -> {
      assertThat(p.location()).isEqualTo(new Location(POLICY, line, column));
      assertThat(p.message()).contains(fragment);
    });
  }

  @Test
  void anEmptyPolicyOrOneWithoutAllowIsRefused() {
    assertThat(policyProblem("").message()).isEqualTo("the file is empty");
    assertThat(policyProblem("# nothing\n").hint()).contains("allow: {}");
    assertThat(policyProblem("{}\n").message()).contains("there is no `allow:` key");
    assertThat(policyProblem("allow:\n").message()).contains("`allow` has no value");
  }

  @Test
  void anUnknownKeySuggestsTheRightOne() {
    ConfigProblem p = policyProblem("allow:\n  gateway: [subnet-router]\n");
    assertThat(p.hint()).contains("gateways");
  }

  // ---- checking ----

  @Test
  void destinations() throws ConfigException {
    String policy = "allow:\n  destinations: [10.0.0.0/8, \"2001:db8::/32\"]\n";
    assertThat(entryRefusals(policy, "10.1.0.0/16 via 172.31.64.1", "10.0.0.0/8 dev eth2", "2001:db8:1::/48 dev eth2")).isEmpty();
    List<ConfigProblem> refused = entryRefusals(policy, "10.1.0.0/16 via 172.31.64.1", "11.0.0.0/16 via 172.31.64.1",
        "{ to: 0.0.0.0/7, via: 172.31.64.1 }");
    assertThat(refused).hasSize(2);
    assertThat(refused.get(0).toString()).isEqualTo(
        "routes.yaml:3:5: destination 11.0.0.0/16 is outside the policy's allow.destinations"
            + " (/etc/route-agent/policy.yaml:2). The policy is the administrator's: keep the entry"
            + " inside it, or ask them to widen it.");
    assertThat(refused.get(1).location()).isEqualTo(new Location("routes.yaml", 4, 5));
  }

  @Test
  void gateways() throws ConfigException {
    String policy = "allow:\n  gateways: [172.31.0.0/16]\n";
    assertThat(entryRefusals(policy, "10.1.0.0/16 via 172.31.64.1", "{ to: 10.2.0.0/16, type: blackhole }",
        "10.3.0.0/16 dev eth2")).isEmpty();
    assertThat(entryRefusals(policy, "10.1.0.0/16 via 192.0.2.1")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("gateway 192.0.2.1 is outside the policy's allow.gateways (/etc/route-agent/policy.yaml:2)"));
    assertThat(entryRefusals(policy, "10.1.0.0/16 via subnet-router dev eth2")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("gateway subnet-router"));
    assertThat(entryRefusals("allow:\n  gateways: [subnet-router]\n", "10.1.0.0/16 via subnet-router dev eth2")).isEmpty();
  }

  @Test
  void interfaces() throws ConfigException {
    String policy = "allow:\n  interfaces: [eth2, { mac: 0a:1b:2c:3d:4e:5f }, { subnet: 172.31.0.0/16 }]\n";
    assertThat(entryRefusals(policy,
        "10.1.0.0/16 dev eth2",
        "10.2.0.0/16 dev mac:0a:1b:2c:3d:4e:5f",
        "10.3.0.0/16 dev subnet:172.31.64.0/20",
        "10.4.0.0/16 via 172.31.64.1",
        "{ to: 10.5.0.0/16, type: unreachable }")).isEmpty();
    List<ConfigProblem> refused = entryRefusals(policy,
        "10.1.0.0/16 dev eth0",
        "10.2.0.0/16 dev mac:0a:1b:2c:3d:4e:50",
        "10.3.0.0/16 dev subnet:172.0.0.0/8",
        "10.4.0.0/16 via 192.0.2.1");
    assertThat(refused).extracting(ConfigProblem::message).satisfiesExactly(
        m -> assertThat(m).contains("interface eth0 is outside the policy's allow.interfaces (/etc/route-agent/policy.yaml:2)"),
        m -> assertThat(m).contains("interface mac:0a:1b:2c:3d:4e:50"),
        m -> assertThat(m).contains("interface subnet:172.0.0.0/8"),
        m -> assertThat(m).contains("names no interface").contains("192.0.2.1"));
  }

  @Test
  void tables() throws ConfigException {
    String policy = "allow:\n  tables: [main, 100-199]\n";
    assertThat(entryRefusals(policy, "10.1.0.0/16 dev eth2", "10.2.0.0/16 dev eth2 table vpc", "10.3.0.0/16 dev eth2 table 199")).isEmpty();
    assertThat(entryRefusals(policy, "10.1.0.0/16 dev eth2 table 200")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("table 200 is outside the policy's allow.tables (/etc/route-agent/policy.yaml:2)"));
    assertThat(entryRefusals(policy, "10.1.0.0/16 dev eth2 table 9999")).hasSize(1);
  }

  @Test
  void types() throws ConfigException {
    String policy = "allow:\n  types: [unicast]\n";
    assertThat(entryRefusals(policy, "10.1.0.0/16 dev eth2")).isEmpty();
    assertThat(entryRefusals(policy, "{ to: 10.1.0.0/16, type: blackhole }")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("route type blackhole is outside the policy's allow.types"));
  }

  @Test
  void override() throws ConfigException {
    String entry = "default via 172.31.64.1 dev eth2 override";
    assertThat(entryRefusals("allow:\n  override: true\n", entry)).isEmpty();
    assertThat(entryRefusals("allow:\n  override: false\n", entry)).singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo("`override: true` is refused by the policy (/etc/route-agent/policy.yaml:2)"));
    assertThat(entryRefusals("allow:\n  types: [unicast]\n", entry)).singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo(
            "`override: true` is refused by the policy (/etc/route-agent/policy.yaml:1: allow has no `override: true`)"));
  }

  @Test
  void rules() throws ConfigException {
    String rules = "routes: []\nrules:\n  - from 172.31.64.0/20 lookup 150 priority 1500\n";
    assertThat(refusals("allow: {}\n", rules)).singleElement().satisfies(p -> {
      assertThat(p.location()).isEqualTo(new Location("routes.yaml", 3, 5));
      assertThat(p.message()).isEqualTo("the policy allows no rules (/etc/route-agent/policy.yaml:1: allow has no `rules`)");
    });
    assertThat(refusals("allow:\n  rules: {}\n", rules)).isEmpty();
    assertThat(refusals(EXAMPLE, rules)).isEmpty();
    assertThat(refusals(EXAMPLE, "routes: []\nrules:\n  - from all lookup 66 priority 1\n"))
        .extracting(ConfigProblem::message).containsExactly(
            "rule priority 1 is outside the policy's allow.rules.priorities (/etc/route-agent/policy.yaml:7)",
            "rule table 66 is outside the policy's allow.rules.tables (/etc/route-agent/policy.yaml:7)");
    // Without rules.tables, the rule's table is held to allow.tables.
    assertThat(refusals("allow:\n  tables: [100-199]\n  rules: {}\n", "routes: []\nrules:\n  - from all lookup 66 priority 1\n"))
        .extracting(ConfigProblem::message)
        .containsExactly("rule table 66 is outside the policy's allow.tables (/etc/route-agent/policy.yaml:2)");
    assertThat(refusals("allow:\n  interfaces: [eth2]\n  rules: {}\n",
        "routes: []\nrules:\n  - iif eth0 lookup 100 priority 100\n  - oif eth2 lookup 100 priority 101\n"))
        .extracting(ConfigProblem::message)
        .containsExactly("interface eth0 is outside the policy's allow.interfaces (/etc/route-agent/policy.yaml:2)");
  }

  /** The reviewer's policy: destinations 10.0.0.0/8, unicast routes only, rules 1000-1999 in table 100. */
  static final String CONFINED = """
      allow:
        destinations: [10.0.0.0/8]
        types: [unicast]
        gateways: [subnet-router]
        interfaces: [eth2]
        rules: { priorities: 1000-1999, tables: [100] }
        override: false
        adopt: false
      """;

  static List<ConfigProblem> ruleRefusals(String policy, String... rules) throws ConfigException {
    return refusals(policy, "routes: []\nrules:\n"
        + String.join("", java.util.Arrays.stream(rules).map(r -> "  - " + r + "\n").toList()));
  }

  @Test
  void aDropRuleIsHeldToTheDestinations() throws ConfigException {
    String policy = "allow:\n  destinations: [10.0.0.0/8, \"2001:db8::/32\"]\n  rules: {}\n";
    assertThat(ruleRefusals(policy, "to 10.1.0.0/16 prohibit priority 1000", "to 10.2.0.0/16 blackhole priority 1001",
        "from 172.31.64.0/20 to 10.3.0.0/16 unreachable priority 1002", "to 2001:db8:1::/48 prohibit priority 1003"))
        .isEmpty();
    assertThat(ruleRefusals(policy, "to 10.1.0.0/16 prohibit priority 1000", "to 192.168.5.0/24 prohibit priority 1001"))
        .singleElement().satisfies(p -> assertThat(p.toString()).isEqualTo(
            "routes.yaml:4:5: destination 192.168.5.0/24 of the prohibit rule is outside the policy's"
                + " allow.destinations (/etc/route-agent/policy.yaml:2). The policy is the administrator's: keep"
                + " the entry inside it, or ask them to widen it."));
    assertThat(ruleRefusals(policy, "to 2001:db9::/32 blackhole priority 1000", "to 0.0.0.0/7 unreachable priority 1001"))
        .extracting(ConfigProblem::message).containsExactly(
            "destination 2001:db9::/32 of the blackhole rule is outside the policy's allow.destinations (/etc/route-agent/policy.yaml:2)",
            "destination 0.0.0.0/7 of the unreachable rule is outside the policy's allow.destinations (/etc/route-agent/policy.yaml:2)");
  }

  /**
   * A drop rule without {@code to} drops traffic to every destination, whatever else it selects:
   * a source, an interface, a mark. Only a policy that allows the whole family lets it in.
   */
  @Test
  void aDropRuleWithoutToDropsEveryDestination() throws ConfigException {
    String policy = "allow:\n  destinations: [10.0.0.0/8]\n  rules: {}\n";
    assertThat(ruleRefusals(policy, "from 172.31.64.0/20 prohibit priority 1000", "iif eth2 blackhole priority 1001",
        "fwmark 0x10 unreachable priority 1002", "from 2001:db8::/32 prohibit priority 1003"))
        .extracting(ConfigProblem::message).containsExactly(
            "the prohibit rule has no `to`: its destination, every IPv4 address, is outside the policy's allow.destinations (/etc/route-agent/policy.yaml:2)",
            "the blackhole rule has no `to`: its destination, every IPv4 address, is outside the policy's allow.destinations (/etc/route-agent/policy.yaml:2)",
            "the unreachable rule has no `to`: its destination, every IPv4 address, is outside the policy's allow.destinations (/etc/route-agent/policy.yaml:2)",
            "the prohibit rule has no `to`: its destination, every IPv6 address, is outside the policy's allow.destinations (/etc/route-agent/policy.yaml:2)");
    // `default` allows every destination of both families; IPv4 alone leaves IPv6 out.
    assertThat(ruleRefusals("allow:\n  destinations: [default]\n  rules: {}\n",
        "from 172.31.64.0/20 prohibit priority 1000", "from 2001:db8::/32 prohibit priority 1001")).isEmpty();
    assertThat(ruleRefusals("allow:\n  destinations: [0.0.0.0/0]\n  rules: {}\n",
        "from 172.31.64.0/20 prohibit priority 1000", "from 2001:db8::/32 prohibit priority 1001"))
        .singleElement().satisfies(p -> assertThat(p.message()).startsWith("the prohibit rule has no `to`: its destination, every IPv6 address"));
  }

  @Test
  void aDropRulesActionIsHeldToTheTypes() throws ConfigException {
    String policy = "allow:\n  types: [unicast, blackhole]\n  rules: {}\n";
    assertThat(ruleRefusals(policy, "to 10.1.0.0/16 blackhole priority 1000", "from 172.31.64.0/20 lookup 100 priority 1001"))
        .isEmpty();
    assertThat(ruleRefusals(policy, "to 10.1.0.0/16 prohibit priority 1000", "to 10.2.0.0/16 unreachable priority 1001"))
        .extracting(ConfigProblem::message).containsExactly(
            "rule action prohibit is outside the policy's allow.types (/etc/route-agent/policy.yaml:2)",
            "rule action unreachable is outside the policy's allow.types (/etc/route-agent/policy.yaml:2)");
    // Omitted types leave every action open, as for routes.
    assertThat(ruleRefusals("allow:\n  rules: {}\n", "to 10.1.0.0/16 prohibit priority 1000",
        "to 10.2.0.0/16 unreachable priority 1001", "from 172.31.64.0/20 blackhole priority 1002")).isEmpty();
  }

  /** Lookup rules stay as they were: their tables are held, and the tables' routes to the destinations. */
  @Test
  void aLookupRuleWithoutToIsStillAccepted() throws ConfigException {
    assertThat(ruleRefusals(CONFINED, "from 172.31.64.0/20 lookup 100 priority 1000", "iif eth2 lookup 100 priority 1001",
        "to 192.168.0.0/16 lookup 100 priority 1002")).isEmpty();
  }

  /**
   * The reviewer's attack: drop rules that split the address space, under a policy that confines
   * routes to 10.0.0.0/8 and unicast. None is "to 0/0", so the guard rail against an unconfined
   * drop lets each through; each is refused for its action and its destination. Two /1 rules:
   * {@code to 128.0.0.0/1} alone holds the metadata service, which the guard rail already refuses,
   * so here they take the notebook's source ({@code from}) as well, which the guard rail counts as
   * confining.
   */
  @Test
  void dropRulesThatSplitTheAddressSpaceAreRefused() throws ConfigException {
    List<ConfigProblem> refused = ruleRefusals(CONFINED,
        "from 172.31.64.0/20 to 0.0.0.0/1 prohibit priority 1000", "from 172.31.64.0/20 to 128.0.0.0/1 prohibit priority 1001");
    assertThat(refused).extracting(ConfigProblem::location)
        .containsExactly(new Location("routes.yaml", 3, 5), new Location("routes.yaml", 3, 5),
            new Location("routes.yaml", 4, 5), new Location("routes.yaml", 4, 5));
    assertThat(refused).extracting(ConfigProblem::message).containsExactly(
        "rule action prohibit is outside the policy's allow.types (/etc/route-agent/policy.yaml:3)",
        "destination 0.0.0.0/1 of the prohibit rule is outside the policy's allow.destinations (/etc/route-agent/policy.yaml:2)",
        "rule action prohibit is outside the policy's allow.types (/etc/route-agent/policy.yaml:3)",
        "destination 128.0.0.0/1 of the prohibit rule is outside the policy's allow.destinations (/etc/route-agent/policy.yaml:2)");
    // With blackhole allowed, the destinations alone still refuse them.
    assertThat(ruleRefusals(CONFINED.replace("[unicast]", "[unicast, blackhole]"),
        "from 172.31.64.0/20 to 0.0.0.0/1 blackhole priority 1000", "from 172.31.64.0/20 to 128.0.0.0/1 blackhole priority 1001"))
        .extracting(ConfigProblem::message).hasSize(2).allSatisfy(m -> assertThat(m).contains("allow.destinations"));
  }

  /**
   * The whole IPv4 space but the metadata service, in 32 unconfined drop rules (0.0.0.0/1,
   * 128.0.0.0/2, …, 169.254.169.255/32): the guard rails let each through, the policy refuses each.
   */
  @Test
  void unconfinedDropRulesAroundTheMetadataServiceAreRefused() throws ConfigException {
    String[] rules = new String[32];
    long metadata = 0xA9FEA9FEL;
    for (int length = 1; length <= 32; length++) {
      long sibling = (metadata ^ (1L << (32 - length))) & (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
      rules[length - 1] = "to " + (sibling >>> 24) + "." + ((sibling >>> 16) & 255) + "." + ((sibling >>> 8) & 255)
          + "." + (sibling & 255) + "/" + length + " blackhole priority " + (1000 + length);
    }
    String policy = "allow:\n  destinations: [10.0.0.0/8]\n  rules: {}\n";
    // Under a policy without destinations, they are accepted: the guard rails alone do not see the split.
    assertThat(ruleRefusals("allow:\n  rules: {}\n", rules)).isEmpty();
    List<ConfigProblem> refused = ruleRefusals(policy, rules);
    assertThat(refused).hasSize(32).allSatisfy(p -> assertThat(p.message()).contains("allow.destinations"));
    assertThat(refused.get(0).message()).isEqualTo("destination 0.0.0.0/1 of the blackhole rule is outside the"
        + " policy's allow.destinations (/etc/route-agent/policy.yaml:2)");
    assertThat(refused.get(31).message()).startsWith("destination 169.254.169.255 of the blackhole rule");
  }

  @Test
  void anEntryOutsideSeveralDimensionsIsReportedForEach() throws ConfigException {
    assertThat(entryRefusals(EXAMPLE, "{ to: 11.0.0.0/8, via: 192.0.2.1, dev: eth0, table: 500, type: unicast }"))
        .extracting(ConfigProblem::message)
        .satisfiesExactly(
            m -> assertThat(m).startsWith("destination 11.0.0.0/8"),
            m -> assertThat(m).startsWith("gateway 192.0.2.1"),
            m -> assertThat(m).startsWith("interface eth0"),
            m -> assertThat(m).startsWith("table 500"));
  }

  @Test
  void theLoaderRefusesAFileOutsideThePolicyAndSaysWhichPolicyWasInForce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path routes = dir.resolve("routes.yaml");
    java.nio.file.Files.writeString(routes, "routes:\n  - 10.0.0.0/16 via 172.31.64.1\n  - 11.0.0.0/16 via 172.31.64.1\n");
    Policy p = policy(EXAMPLE);
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(TABLES, () -> p).load(routes));
    assertThat(e.failClosed()).isFalse();
    assertThat(e.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.location()).isEqualTo(new Location(routes.toString(), 3, 5));
      assertThat(problem.message()).contains("(/etc/route-agent/policy.yaml:2)");
    });
    java.nio.file.Files.writeString(routes, "routes:\n  - 10.0.0.0/16 via 172.31.64.1\n");
    assertThat(new ConfigLoader(TABLES, () -> p).load(routes).policy()).isEqualTo(p);
    assertThat(new ConfigLoader(TABLES).load(routes).policy()).isEqualTo(Policy.NONE);
    // A policy that cannot be read fails the load before the routes file is read.
    ConfigException closed = catchThrowableOfType(ConfigException.class,
        () -> new ConfigLoader(TABLES, () -> policy("allow: [\n")).load(routes));
    assertThat(closed.failClosed()).isTrue();
  }

  private static IpPrefix prefix(String text) {
    return IpPrefix.parse(text).prefix();
  }
}
