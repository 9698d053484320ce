package io.routeagent.it;

import io.routeagent.testing.Commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Policy rules, other tables and import against the real kernel, in notebook-shaped namespaces. */
class RulesIT extends NamespaceTest {
  /** The notebook's eth2 worked example: replies from eth2's subnet leave through eth2. */
  private static final String POLICY = """
      routes:
        - { to: default, via: subnet-router, dev: eth2, table: 100 }
        - "10.0.0.0/16 via subnet-router dev eth2"
      rules:
        - { from: 172.31.64.0/20, table: 100, priority: 1000 }
        - "to 10.9.0.0/16 prohibit priority 900"
        - "family inet6 iif eth2 lookup 100 priority 1000"
      """;


  @Override
  String initialRoutesFile() {
    return POLICY;
  }

  @Test
  void rulesAreInstalledRestoredAfterADeleteAndADefaultRouteGoesInTable100() {
    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    assertThat(apply.output()).contains("2/2 routes installed", "3/3 rules installed");
    assertThat(ns.ip("rule"))
        .contains("900:\tfrom all to 10.9.0.0/16 prohibit proto 157")
        .contains("1000:\tfrom 172.31.64.0/20 lookup 100 proto 157")
        .contains("0:\tfrom all lookup local", "32766:\tfrom all lookup main", "32767:\tfrom all lookup default");
    assertThat(ns.ip("-6", "rule")).contains("1000:\tfrom all iif eth2 lookup 100 proto 157");
    assertThat(ns.ip("route", "show", "table", "100")).contains("default via 172.31.64.1 dev eth2 proto 157");

    ns.ip("rule", "del", "priority", "1000");
    Commands.Result status = ns.agent(config, "status");
    assertThat(status.status()).isEqualTo(2);
    assertThat(status.output()).contains("missing    rule from 172.31.64.0/20 lookup 100 priority 1000");
    Commands.Result again = ns.agent(config, "apply");
    assertThat(again.output()).contains("added      rule from 172.31.64.0/20 lookup 100 priority 1000");
    assertThat(ns.ip("rule")).contains("1000:\tfrom 172.31.64.0/20 lookup 100 proto 157");

    Commands.Result inSync = ns.agent(config, "plan");
    assertThat(inSync.status()).as(inSync.output()).isZero();
    assertThat(inSync.output()).contains("in sync: 2 routes installed, 3 rules installed");
  }

  @Test
  void aHandMadeRuleWithTheKeyIsAdoptedAndAChangedRuleReplaced() throws IOException {
    ns.ip("rule", "add", "from", "172.31.64.0/20", "lookup", "200", "priority", "1000");
    Commands.Result plan = ns.agent(config, "plan");
    assertThat(plan.output())
        .contains("replace    rule from 172.31.64.0/20 lookup 100 priority 1000  (kernel has proto unspec, lookup 200)");
    ns.agent(config, "apply");
    assertThat(ns.ip("rule")).contains("1000:\tfrom 172.31.64.0/20 lookup 100 proto 157").doesNotContain("lookup 200");

    write(POLICY.replace("table: 100, priority: 1000", "table: 101, priority: 1000"));
    Commands.Result changed = ns.agent(config, "apply");
    assertThat(changed.status()).as(changed.output()).isZero();
    assertThat(ns.ip("rule")).contains("1000:\tfrom 172.31.64.0/20 lookup 101 proto 157").doesNotContain("lookup 100 proto");
  }

  @Test
  void droppedRulesArePrunedAndForeignAndKernelRulesStay() throws IOException {
    ns.agent(config, "apply");
    ns.ip("rule", "add", "from", "10.50.0.0/16", "lookup", "100", "priority", "2000");
    ns.ip("rule", "add", "from", "10.51.0.0/16", "lookup", "100", "priority", "2001", "proto", "static");
    String before = ns.ip("rule");
    write("""
        routes: []
        rules:
          - "to 10.9.0.0/16 prohibit priority 900"
        """);
    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    assertThat(apply.output()).contains("deleted    rule from 172.31.64.0/20 lookup 100 priority 1000");
    String after = ns.ip("rule");
    assertThat(after)
        .contains("900:\tfrom all to 10.9.0.0/16 prohibit proto 157")
        .contains("2000:\tfrom 10.50.0.0/16 lookup 100")
        .contains("2001:\tfrom 10.51.0.0/16 lookup 100 proto static")
        .contains("0:\tfrom all lookup local", "32766:\tfrom all lookup main", "32767:\tfrom all lookup default")
        .doesNotContain("172.31.64.0/20");
    assertThat(before).contains("172.31.64.0/20");
    assertThat(ns.ip("-6", "rule")).doesNotContain("iif eth2").contains("32766:\tfrom all lookup main");
  }

  /**
   * A lifecycle script with each supported line form, run as it is in one namespace, and imported
   * then applied in another, leaves the same routes and rules (but for the protocol that marks
   * route-agent's).
   */
  @Test
  void importingAScriptThenApplyingItGivesTheTableTheScriptMakes() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Netns.run(List.of("sh", "-c", "command -v route")).status() == 0 || !"true".equals(System.getenv("CI")),
        "net-tools route is not installed");
    String script = """
        #!/bin/bash
        set -e
        echo "adding routes"            # ignored
        GW=172.31.64.1                  # ignored
        ip route add 10.0.0.0/16 via 172.31.64.1 dev eth2
        sudo ip route replace 10.1.0.0/16 via 172.31.64.1 metric 50
        /sbin/ip -4 r a 10.2.0.0/16 via 172.31.64.1 dev eth2 table 100 mtu 1400
        ip route add default via 172.31.64.1 dev eth2 table 100
        ip route add blackhole 10.9.0.0/16
        ip route add 10.6.0.0/16 dev eth2 scope link
        ip route add 10.5.0.0/16 \\
            via 172.31.64.1 \\
            dev eth2 || true
        route add -net 10.3.0.0 netmask 255.255.0.0 gw 172.31.64.1 dev eth2
        /usr/sbin/route add -net 10.7.0.0/16 gw 172.31.64.1 metric 20
        route add -host 10.4.0.5 gw 172.31.64.1
        ip rule add from 172.31.64.0/20 table 100 priority 1000
        sudo ip rule add to 10.9.0.0/16 prohibit pref 900
        ip rule add fwmark 0x10/0xff lookup 100 priority 901
        ip -6 rule add iif eth2 table 100 priority 1000
        """;
    Path scriptFile = dir.resolve("on-start.sh");
    Files.writeString(scriptFile, script);
    Path shimmed = dir.resolve("run.sh");
    // No sudo in a test namespace, and none needed as root: a shell function stands in for it.
    Files.writeString(shimmed, "sudo() { \"$@\"; }\n" + script);

    try (Netns reference = Netns.notebook()) {
      Commands.Result ran = reference.exec("bash", shimmed.toString());
      assertThat(ran.status()).as(ran.output()).isZero();

      Commands.Result imported = Netns.run(List.of(
          Netns.TOP.resolve("agent/route-agent").toString(), "import", scriptFile.toString()));
      assertThat(imported.status()).as(imported.output()).isZero();
      Files.writeString(config, imported.output());
      Commands.Result apply = ns.agent(config, "apply");
      assertThat(apply.status()).as(apply.output()).isZero();

      for (String[] show : List.of(
          new String[] {"-4", "route", "show", "table", "all"},
          new String[] {"-6", "route", "show", "table", "all"},
          new String[] {"-4", "rule"},
          new String[] {"-6", "rule"})) {
        assertThat(withoutProto(ns.ip(show))).as(String.join(" ", show))
            .isEqualTo(withoutProto(reference.ip(show)));
      }
      assertThat(ns.ip("route", "show", "table", "100")).contains("10.2.0.0/16 via 172.31.64.1 dev eth2 proto 157 mtu 1400");
    }
  }

  private static String withoutProto(String table) {
    // The veths' link-local addresses come and go with IPv6 duplicate address detection, on its own
    // clock in each namespace: leave their local routes out.
    return table.replaceAll(" proto \\S+", "").replaceAll("(?m)^local fe80::.*\n", "");
  }
}
