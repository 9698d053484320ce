package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Multipath routes (issue 12) against the real kernel, in a notebook namespace with a second
 * VPC-side interface: eth2 172.31.64.10/20 and eth3 172.31.80.10/20, each with an IPv6 subnet.
 */
class MultipathIT extends NamespaceTest {
  static final String ECMP = """
      routes:
        - to: 10.0.0.0/16
          nexthops:
            - { via: 172.31.64.1, dev: eth2, weight: 1 }
            - { via: 172.31.80.1, dev: eth3, weight: 3 }
        - "10.1.0.0/16 nexthop via subnet-router dev eth2 weight 2 nexthop via 172.31.80.1 dev eth3"
        - { to: "fd00:1::/64", nexthops: [ { via: "fe80::1", dev: eth2 }, { via: "fe80::2", dev: eth3 } ] }
        - "fd00:2::/64 metric 50 nexthop via 2001:db8:64::1 dev eth2 nexthop via 2001:db8:80::1 dev eth3 weight 4"
      """;

  @Override
  String initialRoutesFile() {
    return ECMP;
  }

  @BeforeEach
  void eth3() {
    ns.addEth3WithIpv6Subnets();
  }

  private Commands.Result agent(int expected, String... args) {
    Commands.Result r = ns.agent(config, args);
    assertThat(r.status()).as(String.join(" ", args) + ":\n" + r.output()).isEqualTo(expected);
    assertThat(r.output()).doesNotContain("Exception", "\tat ");
    return r;
  }

  private void assertInstalled() {
    assertThat(ns.ip("route", "show", "10.0.0.0/16")).isEqualTo("""
        10.0.0.0/16 proto 157\s
        \tnexthop via 172.31.64.1 dev eth2 weight 1\s
        \tnexthop via 172.31.80.1 dev eth3 weight 3\s
        """);
    assertThat(ns.ip("route", "show", "10.1.0.0/16")).contains(
        "nexthop via 172.31.64.1 dev eth2 weight 2", "nexthop via 172.31.80.1 dev eth3 weight 1");
    assertThat(ns.ip("-6", "route", "show", "fd00:1::/64")).contains("proto 157 metric 1024",
        "nexthop via fe80::1 dev eth2 weight 1", "nexthop via fe80::2 dev eth3 weight 1");
    assertThat(ns.ip("-6", "route", "show", "fd00:2::/64")).contains("proto 157 metric 50",
        "nexthop via 2001:db8:64::1 dev eth2 weight 1", "nexthop via 2001:db8:80::1 dev eth3 weight 4");
  }

  @Test
  void bothFamiliesAreInstalledOnceAndThenInSync() {
    agent(0, "check");
    Commands.Result apply = agent(0, "apply");
    assertThat(apply.output()).contains(
        "10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 weight 1 nexthop via 172.31.80.1 dev eth3 weight 3");
    assertInstalled();

    Commands.Result plan = agent(0, "plan");
    assertThat(plan.output()).contains("in sync: 4 routes installed");
    Commands.Result status = agent(0, "status");
    assertThat(status.output()).contains("installed  10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via"
        + " 172.31.80.1 dev eth3 weight 3").doesNotContain("degraded");
    Commands.Result json = agent(0, "status", "--json");
    assertThat(json.output()).contains("\"installed\":4").contains("\"route\":\"fd00:1::/64 nexthop via fe80::1 dev"
        + " eth2 nexthop via fe80::2 dev eth3\"");
  }

  @Test
  void multipathRoutesLeavingTheFileAreDeletedWholeInBothFamilies() throws IOException {
    agent(0, "apply");
    write("routes: []\n");
    Commands.Result apply = agent(0, "apply");
    assertThat(apply.output()).contains("deleted    10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 weight 1");
    assertThat(ns.ip("route")).doesNotContain("proto 157", "nexthop");
    assertThat(ns.ip("-6", "route")).doesNotContain("proto 157", "nexthop");
  }

  @Test
  void aSinglePathAWeightChangeAndADeleteAreRepaired() {
    agent(0, "apply");
    ns.ip("route", "replace", "10.0.0.0/16", "via", "172.31.64.1", "dev", "eth2", "proto", "157");
    ns.ip("route", "replace", "10.1.0.0/16", "proto", "157", "nexthop", "via", "172.31.64.1", "dev", "eth2",
        "weight", "1", "nexthop", "via", "172.31.80.1", "dev", "eth3");
    ns.ip("-6", "route", "replace", "fd00:1::/64", "proto", "157", "nexthop", "via", "fe80::1", "dev", "eth2",
        "nexthop", "via", "fe80::2", "dev", "eth3", "weight", "9");
    ns.ip("-6", "route", "del", "fd00:2::/64", "metric", "50");
    Commands.Result plan = agent(2, "plan");
    assertThat(plan.output())
        .contains("kernel has a single path via 172.31.64.1 dev eth2")
        .contains("kernel has next hops via 172.31.64.1 dev eth2 weight 1, via 172.31.80.1 dev eth3 weight 1")
        .contains("via fe80::2 dev eth3 weight 9");
    agent(0, "apply");
    assertInstalled();
    assertThat(agent(0, "plan").output()).contains("in sync: 4 routes installed");
  }

  @Test
  void aDownLinkIsNotFoughtAndTheStatusSaysDegraded() {
    agent(0, "apply");
    ns.ip("link", "set", "eth3", "down");
    assertThat(ns.ip("route", "show", "10.0.0.0/16")).contains("dev eth3 weight 3 dead linkdown");
    assertThat(ns.ip("-6", "route", "show", "fd00:1::/64")).contains("dev eth3 weight 1 dead linkdown");

    Commands.Result plan = agent(0, "plan");
    assertThat(plan.output()).contains("in sync: 0 routes installed; 4 routes degraded");
    // each route is degraded, not installed: status says so, with the next hop down and why
    Commands.Result status = agent(2, "status");
    assertThat(status.output()).contains("degraded   10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via"
        + " 172.31.80.1 dev eth3 weight 3  (1 of 2 next hops down: via 172.31.80.1 dev eth3 (interface eth3 is down;"
        + " the kernel keeps it dead linkdown))").contains("4 routes: 4 degraded");
    assertThat(agent(2, "status", "--json").output()).contains("\"degraded\":4", "\"installed\":0",
        "\"down_nexthops\":[{\"via\":\"fe80::2\",\"dev\":\"eth3\",\"reason\":\"interface eth3 is down; the kernel"
            + " keeps it dead linkdown\"}]");
    assertThat(agent(0, "apply").output()).contains("0/4 routes installed, 4 degraded");
    assertThat(ns.ip("route", "show", "10.0.0.0/16")).contains("dev eth3 weight 3 dead linkdown");

    ns.ip("link", "set", "eth3", "up");
    assertInstalled();
    ns.awaitIp(t -> !t.contains("dead"), java.time.Duration.ofSeconds(10), () -> "the kernel did not revive eth3's"
        + " next hops", "-6", "route", "show", "fd00:2::/64");
    // eth3 lost its global IPv6 address while down: fd00:2::/64's gateway there is off the link
    // now (a fresh route would be refused); the kernel kept the next hop alive and it is not fought,
    // nor said to be left out.
    Commands.Result after = agent(0, "status");
    assertThat(after.output()).contains("4 routes: 4 installed")
        .contains("installed  fd00:2::/64 metric 50 nexthop via 2001:db8:64::1 dev eth2 nexthop via 2001:db8:80::1 dev"
            + " eth3 weight 4  (the kernel still holds next hop via 2001:db8:80::1 dev eth3 although gateway"
            + " 2001:db8:80::1 is on no subnet of interface eth3 (fe80::/64): it is left in place, but cannot be"
            + " checked, nor added again if it goes, until the interface has an address on the gateway's subnet"
            + " again)")
        .doesNotContain("left out", "degraded")
        .doesNotContainPattern("(?m)^installed  (10\\.0\\.0\\.0|10\\.1\\.0\\.0|fd00:1::).*\\(");
  }

  @Test
  void aNextHopWhoseInterfaceIsAbsentIsAddedWhenItAppears() throws IOException {
    write("""
        routes:
          - "10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via 172.31.80.1 dev eth3 nexthop via 172.31.96.1 dev eth4"
          - "10.5.0.0/16 nexthop via 172.31.96.1 dev eth4 nexthop via 172.31.112.1 dev eth5"
        """);
    Commands.Result apply = agent(3, "apply");
    assertThat(apply.output()).contains("waiting    10.5.0.0/16");
    assertThat(agent(2, "status").output())
        .contains("degraded   10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via 172.31.80.1 dev eth3 nexthop"
            + " via 172.31.96.1 dev eth4  (1 of 3 next hops down: via 172.31.96.1 dev eth4 (interface eth4 is absent))");
    assertThat(ns.ip("route", "show", "10.0.0.0/16"))
        .contains("nexthop via 172.31.64.1 dev eth2", "nexthop via 172.31.80.1 dev eth3").doesNotContain("eth4");
    assertThat(agent(0, "plan").output()).doesNotContain("replace");

    ns.ip("link", "add", "eth4", "type", "veth", "peer", "name", "eth4-peer");
    ns.ip("link", "set", "eth4", "up");
    ns.ip("link", "set", "eth4-peer", "up");
    ns.ip("addr", "add", "172.31.96.10/20", "dev", "eth4");
    agent(0, "apply");
    assertThat(ns.ip("route", "show", "10.0.0.0/16")).contains("nexthop via 172.31.96.1 dev eth4 weight 1");
    assertThat(ns.ip("route", "show", "10.5.0.0/16")).isEqualTo("10.5.0.0/16 via 172.31.96.1 dev eth4 proto 157 \n");
  }

  @Test
  void aNextHopWhoseGatewayIsOffItsLinkIsLeftOutAndAllOffIsUnreachable() throws IOException {
    // The kernel refuses the whole route for 10.99.0.1 on eth3 ("Nexthop has invalid gateway"):
    // before, neither route was ever installed and the agent retried it for ever.
    write("""
        routes:
          - "10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 nexthop via 172.31.80.1 dev eth3 nexthop via 10.99.0.1 dev eth3"
          - "10.5.0.0/16 nexthop via 10.98.0.1 dev eth2 nexthop via 10.99.0.1 dev eth3"
          - "10.6.0.0/16 nexthop via 10.98.0.1 dev eth2 onlink nexthop via 172.31.80.1 dev eth3"
        """);
    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.output()).doesNotContain("Exception", "\tat ", "invalid gateway");
    assertThat(ns.ip("route", "show", "10.0.0.0/16"))
        .contains("nexthop via 172.31.64.1 dev eth2", "nexthop via 172.31.80.1 dev eth3").doesNotContain("10.99");
    assertThat(ns.ip("route", "show", "10.5.0.0/16")).isEmpty();
    assertThat(ns.ip("route", "show", "10.6.0.0/16"))
        .contains("nexthop via 10.98.0.1 dev eth2 weight 1 onlink", "nexthop via 172.31.80.1 dev eth3");

    Commands.Result plan = agent(1, "plan");
    assertThat(plan.output()).contains("in sync: 1 route installed; 1 route degraded").contains(
        "unreachable 10.5.0.0/16 nexthop via 10.98.0.1 dev eth2 nexthop via 10.99.0.1 dev eth3  (gateway 10.98.0.1"
            + " is on no subnet of interface eth2 (172.31.64.0/20), left out; gateway 10.99.0.1 is on no subnet of"
            + " interface eth3 (172.31.80.0/20), left out; correct those next hops' `via`");
    assertThat(ns.agent(config, "status").output()).contains("degraded   10.0.0.0/16 nexthop via 172.31.64.1 dev"
        + " eth2 nexthop via 172.31.80.1 dev eth3 nexthop via 10.99.0.1 dev eth3  (1 of 3 next hops down: via 10.99.0.1"
        + " dev eth3 (gateway 10.99.0.1 is on no subnet of interface eth3 (172.31.80.0/20), left out: correct its"
        + " `via`");
  }

  @Test
  void mistakesAreRefusedWithTheirPlace() throws IOException {
    write("routes:\n  - \"10.0.0.0/16 via 172.31.64.1 nexthop via 172.31.64.2 nexthop via 172.31.80.1\"\n");
    Commands.Result check = ns.agent(config, "check");
    assertThat(check.status()).isNotZero();
    assertThat(check.output()).contains("routes.yaml:2:22: `via` and next hops together").doesNotContain("\tat ");
  }

  @Test
  void importFromTheKernelWritesTheNextHopsOfBothFamilies() throws IOException {
    ns.ip("route", "add", "10.7.0.0/16", "proto", "static", "nexthop", "via", "172.31.64.1", "dev", "eth2",
        "nexthop", "via", "172.31.80.1", "dev", "eth3", "weight", "5");
    ns.ip("-6", "route", "add", "fd00:7::/64", "proto", "static", "nexthop", "via", "fe80::1", "dev", "eth2",
        "nexthop", "via", "fe80::2", "dev", "eth3");
    ns.ip("link", "set", "eth3", "down"); // eth3's next hops dead linkdown: not written so
    Commands.Result imported = ns.exec("sh", "-c", "\"$0\" import --from-kernel > \"$1\"",
        Netns.TOP.resolve("agent/route-agent").toString(), config.toString());
    assertThat(imported.status()).as(imported.output()).isZero();
    assertThat(java.nio.file.Files.readString(config))
        .contains("\"10.7.0.0/16 nexthop via 172.31.64.1 dev eth2 weight 1 nexthop via 172.31.80.1 dev eth3 weight 5\"")
        .contains("\"fd00:7::/64 metric 1024 nexthop via fe80::1 dev eth2 weight 1 nexthop via fe80::2 dev eth3 weight 1\"")
        .doesNotContain("dead", "linkdown");
    ns.ip("link", "set", "eth3", "up");
    agent(0, "check");
  }
}
