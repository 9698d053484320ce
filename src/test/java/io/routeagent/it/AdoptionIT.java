package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    assertThat(agent("status").output()).contains("1 route of other owners displaced, put back when their entries go");

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

  /**
   * As the unit runs it: the daemon under a uid of its own holding only CAP_NET_ADMIN, in a
   * directory that uid owns. It adopts the default route, is killed (SIGKILL) with the entry still
   * in the file, the entry is removed while it is down, and the next daemon puts the route back.
   */
  @Test
  void theDaemonPutsTheRouteBackAfterBeingKilledBetweenAdoptionAndRemoval() throws Exception {
    Files.createDirectories(state);
    Files.createDirectories(dir.resolve("lock"));
    assertThat(Netns.run(List.of("chown", "-R", "4242:4242", dir.toString())).status()).isZero();
    assertThat(Netns.run(List.of("chmod", "0755", dir.toString())).status()).isZero();

    Process first = daemonAs4242("daemon-1.out");
    try {
      ns.awaitIp(t -> t.contains("proto 157"), Duration.ofSeconds(30), () -> read("daemon-1.out"),
          "route", "show", "default");
    } finally {
      first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    write("routes: []\n");

    Process second = daemonAs4242("daemon-2.out");
    try {
      String restored = ns.awaitIp(t -> t.contains("proto dhcp"), Duration.ofSeconds(30),
          () -> read("daemon-2.out"), "route", "show", "default");
      assertThat(restored).isEqualTo(original);
      // Its log copy in logs/ beside the routes file (the journal has the same lines).
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!read("logs/route-agent.log").contains("restored to=default via=172.31.64.1 dev=eth2")
          && System.nanoTime() < deadline) {
        Thread.sleep(50); // polling a file with a deadline, not a synchronisation
      }
      assertThat(read("logs/route-agent.log")).as(read("daemon-2.out"))
          .contains("restored to=default via=172.31.64.1 dev=eth2");
    } finally {
      second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process daemonAs4242(String output) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(List.of("ip", "netns", "exec", ns.name,
        "setpriv", "--reuid=4242", "--regid=4242", "--clear-groups", "--inh-caps", "-all,+net_admin",
        "--ambient-caps", "-all,+net_admin", "--bounding-set", "-all,+net_admin",
        Netns.TOP.resolve("agent/route-agent").toString(), "--config", config.toString(),
        "--state-dir", state.toString(), "run", "--lock-dir", dir.resolve("lock").toString()))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(output).toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    List.of("JOURNAL_STREAM", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "ROUTE_AGENT_CONFIG",
        "RUNTIME_DIRECTORY", "STATE_DIRECTORY").forEach(builder.environment()::remove);
    return builder.start();
  }

  private String read(String output) {
    try {
      return Files.readString(dir.resolve(output));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
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
