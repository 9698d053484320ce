package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An IPv4 route through an IPv6 gateway (RTA_VIA, issue 12), which the routes file cannot
 * express: `import --from-kernel` names it, an entry with its key does not adopt it (the agent
 * would put it back as another route, `10.9.0.0/16 dev eth2`), and nothing shows it mangled.
 */
class RtaViaIT extends NamespaceTest {
  private static final String SHOWN = "10.9.0.0/16 via <an IPv6 gateway (RTA_VIA) or a nexthop object> dev eth2";

  @Override
  String initialRoutesFile() {
    return "routes:\n  - \"10.9.0.0/16 via 172.31.64.1 dev eth2\"\n";
  }

  @BeforeEach
  void viaInet6() {
    ns.ip("route", "add", "10.9.0.0/16", "via", "inet6", "fe80::1", "dev", "eth2", "proto", "static");
    assertThat(ns.ip("route", "show", "10.9.0.0/16")).isEqualTo("10.9.0.0/16 via inet6 fe80::1 dev eth2 proto static \n");
  }

  @Test
  void importFromTheKernelNamesItAndWritesNothingForIt() {
    Commands.Result imported = ns.exec(Netns.TOP.resolve("agent/route-agent").toString(), "import", "--from-kernel");
    assertThat(imported.status()).as(imported.output()).isEqualTo(1);
    assertThat(imported.output())
        .contains("route-agent: cannot translate a route through a nexthop object (nhid) or an RTA_VIA gateway,"
            + " which the routes file cannot express\n    kernel: " + SHOWN + " proto static")
        .doesNotContain("Exception", "\tat ", "\"10.9.0.0/16");
  }

  @Test
  void anEntryWithItsKeyIsRefusedAndTheRouteLeftAsItIs() throws IOException {
    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isEqualTo(1);
    assertThat(apply.output()).contains("refused    10.9.0.0/16 via 172.31.64.1 dev eth2  (" + SHOWN + " proto static"
        + " goes through an IPv6 gateway (RTA_VIA) or a nexthop object, which route-agent cannot record to put back"
        + " when the entry goes: it is left alone; delete it (`ip route del 10.9.0.0/16`) for the entry to be"
        + " installed)").doesNotContain("Exception", "\tat ");
    assertThat(ns.ip("route", "show", "10.9.0.0/16")).isEqualTo("10.9.0.0/16 via inet6 fe80::1 dev eth2 proto static \n");
    assertThat(ns.agent(config, "status", "--json").output()).contains("\"state\":\"refused\"");

    // deleted as it says: the entry goes in; and out again, nothing else comes back
    ns.ip("route", "del", "10.9.0.0/16");
    assertThat(ns.agent(config, "apply").status()).isZero();
    assertThat(ns.ip("route", "show", "10.9.0.0/16")).isEqualTo("10.9.0.0/16 via 172.31.64.1 dev eth2 proto 157 \n");
    write("routes: []\n");
    assertThat(ns.agent(config, "apply").status()).isZero();
    assertThat(ns.ip("route", "show", "10.9.0.0/16")).isEmpty();
  }

  @Test
  void oursIsReplacedWhenDesiredAndDeletedWhenNot() throws IOException {
    ns.ip("route", "replace", "10.9.0.0/16", "via", "inet6", "fe80::1", "dev", "eth2", "proto", "157");
    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    assertThat(ns.ip("route", "show", "10.9.0.0/16")).isEqualTo("10.9.0.0/16 via 172.31.64.1 dev eth2 proto 157 \n");

    ns.ip("route", "replace", "10.9.0.0/16", "via", "inet6", "fe80::1", "dev", "eth2", "proto", "157");
    write("routes: []\n");
    Commands.Result prune = ns.agent(config, "apply");
    assertThat(prune.status()).as(prune.output()).isZero();
    assertThat(prune.output()).contains("deleted    " + SHOWN);
    assertThat(ns.ip("route", "show", "10.9.0.0/16")).isEmpty();
  }
}
