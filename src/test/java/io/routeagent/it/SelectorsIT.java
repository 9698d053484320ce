package io.routeagent.it;

import io.routeagent.testing.Commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `dev` selectors against the real kernel: each apply resolves them again, so a route follows its
 * interface through a rename and through a delete and re-create (a new ifindex).
 */
class SelectorsIT extends NamespaceTest {
  private static final String MAC = "0a:1b:2c:3d:4e:5f";

  @Override
  String initialRoutesFile() {
    return "routes: []\n";
  }

  @BeforeEach
  void setMac() {
    ns.ip("link", "set", "eth2", "address", MAC);
  }

  private Commands.Result apply(int expected) {
    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isEqualTo(expected);
    assertThat(apply.output()).doesNotContain("Exception", "\tat ");
    return apply;
  }

  private String index(String dev) {
    String line = ns.ip("-o", "link", "show", "dev", dev);
    return line.substring(0, line.indexOf(':'));
  }

  /** Deletes eth-something and makes {@code name} holding eth2's address, optionally with a MAC. */
  private void recreate(String old, String name, String mac) {
    ns.ip("link", "del", old);
    if (mac == null) {
      ns.ip("link", "add", name, "type", "veth", "peer", "name", name + "-peer");
    } else {
      ns.ip("link", "add", name, "address", mac, "type", "veth", "peer", "name", name + "-peer");
    }
    ns.ip("link", "set", name, "up");
    ns.ip("link", "set", name + "-peer", "up");
    ns.ip("addr", "add", "172.31.64.10/20", "dev", name);
  }

  @Test
  void aMacSelectorFollowsARenameAndARecreatedInterface() throws IOException {
    write("routes:\n"
        + "  - { to: 10.0.0.0/16, via: subnet-router, dev: { mac: \"0A:1B:2C:3D:4E:5F\" } }\n"
        + "  - \"10.20.0.0/16 dev mac:" + MAC + " metric 20\"\n");
    Commands.Result check = ns.agent(config, "check");
    assertThat(check.status()).as(check.output()).isZero();
    apply(0);
    assertThat(ns.ip("route"))
        .contains("10.0.0.0/16 via 172.31.64.1 dev eth2 proto 157")
        .contains("10.20.0.0/16 dev eth2 proto 157 scope link metric 20");

    ns.ip("link", "set", "eth2", "down");
    ns.ip("link", "set", "eth2", "name", "eth9");
    ns.ip("link", "set", "eth9", "up");
    assertThat(ns.ip("route")).doesNotContain("10.0.0.0/16");
    apply(0);
    assertThat(ns.ip("route"))
        .contains("10.0.0.0/16 via 172.31.64.1 dev eth9 proto 157")
        .contains("10.20.0.0/16 dev eth9 proto 157 scope link metric 20");
    Commands.Result json = ns.agent(config, "status", "--json");
    assertThat(json.status()).as(json.output()).isZero();
    assertThat(json.output()).contains("\"dev\":\"eth9\"").contains("dev mac:" + MAC);

    String before = index("eth9");
    recreate("eth9", "eth2", MAC);
    assertThat(index("eth2")).isNotEqualTo(before);
    apply(0);
    assertThat(ns.ip("route"))
        .contains("10.0.0.0/16 via 172.31.64.1 dev eth2 proto 157")
        .contains("10.20.0.0/16 dev eth2 proto 157 scope link metric 20");
    Commands.Result again = ns.agent(config, "plan");
    assertThat(again.status()).as(again.output()).isZero();
  }

  @Test
  void aSubnetSelectorFollowsARecreatedInterfaceWithAnotherNameAndMac() throws IOException {
    write("routes:\n  - { to: 10.0.0.0/16, via: subnet-router, dev: { subnet: 172.31.0.0/16 } }\n"
        + "  - \"10.30.0.0/16 via subnet-router dev subnet:172.31.64.0/20\"\n");
    apply(0);
    assertThat(ns.ip("route")).contains("10.0.0.0/16 via 172.31.64.1 dev eth2 proto 157")
        .contains("10.30.0.0/16 via 172.31.64.1 dev eth2 proto 157");

    String before = index("eth2");
    recreate("eth2", "ens6", null);
    assertThat(index("ens6")).isNotEqualTo(before);
    apply(0);
    assertThat(ns.ip("route")).contains("10.0.0.0/16 via 172.31.64.1 dev ens6 proto 157")
        .contains("10.30.0.0/16 via 172.31.64.1 dev ens6 proto 157");
  }

  @Test
  void aSelectorMatchingTwoInterfacesIsAnErrorNamingThemAndTheOtherRoutesAreApplied() throws IOException {
    ns.ip("link", "add", "eth3", "type", "veth", "peer", "name", "eth3-peer");
    ns.ip("link", "set", "eth3", "up");
    ns.ip("addr", "add", "172.31.96.10/20", "dev", "eth3");
    write("routes:\n"
        + "  - { to: 10.0.0.0/16, via: subnet-router, dev: { subnet: 172.31.0.0/16 } }\n"
        + "  - { to: 10.1.0.0/16, via: subnet-router, dev: { subnet: 172.31.96.0/20 } }\n"
        + "  - \"10.2.0.0/16 via 172.31.64.1 dev eth2\"\n");
    Commands.Result apply = apply(1);
    assertThat(apply.output())
        .contains("refused    10.0.0.0/16 via subnet-router dev subnet:172.31.0.0/16")
        .contains("matches 2 interfaces: eth2, eth3");
    assertThat(ns.ip("route"))
        .doesNotContain("10.0.0.0/16")
        .contains("10.1.0.0/16 via 172.31.96.1 dev eth3 proto 157")
        .contains("10.2.0.0/16 via 172.31.64.1 dev eth2 proto 157");
    Commands.Result json = ns.agent(config, "status", "--json");
    assertThat(json.status()).isEqualTo(2);
    assertThat(json.output()).contains("\"state\":\"refused\"").contains("matches 2 interfaces: eth2, eth3");
  }

  @Test
  void aSelectorMatchingNothingWaitsUntilSuchAnInterfaceAppears() throws IOException {
    write("routes:\n"
        + "  - { to: 10.0.0.0/16, via: subnet-router, dev: { mac: 0a:00:00:00:00:99 } }\n"
        + "  - { to: 10.1.0.0/16, via: subnet-router, dev: { subnet: 172.31.96.0/20 } }\n");
    Commands.Result apply = apply(3);
    assertThat(apply.output())
        .contains("no interface has MAC 0a:00:00:00:00:99")
        .contains("no interface holds an address in 172.31.96.0/20");

    ns.ip("link", "add", "eth3", "address", "0a:00:00:00:00:99", "type", "veth", "peer", "name", "eth3-peer");
    ns.ip("link", "set", "eth3", "up");
    ns.ip("addr", "add", "172.31.96.10/20", "dev", "eth3");
    apply(0);
    assertThat(ns.ip("route"))
        .contains("10.0.0.0/16 via 172.31.96.1 dev eth3 proto 157")
        .contains("10.1.0.0/16 via 172.31.96.1 dev eth3 proto 157");
  }
}
