package io.routeagent.config;

import static io.routeagent.config.Yaml.assertProblem;
import static io.routeagent.config.Yaml.columnOf;
import static io.routeagent.config.Yaml.entryProblem;
import static io.routeagent.config.Yaml.problem;
import static io.routeagent.config.Yaml.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per kind of bad entry; entries sit at line 2, column 5 unless said otherwise. */
class BadInputTest {
  @Test
  void hostBitsSetSuggestTheNetwork() {
    ConfigProblem p = entryProblem("{ to: 10.0.0.1/16, dev: eth0 }");
    assertProblem(p, 2, 11, "did you mean 10.0.0.0/16?");
    assertThat(p.toString())
        .isEqualTo(
            "routes.yaml:2:11: \"10.0.0.1/16\" is not a valid destination: host bits are set: did"
                + " you mean 10.0.0.0/16? Write a CIDR such as 10.0.0.0/16, a bare address for a"
                + " single host, or default.");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/33",
        "10.0.0.0/",
        "10.0.0.0/x",
        "10.0.0/8",
        "2001:db8::/129",
        "10.0.0.0/08",
        "router.example.com"
      })
  void badDestinations(String to) {
    assertProblem(
        entryProblem("{ to: \"" + to + "\", dev: eth0 }"), 2, 11, "not a valid destination");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.1",
        "010.0.0.1",
        "1.2.3.4.5",
        "gateway.local",
        "fe80::1%eth0",
        "256.1.1.1",
        "[fe80::1]"
      })
  void badAddresses(String via) {
    assertProblem(
        entryProblem("{ to: 10.0.0.0/8, via: \"" + via + "\" }"),
        2,
        28,
        "\"" + via + "\" is not an IP address");
    assertProblem(entryProblem("10.0.0.0/8 dev eth0 src " + via), 2, 29, "is not an IP address");
  }

  @Test
  void unknownKeyNamesTheValidOnesAndTheLikelyOne() {
    ConfigProblem p = entryProblem("{ to: 10.0.0.0/8, vai: 1.2.3.4 }");
    assertProblem(p, 2, 23, "unknown key \"vai\"");
    assertThat(p.hint())
        .startsWith("Did you mean \"via\"?")
        .contains("to, via, dev, metric, table");
    assertThat(entryProblem("{ to: 10.0.0.0/8, dev: eth0, gateway: 1.2.3.4 }").hint())
        .startsWith("The keys of a route are");
  }

  /** A tag is the user's text too: a message shows no more of it than of any other token (found by RoutesFileFuzzProperties). */
  @Test
  void aLongTagIsCutInTheMessage() {
    String tag = "x".repeat(300);
    ConfigProblem p = problem("routes: !" + tag + " value\n");
    assertThat(p.message()).contains("a value tagged !xxx").contains("…").doesNotContain("x".repeat(Quoted.MAX + 1));
  }

  @Test
  void duplicateKeyPointsAtBothPlaces() {
    ConfigProblem p = problem("routes:\n  - to: 10.0.0.0/8\n    dev: eth0\n    dev: eth1\n");
    assertProblem(p, 4, 5, "duplicate key \"dev\"")
        .satisfies(q -> assertThat(q.message()).contains("routes.yaml:3:5"));
    assertProblem(problem("routes: []\nroutes: []\n"), 2, 1, "duplicate key \"routes\"");
  }

  @Test
  void familyMismatch() {
    assertProblem(
        entryProblem("{ to: 2001:db8::/32, via: 10.0.0.1 }"),
        2,
        31,
        "gateway 10.0.0.1 is IPv4 but the destination is IPv6");
    assertProblem(
        entryProblem("10.0.0.0/8 via fe80::1"),
        2,
        20,
        "gateway fe80::1 is IPv6 but the destination is IPv4");
    assertProblem(
        entryProblem("10.0.0.0/8 dev eth0 src 2001:db8::1"), 2, 29, "source 2001:db8::1 is IPv6");
  }

  /** The kernel refuses a link-local gateway without an interface ("Egress device not specified"). */
  @Test
  void aLinkLocalGatewayNeedsDev() throws ConfigException {
    assertProblem(entryProblem("2001:db8::/32 via fe80::1"), 2, 23,
        "gateway fe80::1 is link-local: every link has that address, so it needs `dev`");
    String multipath = "{ to: 2001:db8::/32, nexthops: [ { via: fe80::1 }, { via: fe80::2, dev: eth3 } ] }";
    assertProblem(entryProblem(multipath), 2, columnOf(multipath, "fe80::1"),
        "gateway fe80::1 is link-local: every link has that address, so its next hop needs `dev`");
    assertThat(Yaml.entry("2001:db8::/32 via fe80::1 dev eth2").via()).hasToString("fe80::1");
    assertThat(Yaml.entry("2001:db8:1::/48 via 2001:db8::1").dev()).isNull();
  }

  @Test
  void subnetRouterNeedsDevAndIpv4() {
    assertProblem(entryProblem("10.0.0.0/8 via subnet-router"), 2, 20, "subnet-router needs `dev`");
    assertProblem(
        entryProblem("2001:db8::/32 via subnet-router dev eth0"),
        2,
        23,
        "cannot serve an IPv6 destination");
  }

  @Test
  void unicastNeedsViaOrDev() {
    assertProblem(entryProblem("{ to: 10.0.0.0/8, metric: 5 }"), 2, 5, "needs `via` or `dev`");
  }

  @ParameterizedTest
  @CsvSource({
    "'blackhole 10.0.0.0/8 via 1.2.3.4', 1.2.3.4, via",
    "'unreachable 10.0.0.0/8 dev eth0', eth0, dev",
    "'prohibit 10.0.0.0/8 src 10.1.1.1', 10.1.1.1, src",
    "'throw 10.0.0.0/8 onlink', onlink, onlink"
  })
  void rejectTypesForwardNowhere(String entry, String value, String key) {
    assertProblem(entryProblem(entry), 2, columnOf(entry, value), "route takes no `" + key + "`");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{ to: 10.0.0.0/8, dev: eth0, metric: 4294967296 } | 4294967296 | metric 4294967296 is out"
            + " of range",
        "{ to: 10.0.0.0/8, dev: eth0, metric: -1 }         | -1         | metric -1 is out of"
            + " range",
        "10.0.0.0/8 dev eth0 metric 99999999999999999999   | 9999       | is out of range",
        "10.0.0.0/8 dev eth0 metric 010                    | 010        | leading zero",
        "10.0.0.0/8 dev eth0 metric ten                    | ten        | is not a whole number",
        "{ to: 10.0.0.0/8, dev: eth0, mtu: 67 }            | 67         | mtu 67 is too small for"
            + " IPv4",
        "{ to: 2001:db8::/32, dev: eth0, mtu: 1279 }       | 1279       | mtu 1279 is too small for"
            + " IPv6",
        "{ to: 10.0.0.0/8, dev: eth0, mtu: 65536 }         | 65536      | mtu 65536 is out of"
            + " range",
        "{ to: 10.0.0.0/8, dev: eth0, table: 4294967296 }  | 4294967296 | table 4294967296 is out"
            + " of range"
      })
  void outOfRangeNumbers(String entry, String value, String fragment) {
    assertProblem(entryProblem(entry), 2, columnOf(entry, value), fragment);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "{ to: 10.0.0.0/8, via: [1.2.3.4] }              | [1.2     | `via` takes a single value,"
            + " not a list",
        "{ to: 10.0.0.0/8, dev: [eth0] }                 | [eth0    | `dev` takes a single value,"
            + " not a list",
        "{ to: 10.0.0.0/8, dev: 123 }                    | 123      | `dev` takes a string, not a"
            + " number",
        "{ to: 10.0.0.0/8, dev: eth0, onlink: 'true' }   | 'true'   | `onlink` takes true or false,"
            + " not a string",
        "{ to: 10.0.0.0/8, dev: eth0, onlink: yes }      | yes      | `onlink` takes true or false",
        "{ to: 10.0.0.0/8, dev: eth0, metric: '5' }      | '5'      | `metric` takes a whole"
            + " number, not a string",
        "{ to: 10.0.0.0/8, dev: eth0, metric: 1.5 }      | 1.5      | `metric` takes a whole"
            + " number, not a number (1.5)",
        "{ to: 10.0.0.0/8, dev: eth0, metric: 0x10 }     | 0x10     | `metric` takes a whole"
            + " number, not `0x10`. Write a decimal number.",
        "{ to: 10.0.0.0/8, dev: eth0, metric: 1_000 }    | 1_000    | `metric` takes a whole"
            + " number, not `1_000`. Write a decimal number.",
        "{ to: 10.0.0.0/8, dev: eth0, metric: '5' }      | '5'      | `metric` takes a whole"
            + " number, not a string (5). Remove the quotes.",
        "{ to: 10.0.0.0/8, dev: eth0, table: 1e3 }       | 1e3      | `table` takes a name or a"
            + " whole number, not a number (1e3). Write a decimal number, or a name in quotes.",
        "{ to: 10.0.0.0/8, via: null, dev: eth0 }        | null     | `via` has no value",
        "{ to: 10.0.0.0/8, dev: eth0, type: true }       | true     | `type` takes a string",
        "[10.0.0.0/8, eth0]                              | [        | a route is a mapping or a"
            + " string, not a list",
        "42                                              | 42       | a route is a mapping or a"
            + " string, not a number"
      })
  void wrongTypes(String entry, String value, String fragment) {
    ConfigProblem problem = entryProblem(entry);
    // A fragment may go on into the hint, after the message's last word.
    int hint = fragment.indexOf(". ");
    assertProblem(problem, 2, columnOf(entry, value), hint < 0 ? fragment : fragment.substring(0, hint));
    assertThat(problem.toString()).contains(fragment);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'abcdefghijklmnop' | is 16 bytes long",
        "'eth 0'            | contains whitespace",
        "'eth\t0'           | contains whitespace",
        "'eth/0'            | contains '/'",
        "'eth:0'            | contains ':'",
        "'.'                | cannot be an interface name",
        "'..'               | cannot be an interface name",
        "''                 | the interface name is empty",
        "'ethà'             | contains whitespace",
        "'ééééééééé'        | is 18 bytes long"
      })
  void interfaceNamesTheKernelRefuses(String dev, String fragment) {
    // 'à' is C3 A0 in UTF-8, and the kernel's isspace() takes 0xA0 for a space.
    String entry = "{ to: 10.0.0.0/8, dev: \"" + dev + "\" }";
    assertProblem(entryProblem(entry), 2, columnOf(entry, "\""), fragment);
  }

  @Test
  void fifteenBytesIsTheLongestInterfaceName() throws ConfigException {
    assertThat(Yaml.entry("{ to: 10.0.0.0/8, dev: abcdefghijklmno }").dev().describe()).hasSize(15);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "255"})
  void theLocalTableIsRefused(String table) {
    assertProblem(
        entryProblem("{ to: 10.0.0.0/8, dev: eth0, table: " + table + " }"),
        2,
        41,
        "the kernel's local table");
  }

  @Test
  void tableZeroIsRefused() {
    assertProblem(entryProblem("10.0.0.0/8 dev eth0 table 0"), 2, 31, "RT_TABLE_UNSPEC");
  }

  @Test
  void unknownTableNamePointsAtRtTablesD() {
    ConfigProblem p = entryProblem("10.0.0.0/8 dev eth0 table dmz");
    assertProblem(p, 2, 31, "unknown table name \"dmz\"");
    assertThat(p.hint()).contains("/etc/iproute2/rt_tables.d/", "100 dmz");
  }

  @Test
  void unknownRouteType() {
    ConfigProblem p = entryProblem("{ to: 10.0.0.0/8, type: blackhol }");
    assertProblem(p, 2, 29, "unknown route type \"blackhol\"");
    assertThat(p.hint()).startsWith("Did you mean \"blackhole\"?");
  }

  @Test
  void shorthandUnknownWordIsNamedAtItsColumn() {
    ConfigProblem p = entryProblem("\"10.0.0.0/8 via 172.31.64.1 proto static\"");
    assertProblem(p, 2, 33, "unknown word \"proto\"");
    assertThat(p.hint()).contains("via, dev, metric, table, src, mtu, onlink, override");
    assertThat(entryProblem("10.0.0.0/8 dev eth0 metrc 5").hint())
        .startsWith("Did you mean \"metric\"?");
  }

  @Test
  void shorthandMistakes() {
    assertProblem(entryProblem("10.0.0.0/8 dev"), 2, 16, "`dev` needs a value");
    assertProblem(entryProblem("blackhole"), 2, 5, "the route has no destination");
    assertProblem(entryProblem("\"\""), 2, 5, "the route has no destination");
    assertProblem(entryProblem("10.0.0.0/8 dev eth0 dev eth1"), 2, 29, "`dev` is given twice");
  }

  @Test
  void aMappingWithoutToHasNoDestination() {
    assertProblem(entryProblem("{ via: 1.2.3.4 }"), 2, 5, "the route has no destination");
  }

  @Test
  void duplicateRoutesNameBothPlaces() {
    ConfigProblem p =
        problem("routes:\n  - 10.0.0.0/8 dev eth0\n  - { to: 10.0.0.0/8, via: 1.2.3.4 }\n");
    assertProblem(p, 3, 5, "duplicate route 10.0.0.0/8 (table main, metric 0)");
    assertThat(p.message()).contains("already declared at routes.yaml:2:5");
  }

  /** An alias repeats its anchor's node: both copies are at the anchor's position. */
  @Test
  void aRouteRepeatedThroughAnAliasIsSaidSo() {
    ConfigProblem p = problem("routes:\n  - &r { to: 10.0.0.0/8, dev: eth0 }\n  - *r\n");
    assertProblem(p, 2, 5, "route 10.0.0.0/8 is listed twice, the second time through a YAML alias");
  }

  @Test
  void anIpv4RouteWithoutMetricIsMetricZero() {
    assertProblem(
        problem("routes:\n  - 10.0.0.0/8 dev eth0\n  - 10.0.0.0/8 dev eth1 metric 0\n"),
        3,
        5,
        "metric 0");
  }

  @Test
  void anIpv6RouteWithoutMetricIsMetric1024() {
    ConfigProblem p =
        problem("routes:\n  - 2001:db8::/32 dev eth0\n  - 2001:db8::/32 dev eth1 metric 1024\n");
    assertProblem(p, 3, 5, "metric 1024");
    assertThat(p.hint()).contains("an IPv6 route without a metric gets 1024");
  }

  @Test
  void topLevelMustBeAMappingOfRoutes() {
    assertProblem(
        problem("- 10.0.0.0/8 dev eth0\n"),
        1,
        1,
        "must be a mapping with a `routes:` key, not a list");
    assertProblem(problem("just words\n"), 1, 1, "not a string");
    assertProblem(
        problem("routes: 10.0.0.0/8 dev eth0\n"), 1, 9, "`routes` must be a list, not a string");
    assertProblem(problem("routes:\n"), 1, 8, "`routes` has no value");
    assertProblem(problem("{}\n"), 1, 1, "there is no `routes:` key");
  }

  @Test
  void unknownTopLevelKey() {
    ConfigProblem p = problem("routes: []\nroute: []\n");
    assertProblem(p, 2, 1, "unknown key \"route\"");
    assertThat(p.hint()).isEqualTo("Did you mean \"routes\"? The top-level keys are: routes, rules.");
  }

  @Test
  void everyProblemOfAFileIsReportedInOrder() {
    List<ConfigProblem> problems =
        problems("routes:\n  - 10.0.0.1/8 dev eth0\n  - { to: 10.0.0.0/8, dev: x/y }\nfoo: 1\n");
    assertThat(problems).extracting(p -> p.location().line()).containsExactly(2, 3, 4);
  }

  @Test
  void problemsAreCappedAtFifty() {
    StringBuilder yaml = new StringBuilder("routes:\n");
    for (int i = 0; i < 70; i++) {
      yaml.append("  - 10.0.0.").append(i + 1).append("/8 dev eth0\n");
    }
    ConfigException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ConfigException.class, () -> Yaml.LOADER.parse(Yaml.FILE, yaml.toString()));
    assertThat(e.problems()).hasSize(Problems.LIMIT);
    assertThat(e.getMessage()).endsWith("more problems not shown)");
  }
}
