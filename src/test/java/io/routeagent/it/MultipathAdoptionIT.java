package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 against the real kernel: an entry with the key of another owner's multipath route adopts
 * it as a single path does; the displaced route's next hops (gateway, interface, weight) are
 * recorded across processes, and the whole multipath route comes back when the entry goes. Before,
 * such an entry was refused: the record could not hold next hops.
 */
class MultipathAdoptionIT extends NamespaceTest {
  static final String ENTRIES = """
      routes:
        - "10.0.0.0/16 via 172.31.64.1 dev eth2"
        - "fd00:2::/64 via 2001:db8:64::1 dev eth2"
      """;

  Path state;
  String original4;
  String original6;

  @Override
  String initialRoutesFile() {
    return ENTRIES;
  }

  @BeforeEach
  void theirMultipathRoutes() {
    ns.addEth3WithIpv6Subnets();
    ns.ip("route", "add", "10.0.0.0/16", "proto", "dhcp", "nexthop", "via", "172.31.64.1", "dev", "eth2", "weight",
        "2", "nexthop", "via", "172.31.80.1", "dev", "eth3", "weight", "5");
    ns.ip("-6", "route", "add", "fd00:2::/64", "proto", "dhcp", "nexthop", "via", "2001:db8:64::1", "dev", "eth2",
        "nexthop", "via", "2001:db8:80::1", "dev", "eth3", "weight", "3");
    original4 = ns.ip("route", "show", "10.0.0.0/16");
    original6 = ns.ip("-6", "route", "show", "fd00:2::/64");
    assertThat(original4).contains("proto dhcp", "nexthop via 172.31.80.1 dev eth3 weight 5");
    assertThat(original6).contains("proto dhcp", "nexthop via 2001:db8:80::1 dev eth3 weight 3");
    state = dir.resolve("state");
  }

  Commands.Result agent(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--state-dir";
    all[1] = state.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    Commands.Result r = ns.agent(config, all);
    assertThat(r.output()).doesNotContain("Exception", "\tat ");
    return r;
  }

  @Test
  void anotherOwnersMultipathRouteIsAdoptedAndComesBackWhole() throws IOException {
    Commands.Result adopt = agent("apply");
    assertThat(adopt.status()).as(adopt.output()).isZero();
    assertThat(adopt.output()).contains("replaced   10.0.0.0/16 via 172.31.64.1 dev eth2");
    assertThat(ns.ip("route", "show", "10.0.0.0/16")).isEqualTo("10.0.0.0/16 via 172.31.64.1 dev eth2 proto 157 \n");
    assertThat(ns.ip("-6", "route", "show", "fd00:2::/64")).contains("via 2001:db8:64::1 dev eth2 proto 157")
        .doesNotContain("nexthop", "2001:db8:80::1");
    assertThat(agent("status").output()).contains("2 routes of other owners displaced");

    write("routes: []\n");
    Commands.Result plan = agent("plan");
    assertThat(plan.status()).as(plan.output()).isEqualTo(2);
    assertThat(plan.output()).contains("restore    10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 weight 2 nexthop via"
        + " 172.31.80.1 dev eth3 weight 5  (proto dhcp, displaced by 10.0.0.0/16 via 172.31.64.1 dev eth2 proto 157)");

    Commands.Result remove = agent("apply");
    assertThat(remove.status()).as(remove.output()).isZero();
    assertThat(remove.output()).contains("restored").doesNotContain("deleted");
    assertThat(ns.ip("route", "show", "10.0.0.0/16")).isEqualTo(original4);
    assertThat(ns.ip("-6", "route", "show", "fd00:2::/64")).isEqualTo(original6);
    assertThat(agent("plan").status()).isZero();
  }

  @Test
  void withoutAdoptionTheMultipathRouteStaysAsItIs() throws IOException {
    Path policy = dir.resolve("policy.yaml");
    java.nio.file.Files.writeString(policy, "allow: {}\n");
    Commands.Result plan = agent("--policy", policy.toString(), "plan");
    assertThat(plan.status()).as(plan.output()).isNotZero();
    assertThat(plan.output()).contains("adoption not allowed by the admin policy: 10.0.0.0/16 nexthop via 172.31.64.1");
    agent("--policy", policy.toString(), "apply");
    assertThat(ns.ip("route", "show", "10.0.0.0/16")).isEqualTo(original4);
    assertThat(ns.ip("-6", "route", "show", "fd00:2::/64")).isEqualTo(original6);
  }
}
