package io.routeagent.config;

import static io.routeagent.config.Yaml.assertProblem;
import static io.routeagent.config.Yaml.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RulesTest {
  private static List<RuleSpec> rules(String yaml) throws ConfigException {
    return Yaml.LOADER.parse(Yaml.FILE, yaml).rules();
  }

  private static RuleSpec rule(String entry) throws ConfigException {
    List<RuleSpec> rules = rules("routes: []\nrules:\n  - " + entry + "\n");
    assertThat(rules).hasSize(1);
    return rules.get(0);
  }

  /** The single problem of a document whose only rule is {@code entry}, written at line 3. */
  private static ConfigProblem ruleProblem(String entry) {
    return problem("routes: []\nrules:\n  - " + entry + "\n");
  }

  @Test
  void readsTheExampleOfTheProductBrief() throws ConfigException {
    RuleSpec r = rule("{ from: 172.31.64.0/20, table: 100, priority: 1000 }");
    assertThat(r.family()).isEqualTo(Family.INET);
    assertThat(r.from()).isEqualTo(IpPrefix.parse("172.31.64.0/20").prefix());
    assertThat(r.to()).isNull();
    assertThat(r.table()).isEqualTo(100);
    assertThat(r.priority()).isEqualTo(1000);
    assertThat(r.action()).isEqualTo(RuleAction.LOOKUP);
    assertThat(r.location()).isEqualTo(new Location(Yaml.FILE, 3, 5));
    assertThat(r.describe()).isEqualTo("from 172.31.64.0/20 lookup 100 priority 1000");
  }

  @Test
  void bothFormsGiveTheSameRule() throws ConfigException {
    List<RuleSpec> rules = rules("""
        routes: []
        rules:
          - { from: 10.1.0.0/16, to: 10.2.0.0/16, iif: eth2, oif: eth0, fwmark: 0x10/0xff, table: vpc, priority: 900 }
          - from 10.1.0.0/16 to 10.2.0.0/16 dev eth2 oif eth0 fwmark 16/255 lookup vpc pref 901
        """);
    assertThat(rules.get(1)).usingRecursiveComparison().ignoringFields("location", "priority").isEqualTo(rules.get(0));
    assertThat(rules.get(0).fwmark()).isEqualTo(OptionalInt.of(16));
    assertThat(rules.get(0).fwmask()).isEqualTo(OptionalInt.of(255));
    assertThat(rules.get(0).describe())
        .isEqualTo("from 10.1.0.0/16 to 10.2.0.0/16 iif eth2 oif eth0 fwmark 0x10/0xff lookup 100 priority 900");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = "=>", textBlock = """
      "from all lookup main priority 100"                       => lookup main priority 100
      "from 0.0.0.0/0 table 5 priority 100"                     => lookup 5 priority 100
      "from ::/0 table 5 priority 100"                          => family inet6 lookup 5 priority 100
      "family inet6 iif eth2 table 5 priority 100"              => family inet6 iif eth2 lookup 5 priority 100
      "from 2001:db8::/32 table 5 order 7"                      => from 2001:db8::/32 lookup 5 priority 7
      "to 10.0.0.0/8 prohibit priority 50"                      => to 10.0.0.0/8 prohibit priority 50
      { to: 10.0.0.0/8, action: blackhole, priority: 50 }       => to 10.0.0.0/8 blackhole priority 50
      { fwmark: 7, action: unreachable, priority: 32765 }       => fwmark 0x7 unreachable priority 32765
      { oif: eth0, table: main, priority: 9999, family: inet }  => oif eth0 lookup main priority 9999
      { from: 10.0.0.1, table: 100, priority: 12000 }           => from 10.0.0.1 lookup 100 priority 12000
      """)
  void readsEachForm(String entry, String described) throws ConfigException {
    RuleSpec r = rule(entry);
    assertThat(r.describe()).isEqualTo(described);
    // describe() is a valid one-line rule that reads back the same
    assertThat(rule("\"" + r.describe() + "\"")).usingRecursiveComparison().ignoringFields("location").isEqualTo(r);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = "=>", textBlock = """
      { from: 10.0.0.0/8, table: 100 }                              => 5  => the rule has no priority
      { from: 10.0.0.0/8, table: 100, priority: 0 }                 => 47 => kernel's own rule for the local table
      { from: 10.0.0.0/8, table: 100, priority: 32766 }             => 47 => kernel's own rule for the main table
      { from: 10.0.0.0/8, table: 100, priority: 32767 }             => 47 => kernel's own rule for the default table
      { from: 10.0.0.0/8, table: 100, priority: 10001 }             => 47 => ec2-net-utils
      { from: 10.0.0.0/8, table: 100, priority: 4294967296 }        => 47 => out of range
      { from: 10.0.0.0/8, table: 100, priority: 4294967295 }        => 47 => comes after the kernel's rules for the main and default
      { from: 10.0.0.0/8, table: 100, priority: 32768 }             => 47 => comes after the kernel's rules for the main and default
      { from: 10.0.0.0/8, table: 10001, priority: 5 }               => 32 => table 10001 is in the range 10000-11999 that ec2-net-utils
      "from 10.0.0.0/8 lookup 11999 priority 5"                     => 29 => ec2-net-utils uses for its per-interface tables
      { from: 10.0.0.0/8, table: 100, priority: "01" }              => 47 => leading zero
      { from: 10.0.0.0/8, priority: 5 }                             => 5  => needs `table`
      { from: 10.0.0.0/8, table: 100, action: prohibit, priority: 5 } => 32 => takes no `table`
      { from: 10.0.0.0/8, table: 0, priority: 5 }                   => 32 => RT_TABLE_UNSPEC
      { from: 10.0.0.0/8, table: nosuch, priority: 5 }              => 32 => unknown table name
      { from: 10.0.0.0/33, table: 100, priority: 5 }                => 13 => not a valid destination
      { from: 10.0.0.1/8, table: 100, priority: 5 }                 => 13 => host bits are set
      { from: 10.0.0.0/8, to: "2001:db8::/32", table: 1, priority: 5 } => 29 => is IPv6 but the rule is IPv4
      { from: 10.0.0.0/8, family: inet6, table: 1, priority: 5 }    => 13 => is IPv4 but the rule is IPv6
      { family: ipx, table: 1, priority: 5 }                        => 15 => unknown family
      { iif: "a/b", table: 1, priority: 5 }                         => 12 => contains '/'
      { oif: this-name-is-too-long, table: 1, priority: 5 }         => 12 => bytes long
      { fwmark: 0x1/0xfffffffff, table: 1, priority: 5 }            => 15 => not a 32-bit number
      { fwmark: 0xzz, table: 1, priority: 5 }                       => 15 => not a 32-bit number
      { action: nat, priority: 5 }                                  => 15 => unknown rule action
      { from: 10.0.0.0/8, table: 1, priority: 5, tos: 4 }           => 48 => unknown key "tos"
      { from: [10.0.0.0/8], table: 1, priority: 5 }                 => 13 => takes a single value
      { from: 10.0.0.0/8, table: 1, priority: 5, from: 10.0.0.0/9 } => 48 => duplicate key
      "from 10.0.0.0/8 lookup 1 priority 5 not"                     => 42 => unknown word "not"
      "from 10.0.0.0/8 lookup 1 priority"                           => 31 => needs a value
      "from 10.0.0.0/8 lookup 1 pref 5 priority 6"                  => 47 => given twice
      42                                                            => 5  => a rule is a mapping or a string
      """)
  void refusesEachBadInputWithItsPlace(String entry, int column, String fragment) {
    assertProblem(ruleProblem(entry), 3, column, fragment);
  }

  @Test
  void rulesMustBeAList() {
    assertProblem(problem("routes: []\nrules: 5\n"), 2, 8, "`rules` must be a list");
    assertProblem(problem("routes: []\nrules:\n"), 2, 7, "`rules` has no value");
  }

  @Test
  void twoRulesWithTheSameIdentityAreRefused() {
    ConfigProblem p = problem("""
        routes: []
        rules:
          - { from: 10.0.0.0/8, table: 1, priority: 5 }
          - "from 10.0.0.0/8 lookup 2 priority 5"
          - "from 10.0.0.0/9 lookup 2 priority 5"
        """);
    assertProblem(p, 4, 5, "duplicate rule").hasToString(
        "routes.yaml:4:5: duplicate rule \"from 10.0.0.0/8 lookup 2 priority 5\": the same priority and"
            + " selectors are already declared at routes.yaml:3:5. Remove one, or give them different priorities.");
  }

  /** The kernel stores a mark given without a mask with mask 0xffffffff: both entries name one rule. */
  @Test
  void aMarkWithoutMaskAndTheSameMarkWithTheFullMaskAreOneRule() {
    ConfigProblem p = problem("""
        routes: []
        rules:
          - "fwmark 0x10 lookup 1 priority 5"
          - "fwmark 0x10/0xffffffff lookup 2 priority 5"
        """);
    assertProblem(p, 4, 5, "duplicate rule");
  }

  @Test
  void aFileWithOnlyRulesIsValid() throws ConfigException {
    DesiredConfig config = Yaml.LOADER.parse(Yaml.FILE, "rules:\n  - \"from 10.0.0.0/8 lookup 1 priority 5\"\n");
    assertThat(config.routes()).isEmpty();
    assertThat(config.rules()).hasSize(1);
  }
}
