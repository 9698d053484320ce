package io.routeagent.it;

import io.routeagent.testing.Commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** check, plan, apply and status against the real kernel, in a namespace shaped like a notebook. */
class OneShotIT extends NamespaceTest {
  @Override
  String initialRoutesFile() {
    return ROUTES;
  }

  @Test
  void checkValidatesWithoutTheKernel() throws IOException {
    Commands.Result ok = Netns.run(java.util.List.of(
        Netns.TOP.resolve("agent/route-agent").toString(), "--config", config.toString(), "check"));
    assertThat(ok.status()).as(ok.output()).isZero();
    assertThat(ok.output()).contains("valid, 3 routes");

    write("routes:\n  - to: 10.0.0.0/33\n");
    Commands.Result bad = ns.agent(config, "check");
    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.output()).contains("routes.yaml:2:").doesNotContain("Exception", "\tat ");
  }

  @Test
  void aHeapSizedInRouteAgentJavaOptsWins() {
    // The launcher's own -Xms256m for one-shot commands would stop a JVM given a smaller -Xmx.
    for (String opts : java.util.List.of("-Xmx64m", "-XX:MaxHeapSize=64m")) {
      Commands.Result ok = Commands.run(java.util.List.of(
              Netns.TOP.resolve("agent/route-agent").toString(), "--config", config.toString(), "check"),
          java.util.Map.of("ROUTE_AGENT_JAVA_OPTS", opts), false);
      assertThat(ok.status()).as(opts + ": " + ok.output()).isZero();
      assertThat(ok.output()).contains("valid, 3 routes");
    }
  }

  /**
   * A small routes file gets a small heap (a 128 MB young generation is touched page by page: 2.7
   * MiB more for ten routes), a large one (its drop-ins counted) the large young generation.
   */
  @Test
  void theLauncherSizesTheHeapByTheRoutesFiles() throws IOException {
    java.util.function.Function<java.nio.file.Path, String> flags = file -> {
      Commands.Result run = Commands.run(java.util.List.of(
              Netns.TOP.resolve("agent/route-agent").toString(), "--config", file.toString(), "check"),
          java.util.Map.of("ROUTE_AGENT_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), false);
      assertThat(run.status()).as(run.output()).isZero();
      return run.output();
    };
    assertThat(flags.apply(config)).contains("-XX:InitialHeapSize=8388608 ").doesNotContain("-XX:NewSize=");

    java.nio.file.Path big = dir.resolve("big");
    java.nio.file.Files.createDirectories(big.resolve("routes.d"));
    StringBuilder routes = new StringBuilder("routes:\n");
    for (int i = 0; i < 3_000; i++) {
      routes.append("  - \"10.").append(i / 256).append('.').append(i % 256).append(".0/24 via 172.31.64.1 dev eth2\"\n");
    }
    java.nio.file.Files.writeString(big.resolve("routes.yaml"), routes);
    assertThat(flags.apply(big.resolve("routes.yaml"))).contains("-XX:InitialHeapSize=8388608 ");
    // Together with a drop-in of the same size, over 256 KiB.
    java.nio.file.Files.writeString(big.resolve("routes.d/more.yaml"), routes.toString().replace("  - \"10.", "  - \"11."));
    assertThat(flags.apply(big.resolve("routes.yaml")))
        .contains("-XX:InitialHeapSize=268435456 ", "-XX:NewSize=134217728 ");
  }

  /**
   * Huge pages where the kernel offers them (madvise or always), for a large heap only: a one-shot
   * command over 256 KiB of routes files, and `run` over 1 MiB; never where the kernel has them off
   * (the JVM would warn at every start), nor where the kernel has none. `run` is given a metrics
   * address it refuses, so that it stops at its usage error, after the JVM printed its flags; in
   * the namespace all the same. Where the kernel offers none, half of this cannot be checked.
   */
  @Test
  void theLauncherTakesHugePagesForALargeHeapWhereTheKernelOffersThem() throws IOException {
    java.nio.file.Path thp = java.nio.file.Path.of(io.routeagent.testing.HugePages.SETTING);
    String mode = java.nio.file.Files.exists(thp) ? java.nio.file.Files.readString(thp) : "";
    boolean offered = io.routeagent.testing.HugePages.offered(mode);
    if (!offered) {
      System.out.println("OneShotIT: this kernel offers no transparent huge pages (" + mode.strip()
          + "): only their absence is checked");
    }
    java.util.function.BiFunction<java.nio.file.Path, java.util.List<String>, String> flags = (file, command) -> {
      java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of("ip", "netns", "exec", ns.name,
          Netns.TOP.resolve("agent/route-agent").toString(), "--config", file.toString()));
      line.addAll(command);
      Commands.Result run = Commands.run(line, java.util.Map.of("ROUTE_AGENT_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), false);
      assertThat(run.status()).as(run.output()).isEqualTo(command.get(0).equals("run") ? 64 : 0);
      // Nor a word from the JVM about them (a warning would go to stdout without the bundle).
      assertThat(run.output()).doesNotContain("warning", "TransparentHugePages disabled");
      return run.output();
    };
    java.util.List<String> check = java.util.List.of("check");
    java.util.List<String> run = java.util.List.of("run", "--metrics-address", "not-an-address");
    String huge = "-XX:+UseTransparentHugePages";
    assertThat(flags.apply(config, check)).doesNotContain(huge);
    assertThat(flags.apply(config, run)).doesNotContain(huge);

    java.nio.file.Path big = dir.resolve("big");
    java.nio.file.Files.createDirectories(big);
    // ~345 KiB: over the one-shot commands' 256 KiB, under run's 1 MiB.
    java.nio.file.Files.writeString(big.resolve("routes.yaml"), oneLineRoutes(8_000));
    assertThat(flags.apply(big.resolve("routes.yaml"), check).contains(huge)).isEqualTo(offered);
    assertThat(flags.apply(big.resolve("routes.yaml"), run)).doesNotContain(huge);
    java.nio.file.Files.writeString(big.resolve("routes.yaml"), oneLineRoutes(30_000));
    assertThat(flags.apply(big.resolve("routes.yaml"), run).contains(huge)).isEqualTo(offered);
  }

  /** A routes file of n one-line entries: /28s from 10.0.0.0 up, via 172.31.64.1 dev eth2. */
  private static String oneLineRoutes(int n) {
    StringBuilder routes = new StringBuilder("routes:\n");
    for (int i = 0; i < n; i++) {
      routes.append("  - 10.").append(i / 4096).append('.').append(i / 16 % 256).append('.').append(i % 16 * 16)
          .append("/28 via 172.31.64.1 dev eth2\n");
    }
    return routes.toString();
  }

  /**
   * A large file of one-line entries (read without snakeyaml, on two threads, its results worded
   * while the kernel works): one bad entry near its end stops the whole apply before anything is
   * sent, named at its line and column; once fixed, every route is applied, one line each, in order.
   */
  @Test
  void aLargeFileOfOneLineEntriesWithOneBadEntryChangesNothingAndOnceFixedAppliesInOrder() throws IOException {
    int n = 20_000;
    String good = oneLineRoutes(n);
    write(good.replace("  - 10.4.225.0/28 via", "  - 10.4.225.0/28 vai"));
    String before = ns.ip("route");
    Commands.Result bad = ns.agent(config, "apply");
    assertThat(bad.status()).as(bad.output()).isEqualTo(1);
    int line = good.lines().toList().indexOf("  - 10.4.225.0/28 via 172.31.64.1 dev eth2") + 1;
    assertThat(bad.output()).contains("routes.yaml:" + line + ":19", "unknown word")
        .doesNotContain("Exception", "\tat ", "added");
    assertThat(ns.ip("route")).isEqualTo(before);

    write(good);
    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    java.util.List<String> added = apply.output().lines().filter(l -> l.startsWith("added")).toList();
    assertThat(added).hasSize(n);
    assertThat(added.get(0)).endsWith(" 10.0.0.0/28 via 172.31.64.1 dev eth2");
    assertThat(added.get(n - 1)).endsWith(" 10.4.225.240/28 via 172.31.64.1 dev eth2");
    assertThat(apply.output()).contains(n + "/" + n + " routes installed");
    assertThat(ns.ip("route").lines().filter(l -> l.contains(" proto 157"))).hasSize(n);
  }

  @Test
  void planShowsTheChangesThenApplyMakesThemAndASecondApplyChangesNothing() {
    Commands.Result plan = ns.agent(config, "plan");
    assertThat(plan.status()).as(plan.output()).isEqualTo(2);
    assertThat(plan.output())
        .contains("add        10.0.0.0/16 via 172.31.64.1 dev eth2")
        .contains("add        10.20.0.0/16 via 172.31.64.1 dev eth2 metric 50")
        .contains("add        10.30.0.0/16 via 172.31.64.1 dev eth2")
        .contains("3 changes pending");
    assertThat(ns.ip("route")).doesNotContain("10.0.0.0/16");

    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    String table = ns.ip("route");
    assertThat(table)
        .contains("10.0.0.0/16 via 172.31.64.1 dev eth2 proto 157")
        .contains("10.20.0.0/16 via 172.31.64.1 dev eth2 proto 157 metric 50")
        .contains("10.30.0.0/16 via 172.31.64.1 dev eth2 proto 157");

    Commands.Result again = ns.agent(config, "apply");
    assertThat(again.status()).as(again.output()).isZero();
    assertThat(again.output()).doesNotContain("added", "replaced", "deleted");
    assertThat(ns.ip("route")).isEqualTo(table);

    Commands.Result inSync = ns.agent(config, "plan");
    assertThat(inSync.status()).as(inSync.output()).isZero();
    assertThat(inSync.output()).contains("in sync");
  }

  @Test
  void statusListsEachRouteAndExitsZeroOnlyWhenAllAreInstalled() {
    Commands.Result before = ns.agent(config, "status");
    assertThat(before.status()).isEqualTo(2);
    assertThat(before.output()).contains("missing    10.0.0.0/16 via 172.31.64.1 dev eth2");

    ns.agent(config, "apply");
    ns.ip("route", "replace", "10.20.0.0/16", "via", "172.31.64.77", "dev", "eth2", "metric", "50");
    Commands.Result drifted = ns.agent(config, "status");
    assertThat(drifted.status()).isEqualTo(2);
    assertThat(drifted.output()).contains("drifted    10.20.0.0/16").contains("via 172.31.64.77");

    ns.agent(config, "apply");
    Commands.Result json = ns.agent(config, "status", "--json");
    assertThat(json.status()).as(json.output()).isZero();
    assertThat(json.output())
        .startsWith("{\"routes\":[")
        .contains("\"state\":\"installed\"")
        .contains("\"installed\":3");
  }

  @Test
  void aRouteWhoseInterfaceIsAbsentWaitsAndTheRestAreApplied() throws IOException {
    write(ROUTES + "  - { to: 10.40.0.0/16, via: subnet-router, dev: eth3 }\n");
    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isEqualTo(3);
    assertThat(apply.output()).contains("waiting").contains("eth3 is absent");
    assertThat(ns.ip("route")).contains("10.0.0.0/16", "10.20.0.0/16", "10.30.0.0/16").doesNotContain("10.40.0.0");

    Commands.Result status = ns.agent(config, "status");
    assertThat(status.output()).contains("waiting    10.40.0.0/16 via subnet-router dev eth3");

    ns.ip("link", "add", "eth3", "type", "veth", "peer", "name", "eth3-peer");
    ns.ip("link", "set", "eth3", "up");
    ns.ip("link", "set", "eth3-peer", "up");
    ns.ip("addr", "add", "172.31.96.10/20", "dev", "eth3");
    Commands.Result later = ns.agent(config, "apply");
    assertThat(later.status()).as(later.output()).isZero();
    assertThat(ns.ip("route")).contains("10.40.0.0/16 via 172.31.96.1 dev eth3 proto 157");
  }

  @Test
  void aHandMadeRouteWithTheSameKeyIsReplacedAndAdopted() {
    ns.ip("route", "add", "10.0.0.0/16", "via", "172.31.64.77", "dev", "eth2");
    Commands.Result plan = ns.agent(config, "plan");
    assertThat(plan.output()).contains("replace    10.0.0.0/16 via 172.31.64.1 dev eth2").contains("kernel has proto boot");

    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    assertThat(ns.ip("route", "show", "10.0.0.0/16")).contains("via 172.31.64.1 dev eth2 proto 157")
        .doesNotContain("172.31.64.77");
  }

  @Test
  void anOwnedRouteDroppedFromTheFileIsDeletedAndForeignRoutesAreNeverTouched() throws IOException {
    ns.agent(config, "apply");
    // Foreign: another protocol with another key, and a static route with an owned route's prefix
    // but another metric (so another key).
    ns.ip("route", "add", "10.50.0.0/16", "via", "172.31.64.1", "dev", "eth2", "proto", "static");
    ns.ip("route", "add", "10.0.0.0/16", "via", "172.31.64.9", "dev", "eth2", "metric", "300");
    write("""
        routes:
          - "10.20.0.0/16 via 172.31.64.1 dev eth2 metric 50"
        """);
    Commands.Result plan = ns.agent(config, "plan");
    assertThat(plan.output()).contains("delete     10.0.0.0/16 via 172.31.64.1 dev eth2")
        .contains("delete     10.30.0.0/16").doesNotContain("10.50.0.0");

    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    String table = ns.ip("route");
    assertThat(table)
        .contains("10.20.0.0/16 via 172.31.64.1 dev eth2 proto 157 metric 50")
        .contains("10.50.0.0/16 via 172.31.64.1 dev eth2 proto static")
        .contains("10.0.0.0/16 via 172.31.64.9 dev eth2 metric 300")
        .contains("default via 192.0.2.1 dev eth0")
        .doesNotContain("10.30.0.0/16")
        .doesNotContain("10.0.0.0/16 via 172.31.64.1");
  }

  @Test
  void routesEmptyRemovesEveryOwnedRouteButAnEmptyFileChangesNothing() throws IOException {
    ns.agent(config, "apply");
    write("");
    Commands.Result empty = ns.agent(config, "apply");
    assertThat(empty.status()).isEqualTo(1);
    assertThat(empty.output()).contains("routes: []");
    assertThat(ns.ip("route")).contains("10.0.0.0/16", "10.20.0.0/16", "10.30.0.0/16");

    write("routes: []\n");
    Commands.Result none = ns.agent(config, "apply");
    assertThat(none.status()).as(none.output()).isZero();
    assertThat(ns.ip("route")).doesNotContain("proto 157").contains("default via 192.0.2.1");
  }

  @Test
  void otherTablesIpv6AndRejectTypes() throws IOException {
    ns.ip("-6", "addr", "add", "2001:db8:1::10/64", "dev", "eth2", "nodad");
    write("""
        routes:
          - { to: 10.60.0.0/16, via: 172.31.64.1, dev: eth2, table: 100, mtu: 1400 }
          - { to: "2001:db8:99::/48", via: "2001:db8:1::1", dev: eth2 }
          - { to: 10.70.0.0/16, type: blackhole }
          - { to: 10.71.0.0/16, type: unreachable, metric: 10 }
          - { to: 169.254.169.254/32, type: prohibit }
        """);
    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    assertThat(ns.ip("route", "show", "table", "100")).contains("10.60.0.0/16 via 172.31.64.1 dev eth2 proto 157 mtu 1400");
    assertThat(ns.ip("-6", "route")).contains("2001:db8:99::/48 via 2001:db8:1::1 dev eth2 proto 157 metric 1024");
    assertThat(ns.ip("route"))
        .contains("blackhole 10.70.0.0/16 proto 157")
        .contains("unreachable 10.71.0.0/16 proto 157 metric 10")
        .contains("prohibit 169.254.169.254 proto 157");

    Commands.Result again = ns.agent(config, "plan");
    assertThat(again.status()).as(again.output()).isZero();
  }

  @Test
  void aRouteIntoAConnectedSubnetIsRefusedUnlessOverridden() throws IOException {
    write("""
        routes:
          - { to: 172.31.64.0/24, via: 172.31.64.1, dev: eth2 }
          - { to: 10.0.0.0/16, via: 172.31.64.1, dev: eth2 }
        """);
    Commands.Result apply = ns.agent(config, "apply");
    assertThat(apply.status()).as(apply.output()).isEqualTo(1);
    assertThat(apply.output()).contains("refused").contains("172.31.64.0/24");
    assertThat(ns.ip("route")).contains("10.0.0.0/16").doesNotContain("172.31.64.0/24");
  }
}
