package io.routeagent.config;

import static io.routeagent.config.Yaml.assertProblem;
import static io.routeagent.config.Yaml.entry;
import static io.routeagent.config.Yaml.entryProblem;
import static io.routeagent.config.Yaml.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.IpPrefix;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GuardRailsTest {
  private static final List<IpPrefix> CONNECTED =
      List.of(
          IpPrefix.parse("172.31.64.0/20").prefix(), IpPrefix.parse("2001:db8:1::/64").prefix());

  @Test
  void aDefaultRouteInTheMainTableNeedsOverride() throws ConfigException {
    ConfigProblem p = entryProblem("default via 172.31.0.1 dev eth0");
    assertProblem(p, 2, 5, "a default route in the main table");
    assertThat(p.hint()).contains("override: true");
    assertProblem(entryProblem("{ to: 0.0.0.0/0, dev: eth0 }"), 2, 11, "a default route");
    assertProblem(entryProblem("{ to: \"::/0\", dev: eth0 }"), 2, 11, "a default route");

    assertThat(entry("default via 172.31.0.1 dev eth0 override").override()).isTrue();
    assertThat(entry("{ to: default, via: 172.31.0.1, override: true }").override()).isTrue();
    assertThat(entry("default via 172.31.0.1 dev eth0 table 100").table()).isEqualTo(100);
  }

  @ParameterizedTest
  @ValueSource(strings = {"169.254.169.254", "169.254.0.0/16", "169.0.0.0/8", "128.0.0.0/1"})
  void destinationsHoldingTheMetadataServiceNeedOverride(String to) throws ConfigException {
    ConfigProblem p = entryProblem(to + " via 172.31.64.1 dev eth2");
    assertProblem(p, 2, 5, "contains the instance metadata service 169.254.169.254");
    assertThat(p.message()).contains("cut the notebook off its instance metadata");
    assertThat(p.hint()).contains("override: true");
    assertThat(entry(to + " via 172.31.64.1 dev eth2 override").override()).isTrue();
  }

  @Test
  void theIpv6MetadataServiceToo() {
    assertProblem(entryProblem("fd00:ec2::/32 dev eth0"), 2, 5, "fd00:ec2::254");
  }

  @ParameterizedTest
  @ValueSource(strings = {"prohibit", "blackhole", "unreachable"})
  void blockingTheMetadataServiceItselfIsAllowed(String type) throws ConfigException {
    assertThat(entry("{ to: 169.254.169.254/32, type: " + type + " }").type().keyword())
        .isEqualTo(type);
    assertThat(entry(type + " fd00:ec2::254").to().isHost()).isTrue();
  }

  @Test
  void blockingMoreThanTheMetadataServiceNeedsOverride() {
    assertProblem(entryProblem("prohibit 169.254.0.0/16"), 2, 14, "contains the instance metadata");
    assertProblem(entryProblem("throw 169.254.169.254"), 2, 11, "contains the instance metadata");
  }

  @Test
  void otherTablesAreNotGuarded() throws ConfigException {
    assertThat(entry("169.254.169.254 via 10.0.0.1 table 100").table()).isEqualTo(100);
  }

  @Test
  void aRouteInsideAConnectedSubnetIsRefused() throws ConfigException {
    assertThat(GuardRails.connectedConflict(entry("172.31.64.0/20 dev eth2"), CONNECTED))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith("172.31.64.0/20 is the directly connected subnet 172.31.64.0/20:")
                    .contains("take local traffic off its link", "override: true"));
    assertThat(GuardRails.connectedConflict(entry("172.31.70.0/24 via 10.0.0.1"), CONNECTED))
        .hasValueSatisfying(m -> assertThat(m).contains("lies inside"));
    assertThat(GuardRails.connectedConflict(entry("2001:db8:1::5 dev eth0"), CONNECTED))
        .isPresent();
  }

  @Test
  void aWiderPrefixOrAnotherTableOrOverrideIsFine() throws ConfigException {
    assertThat(GuardRails.connectedConflict(entry("172.16.0.0/12 via 172.31.64.1"), CONNECTED))
        .isEmpty();
    assertThat(GuardRails.connectedConflict(entry("172.31.64.0/24 dev eth2 table 9"), CONNECTED))
        .isEmpty();
    assertThat(GuardRails.connectedConflict(entry("172.31.64.0/24 dev eth2 override"), CONNECTED))
        .isEmpty();
    assertThat(GuardRails.connectedConflict(entry("10.0.0.0/8 dev eth2"), CONNECTED)).isEmpty();
    assertThat(GuardRails.connectedConflict(entry("2001:db8::/32 dev eth2"), CONNECTED)).isEmpty();
  }

  @Test
  void blockingTheMetadataServiceIsFineEvenWhenConnected() throws ConfigException {
    RouteSpec block = entry("prohibit 169.254.169.254");
    assertThat(
            GuardRails.connectedConflict(block, List.of(IpPrefix.parse("169.254.0.0/16").prefix())))
        .isEmpty();
  }

  /** A routes file with {@code route} in its routes and {@code rule} as its only rule (line 4). */
  private static String withRule(String route, String rule) {
    return "routes:\n  - " + route + "\nrules:\n  - " + rule + "\n";
  }

  private static Map<Long, RuleSpec> exposedBy(String rule) throws ConfigException {
    return GuardRails.exposedTables(Yaml.LOADER.parse(Yaml.FILE, "routes: []\nrules:\n  - " + rule + "\n").rules());
  }

  /** The reproduction of issue 10: `from all lookup 66 priority 1` made table 66 the notebook's. */
  @Test
  void aDefaultRouteInATableThatARuleSendsAllTrafficToNeedsOverride() throws ConfigException {
    ConfigProblem p = problem(withRule("default via 172.31.64.1 dev eth2 table 66", "\"from all lookup 66 priority 1\""));
    assertProblem(p, 2, 5, "a default route in table 66, which the rule \"lookup 66 priority 1\" at routes.yaml:4:5"
        + " sends all traffic to, would compete with the notebook's own default route");
    assertThat(p.hint()).contains("override: true");
    assertThat(Yaml.LOADER.parse(Yaml.FILE,
            withRule("default via 172.31.64.1 dev eth2 table 66 override", "\"from all lookup 66 priority 1\""))
        .routes()).singleElement().satisfies(r -> assertThat(r.override()).isTrue());
  }

  @Test
  void theMetadataServiceInSuchATableToo() throws ConfigException {
    ConfigProblem p = problem(withRule("{ to: 169.254.0.0/16, via: 172.31.64.1, table: 66 }",
        "{ table: 66, priority: 100 }"));
    assertProblem(p, 2, 5, "169.254.0.0/16 in table 66, which the rule \"lookup 66 priority 100\" at routes.yaml:4:5"
        + " sends all traffic to, contains the instance metadata service 169.254.169.254");
    // Blocking the metadata service alone stays the deliberate exception there as in main.
    assertThat(Yaml.LOADER.parse(Yaml.FILE, withRule("blackhole 169.254.169.254 table 66", "\"lookup 66 priority 100\""))
        .routes()).hasSize(1);
  }

  @Test
  void aRuleInAnotherFileExposesTheTableToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path file = dir.resolve("routes.yaml");
    java.nio.file.Files.writeString(file, "routes:\n  - \"default via 172.31.64.1 dev eth2 table 66\"\n");
    java.nio.file.Files.createDirectory(dir.resolve("routes.d"));
    java.nio.file.Files.writeString(dir.resolve("routes.d/rules.yaml"),
        "routes: []\nrules:\n  - \"iif lo lookup 66 priority 1\"\n");
    ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class, () -> Yaml.LOADER.load(file));
    assertThat(e).isNotNull();
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.location()).isEqualTo(new Location(file.toString(), 2, 5));
      assertThat(p.message()).contains("a default route in table 66", "rules.yaml:3:5");
    });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "lookup 66 priority 1",
      "from all lookup 66 priority 1",
      "from 0.0.0.0/0 to all lookup 66 priority 1",
      "iif lo lookup 66 priority 1",
      "fwmark 0 lookup 66 priority 1",
      "fwmark 0x0/0xffffffff lookup 66 priority 1",
      "fwmark 0x10/0x0 lookup 66 priority 1",
      "to 128.0.0.0/1 lookup 66 priority 1",
      "to 169.254.169.254 lookup 66 priority 1",
      "family inet6 lookup 66 priority 1",
  })
  void rulesThatTakeTheNotebooksOwnTrafficExposeTheirTable(String rule) throws ConfigException {
    assertThat(exposedBy("\"" + rule + "\"")).containsOnlyKeys(66L);
    assertProblem(problem(withRule("default via 172.31.64.1 dev eth2 table 66", "\"" + rule + "\"")), 2, 5,
        "a default route in table 66");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "from 172.31.64.0/20 lookup 66 priority 1",
      "from 0.0.0.0/1 lookup 66 priority 1",
      "to 10.0.0.0/8 lookup 66 priority 1",
      "iif eth2 lookup 66 priority 1",
      "oif eth2 lookup 66 priority 1",
      "fwmark 0x10 lookup 66 priority 1",
      "fwmark 0x10/0xff lookup 66 priority 1",
      "lookup main priority 1",
      "from 10.0.0.0/8 prohibit priority 1",
  })
  void aTableReachedOnlyThroughASelectorMayHoldADefaultRoute(String rule) throws ConfigException {
    assertThat(exposedBy("\"" + rule + "\"")).isEmpty();
    assertThat(Yaml.LOADER.parse(Yaml.FILE, withRule("default via 172.31.64.1 dev eth2 table 66", "\"" + rule + "\""))
        .routes()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"blackhole", "unreachable", "prohibit", "throw"})
  void aBlockingRouteForAConnectedAddressIsRefusedAsAUnicastOne(String type) throws ConfigException {
    // eth2's router, in the main table and in a table that a rule sends all traffic to
    assertThat(GuardRails.connectedConflict(entry(type + " 172.31.64.1"), CONNECTED))
        .hasValueSatisfying(m -> assertThat(m).contains("lies inside the directly connected subnet 172.31.64.0/20"));
    RouteSpec inTable = entry(type + " 172.31.64.1 table 66");
    assertThat(GuardRails.connectedConflict(inTable, CONNECTED)).isEmpty();
    assertThat(GuardRails.connectedConflict(inTable, CONNECTED, exposedBy("\"lookup 66 priority 1\"")))
        .hasValueSatisfying(m -> assertThat(m).startsWith(
                "172.31.64.1 in table 66, which the rule \"lookup 66 priority 1\" at routes.yaml:3:5 sends all"
                    + " traffic to, lies inside the directly connected subnet 172.31.64.0/20: the route would take"
                    + " local traffic off its link.")
            .contains("override: true"));
    assertThat(GuardRails.connectedConflict(entry(type + " 172.31.64.1 table 66 override"), CONNECTED,
        exposedBy("\"lookup 66 priority 1\""))).isEmpty();
    assertThat(GuardRails.connectedConflict(inTable, CONNECTED, exposedBy("\"from 10.0.0.0/8 lookup 66 priority 1\"")))
        .isEmpty();
  }

  @Test
  void blockingTheMetadataServiceInAnExposedTableIsStillFine() throws ConfigException {
    assertThat(GuardRails.connectedConflict(entry("prohibit 169.254.169.254 table 66"),
        List.of(IpPrefix.parse("169.254.0.0/16").prefix()), exposedBy("\"lookup 66 priority 1\""))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = "=>", textBlock = """
      "10.0.0.0/8 via 172.31.64.1 table 10001"                  => 39
      "default via 172.31.64.1 dev eth2 table 10000 override"   => 45
      { to: 10.0.0.0/8, dev: eth2, table: 11999 }                => 41
      { to: 10.0.0.0/8, dev: eth2, table: 11999, override: true } => 41
      """)
  void routesIntoEc2NetUtilsTablesAreRefused(String entry, int column) {
    ConfigProblem p = entryProblem(entry);
    assertProblem(p, 2, column, "is in the range 10000-11999 that ec2-net-utils uses for its per-interface tables");
    // override does not pass it: those tables are never ours.
    assertThat(p.hint()).contains("never touches ec2-net-utils' tables");
  }

  @Test
  void tablesBesideEc2NetUtilsRangeAreFine() throws ConfigException {
    assertThat(entry("10.0.0.0/8 via 172.31.64.1 table 9999").table()).isEqualTo(9999);
    assertThat(entry("10.0.0.0/8 via 172.31.64.1 table 12000").table()).isEqualTo(12000);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "prohibit priority 5",
      "from all blackhole priority 5",
      "iif lo unreachable priority 5",
      "fwmark 0 prohibit priority 5",
      "to 128.0.0.0/1 prohibit priority 5",
  })
  void aRuleThatDropsTheNotebooksOwnTrafficIsRefused(String rule) {
    ConfigProblem p = problem("routes: []\nrules:\n  - \"" + rule + "\"\n");
    assertProblem(p, 3, 5, "drops ");
    assertThat(p.message()).contains("cut the notebook off its service");
    assertThat(p.hint()).contains("Give it a selector");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "to 169.254.169.254 prohibit priority 5",
      "to 10.0.0.0/8 blackhole priority 5",
      "iif eth2 unreachable priority 5",
      "fwmark 0x10 prohibit priority 5",
  })
  void aRuleThatDropsSomethingNarrowerIsFine(String rule) throws ConfigException {
    assertThat(Yaml.LOADER.parse(Yaml.FILE, "routes: []\nrules:\n  - \"" + rule + "\"\n").rules()).hasSize(1);
  }

  private static RuleSpec ruleOf(String rule) throws ConfigException {
    return Yaml.LOADER.parse(Yaml.FILE, "routes: []\nrules:\n  - \"" + rule + "\"\n").rules().get(0);
  }

  /** A rule comes before main: blackholing eth2's router by a rule cuts the link as a route would. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = "=>", textBlock = """
      to 172.31.64.1 blackhole priority 5          => 172.31.64.1, which lies inside the directly connected subnet 172.31.64.0/20
      to 172.31.64.0/20 prohibit priority 5        => 172.31.64.0/20, which is the directly connected subnet 172.31.64.0/20
      to 172.16.0.0/12 unreachable priority 5      => 172.16.0.0/12, which contains the directly connected subnet 172.31.64.0/20
      iif lo to 172.31.64.1 lookup 66 priority 5   => 172.31.64.1, which lies inside
      fwmark 0 to 2001:db8:1::1 lookup 66 priority 5 => 2001:db8:1::1, which lies inside the directly connected subnet 2001:db8:1::/64
      """)
  void aRuleThatTakesAConnectedDestinationOffItsLinkIsRefused(String rule, String fragment) throws ConfigException {
    assertThat(GuardRails.ruleConnectedConflict(ruleOf(rule), CONNECTED)).hasValueSatisfying(m ->
        assertThat(m).startsWith("the rule \"").contains("takes the notebook's traffic to " + fragment,
            "off its link", "declare a route instead"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "to 10.0.0.0/8 blackhole priority 5",
      "to 172.31.64.1 lookup main priority 5",
      "from 10.0.0.0/8 to 172.31.64.1 blackhole priority 5",
      "iif eth2 to 172.31.64.0/20 prohibit priority 5",
      "fwmark 0x10 to 172.31.64.1 lookup 66 priority 5",
      "from 172.31.64.0/20 lookup 66 priority 5",
  })
  void aRuleThatLeavesConnectedDestinationsAloneIsFine(String rule) throws ConfigException {
    assertThat(GuardRails.ruleConnectedConflict(ruleOf(rule), CONNECTED)).isEmpty();
  }

  @Test
  void aRuleBlockingTheMetadataServiceIsFineEvenWhenConnected() throws ConfigException {
    assertThat(GuardRails.ruleConnectedConflict(ruleOf("to 169.254.169.254 prohibit priority 5"),
        List.of(IpPrefix.parse("169.254.0.0/16").prefix()))).isEmpty();
  }
}
