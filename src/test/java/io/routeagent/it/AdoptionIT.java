package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, reproduction 3, against the real kernel: in a VPC-only namespace (the default route via
 * eth2, installed by another owner), an entry `{ to: default, via: subnet-router, dev: eth2,
 * override: true }` adopts that default route; once the entry is removed the original must be back,
 * with its protocol and attributes, not gone. Each apply is its own process, so the record of the
 * displaced route crosses a process boundary as it would across a crash.
 */
class AdoptionIT extends NamespaceTest {
  static final String OVERRIDE_DEFAULT = """
      routes:
        - { to: default, via: subnet-router, dev: eth2, override: true }
      """;

  Path state;
  String original;

  @Override
  String initialRoutesFile() {
    return OVERRIDE_DEFAULT;
  }

  /** VPC-only: the default route leaves by eth2, as the platform's DHCP client installed it. */
  @BeforeEach
  void makeItVpcOnly() throws IOException {
    ns.ip("route", "del", "default");
    ns.ip("route", "add", "default", "via", "172.31.64.1", "dev", "eth2", "proto", "dhcp", "src", "172.31.64.10",
        "mtu", "9001");
    original = ns.ip("route", "show", "default");
    assertThat(original).contains("proto dhcp");
    state = dir.resolve("state");
  }

  Commands.Result agent(String command) {
    return ns.agent(config, "--state-dir", state.toString(), command);
  }

  @Test
  void removingTheOverrideEntryPutsTheOriginalDefaultRouteBack() throws IOException {
    Commands.Result adopt = agent("apply");
    assertThat(adopt.status()).as(adopt.output()).isZero();
    assertThat(adopt.output()).contains("replaced   default via 172.31.64.1 dev eth2");
    assertThat(ns.ip("route", "show", "default")).contains("proto 157").doesNotContain("dhcp");

    write("routes: []\n");
    Commands.Result plan = agent("plan");
    assertThat(plan.status()).as(plan.output()).isEqualTo(2);
    assertThat(plan.output()).contains("restore    default via 172.31.64.1 dev eth2 src 172.31.64.10 mtu 9001"
        + "  (proto dhcp, displaced by default via 172.31.64.1 dev eth2 proto 157)");

    Commands.Result remove = agent("apply");
    assertThat(remove.status()).as(remove.output()).isZero();
    assertThat(remove.output()).contains("restored").doesNotContain("deleted");
    assertThat(ns.ip("route", "show", "default")).isEqualTo(original);

    Commands.Result again = agent("plan");
    assertThat(again.status()).as(again.output()).isZero();
    assertThat(ns.ip("route", "show", "default")).isEqualTo(original);
  }

  @Test
  void importFromTheKernelDoesNotDeclareThePlatformsDefaultRoute() throws IOException {
    Commands.Result imported = ns.exec("sh", "-c",
        "\"$0\" import --from-kernel > \"$1\"", Netns.TOP.resolve("agent/route-agent").toString(), config.toString());
    assertThat(imported.status()).as(imported.output()).isZero();
    assertThat(imported.output()).contains("left commented out");
    assertThat(Files.readString(config))
        .contains("# - \"default via 172.31.64.1 dev eth2 src 172.31.64.10 mtu 9001 override\"");
    Commands.Result apply = agent("apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    assertThat(apply.output()).doesNotContain("replaced");
    assertThat(ns.ip("route", "show", "default")).isEqualTo(original);
  }
}
