package io.routeagent.config;

import static io.routeagent.config.Yaml.assertProblem;
import static io.routeagent.config.Yaml.columnOf;
import static io.routeagent.config.Yaml.entry;
import static io.routeagent.config.Yaml.entryProblem;
import static io.routeagent.config.Yaml.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Multipath entries (issue 12): both forms, and every mistake with its line and column. */
class MultipathTest {
  private static NextHopSpec hop(String via, String dev, int weight) {
    return new NextHopSpec(
        via == null ? null : new Gateway.Address(IpAddresses.parse(via).orElseThrow()),
        dev == null ? null : new DeviceSelector.Name(dev),
        weight,
        false);
  }

  @Test
  void theIssuesExampleReadsAsThreeMultipathRoutes() throws ConfigException {
    List<RouteSpec> routes = Yaml.routes("""
        routes:
          - to: 10.0.0.0/16
            nexthops:
              - { via: 172.31.64.1, dev: eth2, weight: 1 }
              - { via: 172.31.80.1, dev: eth3, weight: 3 }
          - "10.1.0.0/16 nexthop via 172.31.64.1 dev eth2 weight 2 nexthop via 172.31.80.1 dev eth3"
          - { to: "fd00:1::/64", nexthops: [ { via: "fe80::1", dev: eth2 }, { via: "fe80::2", dev: eth3 } ] }
        """);
    assertThat(routes).hasSize(3).allMatch(RouteSpec::multipath);
    assertThat(routes.get(0).nexthops())
        .containsExactly(hop("172.31.64.1", "eth2", 1), hop("172.31.80.1", "eth3", 3));
    assertThat(routes.get(0).via()).isNull();
    assertThat(routes.get(0).dev()).isNull();
    assertThat(routes.get(1).nexthops())
        .containsExactly(hop("172.31.64.1", "eth2", 2), hop("172.31.80.1", "eth3", 1));
    assertThat(routes.get(2).to()).isEqualTo(IpPrefix.parse("fd00:1::/64").prefix());
    assertThat(routes.get(2).nexthops()).containsExactly(hop("fe80::1", "eth2", 1), hop("fe80::2", "eth3", 1));
    assertThat(routes.get(1).describe())
        .isEqualTo("10.1.0.0/16 nexthop via 172.31.64.1 dev eth2 weight 2 nexthop via 172.31.80.1 dev eth3");
  }

  @Test
  void aNextHopTakesASelectorSubnetRouterAndOnlink() throws ConfigException {
    RouteSpec spec = entry("{ to: 10.0.0.0/16, metric: 50, table: vpc, nexthops: ["
        + " { via: subnet-router, dev: { mac: 0a:1b:2c:3d:4e:5f } },"
        + " { via: 172.31.80.1, dev: eth3, onlink: true, weight: 256 } ] }");
    assertThat(spec.metric()).isEqualTo(OptionalInt.of(50));
    assertThat(spec.table()).isEqualTo(100);
    assertThat(spec.nexthops()).containsExactly(
        new NextHopSpec(new Gateway.SubnetRouter(), new DeviceSelector.Mac("0a:1b:2c:3d:4e:5f"), 1, false),
        new NextHopSpec(new Gateway.Address(IpAddresses.parse("172.31.80.1").orElseThrow()),
            new DeviceSelector.Name("eth3"), 256, true));
  }

  @Test
  void inTheOneLineFormTheRoutesOwnWordsMayFollowTheNextHops() throws ConfigException {
    RouteSpec spec = entry("\"default nexthop via 172.31.64.1 dev eth2 onlink nexthop dev eth3 metric 7 table 100\"");
    assertThat(spec.metric()).isEqualTo(OptionalInt.of(7));
    assertThat(spec.table()).isEqualTo(100);
    assertThat(spec.onlink()).isFalse();
    assertThat(spec.nexthops()).containsExactly(
        new NextHopSpec(new Gateway.Address(IpAddresses.parse("172.31.64.1").orElseThrow()),
            new DeviceSelector.Name("eth2"), 1, true),
        hop(null, "eth3", 1));
  }

  @Test
  void anIpv6DefaultTakesItsFamilyFromTheNextHops() throws ConfigException {
    RouteSpec spec = entry("\"default nexthop via fe80::1 dev eth2 nexthop via fe80::2 dev eth3 table 100\"");
    assertThat(spec.to()).isEqualTo(IpPrefix.parse("::/0").prefix());
    assertThat(spec.describe()).isEqualTo("default table 100 nexthop via fe80::1 dev eth2 nexthop via fe80::2 dev eth3");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // via and next hops together, in both forms: at the route's own via
      "{ to: 10.0.0.0/16, via: 172.31.64.1, nexthops: [ { via: 172.31.64.1 }, { via: 172.31.80.1 } ] }"
          + "| 172.31.64.1, n | `via` and next hops together",
      "\"10.0.0.0/16 via 172.31.64.1 nexthop via 172.31.64.2 nexthop via 172.31.80.1\""
          + "| 172.31.64.1 | `via` and next hops together",
      "{ to: 10.0.0.0/16, dev: eth2, nexthops: [ { via: 172.31.64.1 }, { via: 172.31.80.1 } ] }"
          + "| eth2 | `dev` and next hops together",
      // a single next hop: at the list's key, or at the first `nexthop`
      "{ to: 10.0.0.0/16, nexthops: [ { via: 172.31.64.1, dev: eth2 } ] }| nexthops | two next hops or more",
      "\"10.0.0.0/16 nexthop via 172.31.64.1 dev eth2\"| nexthop | two next hops or more",
      "{ to: 10.0.0.0/16, nexthops: [] }| nexthops | `nexthops` is empty",
      // the same path twice: at the second
      "{ to: 10.0.0.0/16, nexthops: [ { via: 172.31.64.1, dev: eth2 }, { via: 172.31.64.1, dev: eth2, weight: 2 } ] }"
          + "| { via: 172.31.64.1, dev: eth2, w | duplicate next hop via 172.31.64.1 dev eth2 (first at routes.yaml:2:36)",
      "\"10.0.0.0/16 nexthop dev eth2 nexthop dev eth2\"| nexthop dev eth2\" | duplicate next hop dev eth2",
      // mixed families: at the gateway that differs from the destination
      "{ to: 10.0.0.0/16, nexthops: [ { via: 172.31.64.1 }, { via: \"fe80::1\", dev: eth3 } ] }"
          + "| \"fe80::1\" | gateway fe80::1 is IPv6 but the destination is IPv4",
      "\"fd00::/64 nexthop via fe80::1 dev eth2 nexthop via 172.31.80.1 dev eth3\"| 172.31.80.1 | is IPv4 but",
      // weights out of range, and a weight on the route itself
      "{ to: 10.0.0.0/16, nexthops: [ { via: 172.31.64.1, weight: 257 }, { via: 172.31.80.1 } ] }"
          + "| 257 | weight 257 is out of range",
      "\"10.0.0.0/16 nexthop via 172.31.64.1 weight 0 nexthop via 172.31.80.1\"| 0 nexthop | weight 0 is out of range",
      "\"10.0.0.0/16 via 172.31.64.1 weight 2\"| 2\" | `weight` belongs to a next hop",
      // the shape of the list and of a next hop
      "{ to: 10.0.0.0/16, nexthops: 172.31.64.1 }| 172.31.64.1 | `nexthops` takes a list of next hops",
      "{ to: 10.0.0.0/16, nexthops: [ 172.31.64.1, { via: 172.31.80.1 } ] }| 172.31.64.1 | a next hop is a mapping",
      "{ to: 10.0.0.0/16, nexthops: [ { via: 172.31.64.1, metric: 5 }, { via: 172.31.80.1 } ] }"
          + "| metric | unknown key \"metric\" in a next hop",
      "{ to: 10.0.0.0/16, nexthops: [ { weight: 2 }, { via: 172.31.80.1 } ] }| { weight | needs `via` or `dev`",
      "{ to: 10.0.0.0/16, nexthops: [ { via: 172.31.64.1, via: 172.31.64.2 }, { via: 172.31.80.1 } ] }"
          + "| via: 172.31.64.2 | duplicate key \"via\"",
      "\"10.0.0.0/16 nexthop via 172.31.64.1 via 172.31.64.2 nexthop via 172.31.80.1\"| 172.31.64.2 | `via` is given twice in a next hop",
      "\"blackhole 10.0.0.0/16 nexthop via 172.31.64.1 nexthop via 172.31.80.1\"| nexthop | a blackhole route takes no next hops",
      "\"fd00::/64 nexthop via subnet-router dev eth2 nexthop via fe80::2 dev eth3\"| subnet-router | cannot serve an IPv6",
      "\"10.0.0.0/16 nexthop via subnet-router nexthop via 172.31.80.1\"| subnet-router | subnet-router needs `dev` in its next hop",
  })
  void mistakesAreNamedWhereTheyAre(String entry, String at, String fragment) {
    assertProblem(entryProblem(entry), 2, columnOf(entry, at.trim()), fragment.trim());
  }

  @Test
  void everyProblemOfAMultipathEntryIsReported() {
    assertThat(problems("routes:\n  - \"10.0.0.0/16 via 172.31.64.1 dev eth2 nexthop via 172.31.64.1\"\n"))
        .extracting(ConfigProblem::message)
        .containsExactly(
            "`via` and next hops together: each next hop has its own `via`",
            "`dev` and next hops together: each next hop has its own `dev`",
            "a multipath route needs two next hops or more, not one");
  }

  @Test
  void twoMultipathEntriesWithOneKeyAreDuplicates() {
    String second = "\"10.0.0.0/16 nexthop via 172.31.64.9 nexthop via 172.31.80.9\"";
    assertThat(problems("routes:\n  - \"10.0.0.0/16 nexthop via 172.31.64.1 nexthop via 172.31.80.1\"\n  - "
            + second + "\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("duplicate route 10.0.0.0/16"));
  }

  @Test
  void thePolicyJudgesEveryNextHop() throws ConfigException {
    assertThat(PolicyTest.entryRefusals(PolicyTest.EXAMPLE,
            "\"10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via 192.168.1.1 dev eth9\""))
        .extracting(ConfigProblem::message)
        .satisfiesExactly(
            m -> assertThat(m).startsWith("gateway 192.168.1.1 is outside the policy's allow.gateways"),
            m -> assertThat(m).startsWith("interface eth9 is outside the policy's allow.interfaces"));
    assertThat(PolicyTest.entryRefusals(PolicyTest.EXAMPLE,
            "\"10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via subnet-router dev eth2 weight 2\""))
        .isEmpty();
  }

  @Test
  void aRouteTakesAtMost256NextHops() {
    StringBuilder line = new StringBuilder("\"10.0.0.0/16");
    for (int i = 0; i < 257; i++) {
      line.append(" nexthop via 172.31.").append(64 + i / 250).append('.').append(1 + i % 250);
    }
    String entry = line.append('"').toString();
    int column = columnOf(entry, "nexthop via 172.31.65.7\"");
    assertProblem(entryProblem(entry), 2, column, "a route takes at most 256 next hops, this one has 257");
  }
}
