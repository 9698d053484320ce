package io.routeagent.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.ConfigException;
import io.routeagent.config.ConfigLoader;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.TableNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ScriptTranslatorTest {
  private static final TableNames TABLES = TableNames.of(Map.of("vpc", 100L));
  private static final ScriptTranslator TRANSLATOR = new ScriptTranslator(TABLES);

  /** The one route a one-line script turns into. */
  private static String route(String script) {
    Translation t = TRANSLATOR.translate(script);
    assertThat(t.rejected()).as(script).isEmpty();
    assertThat(t.routes()).as(script).hasSize(1);
    return t.routes().get(0).text();
  }

  /** Why the one command of a script is rejected. */
  private static Rejection rejection(String script) {
    Translation t = TRANSLATOR.translate(script);
    assertThat(t.routes()).as(script).isEmpty();
    assertThat(t.rejected()).as(script).hasSize(1);
    return t.rejected().get(0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = "=>", textBlock = """
      ip route add 10.0.0.0/16 via 172.31.64.1 dev eth2                    => 10.0.0.0/16 via 172.31.64.1 dev eth2
      ip route replace 10.0.0.0/16 via 172.31.64.1                         => 10.0.0.0/16 via 172.31.64.1
      sudo ip route add 10.0.0.0/16 via 172.31.64.1 dev eth2               => 10.0.0.0/16 via 172.31.64.1 dev eth2
      sudo -E /sbin/ip route add 10.0.0.0/16 dev eth2                      => 10.0.0.0/16 dev eth2
      /usr/sbin/ip r a 10.0.0.0/16 via 172.31.64.1                         => 10.0.0.0/16 via 172.31.64.1
      ip ro repl 10.0.0.0/16 via 172.31.64.1                               => 10.0.0.0/16 via 172.31.64.1
      ip route add to 10.0.0.0/16 via 172.31.64.1                          => 10.0.0.0/16 via 172.31.64.1
      ip route add 10.0.0.0/16 via 172.31.64.1 metric 100                  => 10.0.0.0/16 via 172.31.64.1 metric 100
      ip route add 10.0.0.0/16 metric 5 nexthop via 172.31.64.1 dev eth2 weight 2 nexthop via 172.31.80.1 dev eth3 onlink => 10.0.0.0/16 metric 5 nexthop via 172.31.64.1 dev eth2 weight 2 nexthop via 172.31.80.1 dev eth3 onlink
      ip route replace 10.0.0.0/16 nexthop via 172.31.64.1 dev eth2 weight 3 => 10.0.0.0/16 via 172.31.64.1 dev eth2
      ip -6 route add fd00::/64 nexthop via inet6 fe80::1 dev eth2 nexthop via fe80::2 dev eth3 => fd00::/64 nexthop via fe80::1 dev eth2 nexthop via fe80::2 dev eth3
      ip route add 10.0.0.0/16 via 172.31.64.1 priority 7                  => 10.0.0.0/16 via 172.31.64.1 metric 7
      ip route add 10.0.0.0/16 via 172.31.64.1 preference 7                => 10.0.0.0/16 via 172.31.64.1 metric 7
      ip route add 10.0.0.0/16 via 172.31.64.1 table 100                   => 10.0.0.0/16 via 172.31.64.1 table 100
      ip route add 10.0.0.0/16 via 172.31.64.1 table vpc                   => 10.0.0.0/16 via 172.31.64.1 table vpc
      ip route add default via 172.31.64.1 dev eth2 table 100              => default via 172.31.64.1 dev eth2 table 100
      ip route add 10.0.0.0/16 via 172.31.64.1 src 172.31.64.10            => 10.0.0.0/16 via 172.31.64.1 src 172.31.64.10
      ip route add 10.0.0.0/16 via 172.31.64.1 mtu 1400                    => 10.0.0.0/16 via 172.31.64.1 mtu 1400
      ip route add 10.0.0.0/16 via 172.31.64.1 dev eth2 onlink             => 10.0.0.0/16 via 172.31.64.1 dev eth2 onlink
      ip route add 10.0.0.0/16 dev eth2 scope link                         => 10.0.0.0/16 dev eth2
      ip route add 10.0.0.0/16 via 172.31.64.1 scope global                => 10.0.0.0/16 via 172.31.64.1
      ip route add 10.0.0.0/16 via inet 172.31.64.1                        => 10.0.0.0/16 via 172.31.64.1
      ip route add 10.0.0.0/16 oif eth2                                    => 10.0.0.0/16 dev eth2
      ip route add 10.0.0.9 via 172.31.64.1                                => 10.0.0.9 via 172.31.64.1
      ip route add blackhole 10.9.0.0/16                                   => blackhole 10.9.0.0/16
      ip route add unreachable 10.9.0.0/16 metric 5                        => unreachable 10.9.0.0/16 metric 5
      ip route add prohibit 169.254.169.254/32                             => prohibit 169.254.169.254/32
      ip route add throw 10.9.0.0/16 table 100                             => throw 10.9.0.0/16 table 100
      ip route add unicast 10.0.0.0/16 via 172.31.64.1                     => 10.0.0.0/16 via 172.31.64.1
      ip -6 route add 2001:db8:99::/48 via 2001:db8:1::1 dev eth2          => 2001:db8:99::/48 via 2001:db8:1::1 dev eth2
      ip -6 route add default dev eth2 table 100                           => ::/0 dev eth2 table 100
      ip -4 route add 10.0.0.0/16 via 172.31.64.1                          => 10.0.0.0/16 via 172.31.64.1
      ip -family inet6 route add 2001:db8::/32 dev eth2                    => 2001:db8::/32 dev eth2
      ip route add 10.0.0.0/16 via 172.31.64.1 || true                     => 10.0.0.0/16 via 172.31.64.1
      ip route add 10.0.0.0/16 via 172.31.64.1 2>/dev/null                 => 10.0.0.0/16 via 172.31.64.1
      ip route add 10.0.0.0/16 via 172.31.64.1 > /dev/null 2>&1 || echo x  => 10.0.0.0/16 via 172.31.64.1
      ip route add 10.0.0.0/16 via '172.31.64.1' dev "eth2"                => 10.0.0.0/16 via 172.31.64.1 dev eth2
      route add -net 10.0.0.0 netmask 255.255.0.0 gw 172.31.64.1 dev eth2  => 10.0.0.0/16 via 172.31.64.1 dev eth2
      sudo route add -net 10.0.0.0/16 gw 172.31.64.1                       => 10.0.0.0/16 via 172.31.64.1
      /usr/sbin/route add -net 10.0.0.0/16 gw 172.31.64.1 eth2             => 10.0.0.0/16 via 172.31.64.1 dev eth2
      route add -net 10.0.0.0/16 gw 172.31.64.1 metric 50                  => 10.0.0.0/16 via 172.31.64.1 metric 50
      route add -host 10.0.0.5 gw 172.31.64.1                              => 10.0.0.5 via 172.31.64.1
      route add 10.0.0.5 gw 172.31.64.1                                    => 10.0.0.5 via 172.31.64.1
      route add -net 10.0.0.0 netmask 255.0.0.0 dev eth2                   => 10.0.0.0/8 dev eth2
      route add -net 10.9.0.0/16 reject                                    => unreachable 10.9.0.0/16
      route -A inet6 add 2001:db8::/32 gw 2001:db8:1::1 dev eth2           => 2001:db8::/32 via 2001:db8:1::1 dev eth2 metric 1
      route -A inet6 add 2001:db8::/32 gw 2001:db8:1::1 metric 9           => 2001:db8::/32 via 2001:db8:1::1 metric 9
      """)
  void translatesEachSupportedForm(String line, String expected) {
    assertThat(route(line)).isEqualTo(expected);
  }

  @Test
  void aDefaultRouteInTheMainTableIsKeptWithOverrideAndANote() {
    Translation t = TRANSLATOR.translate("route add default gw 172.31.64.1\n");
    assertThat(t.rejected()).isEmpty();
    Entry entry = t.routes().get(0);
    assertThat(entry.text()).isEqualTo("default via 172.31.64.1 override");
    assertThat(entry.note()).contains("kept with override").contains("default route in the main table");

    assertThat(route("ip route add default via 172.31.64.1 dev eth2"))
        .isEqualTo("default via 172.31.64.1 dev eth2 override");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = "=>", textBlock = """
      ip route add $NET via 172.31.64.1                           => expanded by the shell
      ip route add 10.0.0.0/16 via ${GW}                          => expanded by the shell
      ip route add 10.0.0.0/16 via $(cat /tmp/gw)                 => expanded by the shell
      ip route add 10.0.0.0/16 via `cat /tmp/gw`                  => expanded by the shell
      ip route add 10.0.0.0/16 via "$GW"                          => expanded by the shell
      ip route add 10.0.0.0/16 via 172.31.64.1 proto static       => its own protocol
      ip route add 10.0.0.0/16 nhid 5                             => nexthop objects (`nhid`) are not supported
      ip route add 10.0.0.0/16 nexthop via 172.31.64.1 realm 3 nexthop dev eth3 => `realm` in a next hop is not supported
      ip route add 10.0.0.0/16 nexthop via 172.31.64.1 nexthop via 172.31.64.1 => duplicate next hop
      ip route add 10.0.0.0/16 encap mpls 100 via 172.31.64.1     => encap
      ip route add 10.0.0.0/16 via 172.31.64.1 realm 3            => `realm` is not supported
      ip route add 10.0.0.0/16 via 172.31.64.1 mtu lock 1400      => mtu lock
      ip route add 10.0.0.0/16 via 172.31.64.1 vrf blue           => vrf
      ip route add 10.0.0.0/16 via 172.31.64.1 scope link         => scope link
      ip route add blackhole 10.0.0.0/16 scope link               => gives such a route (global)
      ip route add 10.0.0.0/16 dev eth2 scope global              => gives such a route (link)
      ip route add local 10.0.0.1 dev eth2                        => type local
      ip route add via 172.31.64.1                                => no destination
      ip route add 10.0.0.0/16 via                                => needs a value
      ip route add 10.0.0.0/33 via 172.31.64.1                    => not a valid destination
      ip route add 10.0.0.0/16 via 172.31.64.1 table nosuch       => unknown table name
      ip route add 10.0.0.0/16 via 2001:db8::1                    => IPv6 but the destination is IPv4
      ip -6 route add 10.0.0.0/16 via 172.31.64.1                 => not an IPv6 destination
      ip -n other route add 10.0.0.0/16 via 172.31.64.1           => another network namespace
      ip -batch routes.txt                                        => -batch
      ip route del 10.0.0.0/16                                    => removes or restores routes
      ip route flush table 100                                    => removes or restores routes
      ip route append 10.0.0.0/16 via 172.31.64.1                 => not translated
      ip route change 10.0.0.0/16 via 172.31.64.1                 => not translated
      route del -net 10.0.0.0/16                                  => removes a route
      route add -net 10.0.0.0 gw 172.31.64.1                      => classful
      route add -host 10.0.0.5 netmask 255.255.255.0 gw 1.2.3.4   => makes no sense with -host
      route add -net 10.0.0.0 netmask 255.0.255.0 gw 172.31.64.1  => not contiguous
      route add -net 10.0.0.0/16 gw 172.31.64.1 mss 1400          => `mss` is not supported
      route add -net 10.0.0.0/16 gw 172.31.64.1 dyn               => ICMP-redirect
      route add -net 10.0.0.0/16 gw 172.31.64.1 eth2 extra        => not a word route(8) add takes
      route -A inet6 add 2001:db8::1 gw 2001:db8:1::1             => needs a prefix length
      route -A ipx add 10.0.0.0/16 gw 172.31.64.1                 => not inet or inet6
      """)
  void rejectsWhatItCannotTranslateAndSaysWhy(String line, String why) {
    Rejection r = rejection(line);
    assertThat(r.reason()).contains(why);
    assertThat(r.line()).isEqualTo(1);
    assertThat(r.source()).isEqualTo(line.strip());
  }

  @Test
  void ignoresEverythingButRouteCommandsAndKeepsLineNumbersAndOriginals() {
    Translation t = TRANSLATOR.translate("""
        #!/bin/bash
        set -e
        echo "ip route add 10.99.0.0/16 via 1.2.3.4"   # not a route command: echo
        yum install -y jq
        GW=172.31.64.1
        ip route show
        ip -4 route list table 100
        route -n
        ip route get 10.0.0.1
        ip rule list
        # ip route add 10.98.0.0/16 via 1.2.3.4
        sudo ip route add 10.0.0.0/16 \\
            via 172.31.64.1 \\
            dev eth2
        cat > /etc/x.conf <<EOF
        ip route add 10.97.0.0/16 via 1.2.3.4
        EOF
        if ! ip route show 10.1.0.0/16 | grep -q via; then ip route add 10.1.0.0/16 via 172.31.64.1; fi
        ip route add 10.2.0.0/16 via 172.31.64.1; route add -net 10.3.0.0/16 gw 172.31.64.1
        ip route add $NET via 172.31.64.1
        """);
    assertThat(t.routes()).extracting(Entry::text).containsExactly(
        "10.0.0.0/16 via 172.31.64.1 dev eth2",
        "10.1.0.0/16 via 172.31.64.1",
        "10.2.0.0/16 via 172.31.64.1",
        "10.3.0.0/16 via 172.31.64.1");
    assertThat(t.routes().get(0).origin())
        .isEqualTo("line 12: sudo ip route add 10.0.0.0/16 via 172.31.64.1 dev eth2");
    assertThat(t.routes().get(1).origin()).startsWith("line 18: if ! ip route show");
    assertThat(t.routes().get(3).origin()).startsWith("line 19: ip route add 10.2.0.0/16");
    assertThat(t.rejected()).hasSize(1);
    assertThat(t.rejected().get(0).line()).isEqualTo(20);
    assertThat(t.rejected().get(0).toString()).startsWith("line 20: ").contains("$NET");
  }

  @Test
  void whatItWritesParsesBackToTheSameRoutes() throws ConfigException {
    String script = """
        ip route add 10.0.0.0/16 via 172.31.64.1 dev eth2 metric 100
        route add -net 10.1.0.0 netmask 255.255.0.0 gw 172.31.64.1
        ip -6 route add default dev eth2 table 100
        ip route add blackhole 10.9.0.0/16
        route add default gw 172.31.64.1
        ip route add 10.0.0.0/16 via 172.31.64.1 dev "we\\"ird"
        """;
    Translation t = TRANSLATOR.translate(script);
    String file = RoutesFileWriter.write("test", t.routes(), t.rules());
    ConfigLoader loader = new ConfigLoader(TABLES);
    List<RouteSpec> read = loader.parse("routes.yaml", file).routes();
    assertThat(read).extracting(RouteSpec::describe).containsExactly(
        "10.0.0.0/16 via 172.31.64.1 dev eth2 metric 100",
        "10.1.0.0/16 via 172.31.64.1",
        "::/0 dev eth2 table 100",
        "blackhole 10.9.0.0/16",
        "default via 172.31.64.1",
        "10.0.0.0/16 via 172.31.64.1 dev we\"ird");
    assertThat(file).contains("# line 1: ip route add 10.0.0.0/16 via 172.31.64.1 dev eth2 metric 100");
    for (int i = 0; i < t.routes().size(); i++) {
      RouteSpec alone = loader.parse("one", "routes:\n  - " + RoutesFileWriter.quote(t.routes().get(i).text()) + "\n")
          .routes().get(0);
      assertThat(read.get(i)).usingRecursiveComparison().ignoringFields("file", "line", "column").isEqualTo(alone);
    }
  }

  /** The one rule a one-line script turns into. */
  private static String rule(String script) {
    Translation t = TRANSLATOR.translate(script);
    assertThat(t.rejected()).as(script).isEmpty();
    assertThat(t.routes()).as(script).isEmpty();
    assertThat(t.rules()).as(script).hasSize(1);
    return t.rules().get(0).text();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = "=>", textBlock = """
      ip rule add from 172.31.64.0/20 table 100 priority 1000           => from 172.31.64.0/20 lookup 100 priority 1000
      sudo ip rule add from 172.31.64.0/20 lookup 100 pref 1000         => from 172.31.64.0/20 lookup 100 priority 1000
      /sbin/ip ru a from all to 10.9.0.0/16 prohibit order 900          => to 10.9.0.0/16 prohibit priority 900
      ip rule add iif eth2 lookup vpc preference 5                      => iif eth2 lookup vpc priority 5
      ip rule add dev eth2 oif eth0 blackhole priority 6                => iif eth2 oif eth0 blackhole priority 6
      ip rule add fwmark 0x10/0xff table 200 priority 7                 => fwmark 0x10/0xff lookup 200 priority 7
      ip rule add to 10.0.0.0/8 type unreachable priority 8             => to 10.0.0.0/8 unreachable priority 8
      ip -6 rule add from 2001:db8::/32 table 100 priority 1000         => from 2001:db8::/32 lookup 100 priority 1000 family inet6
      ip -6 rule add iif eth2 table 100 priority 1000                   => iif eth2 lookup 100 priority 1000 family inet6
      """)
  void translatesEachSupportedRuleForm(String line, String expected) {
    assertThat(rule(line)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = "=>", textBlock = """
      ip rule add from 172.31.64.0/20 table 100                         => no priority
      ip rule add from 172.31.64.0/20 table 100 priority 10001          => ec2-net-utils
      ip rule add from 172.31.64.0/20 table 100 priority 32766          => kernel's own rule
      ip rule add from 172.31.64.0/20 table 100 priority 5 proto static => its own protocol
      ip rule add not from 172.31.64.0/20 table 100 priority 5          => `not`
      ip rule add from 172.31.64.0/20 tos 4 table 100 priority 5        => `tos` is not supported
      ip rule add uidrange 0-100 table 100 priority 5                   => `uidrange` is not supported
      ip rule add from 172.31.64.0/20 goto 100 priority 5               => `goto` is not supported
      ip rule add from $SUBNET table 100 priority 5                     => expanded by the shell
      ip -6 rule add from 10.0.0.0/8 table 100 priority 5               => is IPv4 but the rule is IPv6
      ip rule del priority 1000                                         => removes or restores rules
      ip rule flush                                                     => removes or restores rules
      """)
  void rejectsRulesItCannotTranslate(String line, String why) {
    assertThat(rejection(line).reason()).contains(why);
  }

  @Test
  void rulesRoundTripThroughTheRoutesFile() throws ConfigException {
    Translation t = TRANSLATOR.translate("""
        ip route add default via 172.31.64.1 dev eth2 table 100
        ip rule add from 172.31.64.0/20 table 100 priority 1000
        ip -6 rule add iif eth2 prohibit priority 1001
        """);
    String file = RoutesFileWriter.write("test", t.routes(), t.rules());
    assertThat(file).contains("rules:\n  # line 2: ip rule add from 172.31.64.0/20 table 100 priority 1000\n");
    var config = new ConfigLoader(TABLES).parse("routes.yaml", file);
    assertThat(config.routes()).extracting(RouteSpec::describe).containsExactly("default via 172.31.64.1 dev eth2 table 100");
    assertThat(config.rules()).extracting(io.routeagent.config.RuleSpec::describe).containsExactly(
        "from 172.31.64.0/20 lookup 100 priority 1000", "family inet6 iif eth2 prohibit priority 1001");
  }

  @Test
  void anEmptyScriptGivesAnEmptyButValidFile() throws ConfigException {
    String file = RoutesFileWriter.write("test", TRANSLATOR.translate("echo hi\n").routes(), List.of());
    assertThat(file).contains("routes: []");
    assertThat(new ConfigLoader(TABLES).parse("routes.yaml", file).routes()).isEmpty();
  }
}
