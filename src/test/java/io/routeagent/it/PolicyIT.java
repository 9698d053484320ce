package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The administrator's policy against the real kernel: a routes file that goes outside it is
 * refused by check, apply and the daemon (which keeps the last good file), and a policy that
 * cannot be trusted stops everything (fail closed).
 */
class PolicyIT extends DaemonTestBase {
  /** Line 2 allows 10.0.0.0/8 only. */
  private static final String POLICY = """
      allow:
        destinations: [10.0.0.0/8]
        gateways: [subnet-router, 172.31.0.0/16]
        interfaces: [eth2]
      """;
  /** ROUTES with a seventh line outside the policy's destinations. */
  private static final String OUTSIDE = ROUTES + "  - 192.168.5.0/24 via 172.31.64.1 dev eth2\n";
  /**
   * How long a reload may take before the test gives up: a deadline for an event, not a speed
   * target (a reload takes a second or two, the watcher waiting 200 ms for quiet; on a loaded
   * 2-core CI machine a tight deadline would only make the test flaky).
   */
  private static final Duration RELOAD = Duration.ofSeconds(20);

  Path policy;

  /** A root-owned policy in a root-owned directory, writable by root alone. */
  @BeforeEach
  void writePolicy() throws IOException {
    Path etc = Files.createDirectory(dir.resolve("etc"));
    Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
    policy = Files.writeString(etc.resolve("policy.yaml"), POLICY);
    Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rw-r--r--"));
  }

  private String refusal() {
    return config + ":7:5: destination 192.168.5.0/24 is outside the policy's allow.destinations ("
        + policy + ":2)";
  }

  @Test
  void checkAndApplyRefuseAFileOutsideThePolicyAndChangeNothing() throws IOException {
    Commands.Result ok = ns.agent(config, "--policy", policy.toString(), "check");
    assertThat(ok.status()).as(ok.output()).isZero();
    assertThat(ok.output()).contains("valid, 3 routes, within the policy " + policy);

    write(OUTSIDE);
    String before = routes();
    Commands.Result check = ns.agent(config, "check", "--policy", policy.toString());
    assertThat(check.status()).as(check.output()).isEqualTo(1);
    assertThat(check.output()).contains(refusal())
        .contains("route-agent: the routes file is not valid; nothing was changed")
        .doesNotContain("Exception", "\tat ");
    // Without the policy the same file is valid: the policy alone refuses it.
    assertThat(ns.agent(config, "check").status()).isZero();

    Commands.Result plan = ns.agent(config, "--policy", policy.toString(), "plan");
    assertThat(plan.status()).as(plan.output()).isEqualTo(1);
    assertThat(plan.output()).contains(refusal());

    Commands.Result refused = Commands.run(java.util.List.of("ip", "netns", "exec", ns.name,
            Netns.TOP.resolve("agent/route-agent").toString(), "--config", config.toString(), "apply"),
        Map.of("ROUTE_AGENT_POLICY", policy.toString()), false);
    assertThat(refused.status()).as(refused.output()).isEqualTo(1);
    assertThat(refused.output()).contains(refusal());
    assertThat(routes()).isEqualTo(before);
  }

  /**
   * Adoption needs allow.adopt: an entry that would replace another owner's route (the
   * namespace's own default via eth0) is refused under a policy without it, and that route stays.
   */
  @Test
  void withoutAllowAdoptAnotherOwnersRouteIsNotReplaced() throws IOException {
    Files.writeString(policy, "allow:\n  override: true\n");
    write("routes:\n  - { to: default, via: subnet-router, dev: eth2, override: true }\n");
    String before = ns.ip("route", "show", "default");
    Commands.Result refused = ns.agent(config, "--policy", policy.toString(), "apply");
    assertThat(refused.status()).as(refused.output()).isEqualTo(1);
    assertThat(refused.output()).contains("adoption not allowed by the admin policy: default via 192.0.2.1 dev eth0");
    assertThat(ns.ip("route", "show", "default")).isEqualTo(before);

    Files.writeString(policy, "allow:\n  override: true\n  adopt: true\n");
    Commands.Result adopted = ns.agent(config, "--policy", policy.toString(), "apply");
    assertThat(adopted.status()).as(adopted.output()).isZero();
    assertThat(ns.ip("route", "show", "default")).contains("via 172.31.64.1 dev eth2 proto 157");
  }

  @Test
  void statusSaysWhichPolicyIsInForce() throws IOException {
    assertThat(ns.agent(config, "--policy", policy.toString(), "apply").status()).isZero();
    Commands.Result status = ns.agent(config, "--policy", policy.toString(), "status");
    assertThat(status.status()).as(status.output()).isZero();
    assertThat(status.output()).startsWith("policy " + policy + " in force\n");
    Commands.Result json = ns.agent(config, "--policy", policy.toString(), "status", "--json");
    assertThat(json.output().strip()).startsWith("{\"routes\":[").endsWith(",\"policy\":\"" + policy + "\",\"held\":null}");
    Commands.Result none = ns.agent(config, "status", "--json");
    assertThat(none.output().strip()).endsWith(",\"policy\":null,\"held\":null}");
  }

  @Test
  void anUntrustedPolicyIsRefusedByEveryCommand() throws IOException {
    Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rw-rw-r--"));
    for (String command : new String[] {"check", "plan", "apply", "status"}) {
      Commands.Result result = ns.agent(config, "--policy", policy.toString(), command);
      assertThat(result.status()).as(command + ": " + result.output()).isEqualTo(1);
      assertThat(result.output()).as(command)
          .contains(policy + ": the policy is not trusted: it is writable by its group or others (mode 0664)")
          .contains("route-agent: the policy is not trusted or not valid; nothing was changed");
    }
    assertThat(routes()).doesNotContain("proto 157");
  }

  @Test
  void theDaemonKeepsTheLastGoodFileWhenAnEditGoesOutsideThePolicy() throws IOException {
    AgentProcess agent = launch(Map.of("ROUTE_AGENT_POLICY", policy.toString())).awaitHealthy();
    agent.awaitLog("policy " + policy + " in force", SOON);
    awaitRoutes(agent, hasAll(R1, R2, R3));
    String before = routes();

    write(OUTSIDE);
    agent.awaitSample("route_agent_config_valid", v -> v == 0, RELOAD);
    agent.awaitLog(refusal(), SOON);
    assertThat(agent.log()).contains("invalid config, the last good one stays in force");
    assertThat(routes()).isEqualTo(before).doesNotContain("192.168.5.0");
    // The last good file is still in force: a deleted route comes back.
    ns.ip("route", "del", "10.0.0.0/16");
    awaitRoutes(agent, hasAll(R1, R2, R3));

    // Widening the policy is seen as a change too: the same file is now applied.
    Files.writeString(policy, POLICY.replace("[10.0.0.0/8]", "[10.0.0.0/8, 192.168.0.0/16]"));
    awaitRoutes(agent, hasAll(R1, R2, R3, "192.168.5.0/24 via 172.31.64.1 dev eth2 proto 157"));
    agent.awaitSample("route_agent_config_valid", v -> v == 1, SOON);
  }

  @Test
  void theDaemonFailsClosedWhenThePolicyStopsBeingTrusted() throws IOException {
    AgentProcess agent = launch(Map.of("ROUTE_AGENT_POLICY", policy.toString())).awaitHealthy();
    awaitRoutes(agent, hasAll(R1, R2, R3));

    Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rw-rw-r--"));
    agent.awaitSample("route_agent_config_valid", v -> v == 0, RELOAD);
    agent.awaitLog("policy not trusted or not valid, nothing is applied or pruned until it is fixed: "
        + policy + ": the policy is not trusted: it is writable by its group or others (mode 0664)", SOON);
    // Nothing is repaired now. The deletion is read before the next reload, which is the sign
    // that the loop went past it.
    ns.ip("route", "del", "10.0.0.0/16");
    double failures = agent.sample("route_agent_config_reloads_total{result=\"failure\"}");
    write(ROUTES + "  - 10.40.0.0/16 via 172.31.64.1 dev eth2\n");
    agent.awaitSample("route_agent_config_reloads_total{result=\"failure\"}", v -> v > failures, RELOAD);
    assertThat(routes()).doesNotContain("10.0.0.0/16", "10.40.0.0/16").contains("10.20.0.0/16", "10.30.0.0/16");

    Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rw-r--r--"));
    awaitRoutes(agent, hasAll(R1, R2, R3, "10.40.0.0/16 via 172.31.64.1 dev eth2 proto 157"));
    agent.awaitSample("route_agent_config_valid", v -> v == 1, SOON);
  }

  /**
   * The reviewer's policy: 10.0.0.0/8, unicast, rules 1000-1999 in table 100 (destinations line 2,
   * types line 3); its gateways take 172.31.0.0/16 too, for ROUTES's 172.31.64.1.
   */
  private static final String CONFINED = """
      allow:
        destinations: [10.0.0.0/8]
        types: [unicast]
        gateways: [subnet-router, 172.31.0.0/16]
        interfaces: [eth2]
        rules: { priorities: 1000-1999, tables: [100] }
        override: false
        adopt: false
      """;

  /**
   * The reviewer's attack: blackhole rules covering IPv4 but the metadata service and the
   * namespace's connected subnets (66 rules), so that none is "to 0/0" and each passes the guard
   * rails. Under a policy that confines routes to 10.0.0.0/8 and unicast, check, apply and the
   * daemon refuse the file at each rule, and `ip` shows no rule of ours and the notebook still
   * reaching 1.1.1.1. Without the policy the same file is installed and cuts it off: the policy
   * alone refuses it.
   */
  @Test
  void dropRulesThatSplitTheAddressSpaceAreRefusedAndNothingIsInstalled() throws IOException {
    Files.writeString(policy, CONFINED);
    List<String> space = complement(List.of("169.254.169.254/32", "192.0.2.0/24", "172.31.64.0/20"));
    assertThat(space).hasSize(66).startsWith("0.0.0.0/1", "128.0.0.0/3");
    StringBuilder attack = new StringBuilder("routes: []\nrules:\n");
    for (int i = 0; i < space.size(); i++) {
      attack.append("  - to ").append(space.get(i)).append(" blackhole priority ").append(1000 + i).append('\n');
    }
    String last = config + ":" + (space.size() + 2) + ":5: destination " + space.get(space.size() - 1)
        + " of the blackhole rule is outside the policy's allow.destinations (" + policy + ":2)";

    AgentProcess agent = launch(Map.of("ROUTE_AGENT_POLICY", policy.toString())).awaitHealthy();
    awaitRoutes(agent, hasAll(R1, R2, R3));
    String rulesBefore = ns.ip("rule");
    String reachBefore = ns.ip("route", "get", "1.1.1.1");
    assertThat(reachBefore).contains("1.1.1.1 via 192.0.2.1 dev eth0");

    write(attack.toString());
    // Each of the 66 rules is refused twice: for its action and for its destination.
    for (String[] command : new String[][] {{"check", "--all"}, {"apply"}}) {
      List<String> args = new ArrayList<>(List.of("--policy", policy.toString()));
      args.addAll(List.of(command));
      Commands.Result refused = ns.agent(config, args.toArray(String[]::new));
      String what = String.join(" ", command);
      assertThat(refused.status()).as(what + ": " + refused.output()).isEqualTo(1);
      assertThat(refused.output()).as(what)
          .contains(config + ":3:5: rule action blackhole is outside the policy's allow.types (" + policy + ":3)")
          .contains(config + ":3:5: destination 0.0.0.0/1 of the blackhole rule is outside the policy's"
              + " allow.destinations (" + policy + ":2)")
          .contains(command.length > 1 ? last : "and 112 more")
          .contains("route-agent: the routes file is not valid; nothing was changed");
    }
    agent.awaitSample("route_agent_config_valid", v -> v == 0, RELOAD);
    agent.awaitLog("destination 0.0.0.0/1 of the blackhole rule is outside the policy's allow.destinations", SOON);
    assertThat(agent.log()).contains("invalid config, the last good one stays in force");

    // The witness: no rule was added, and the notebook still reaches the world and its service.
    assertThat(ns.ip("rule")).isEqualTo(rulesBefore).doesNotContain("blackhole", "proto 157");
    assertThat(ns.ip("route", "get", "1.1.1.1")).isEqualTo(reachBefore);
    assertThat(routes()).contains(R1, R2, R3);

    // Without the policy the guard rails alone let the file through, and it does cut the notebook off.
    agent.close();
    Commands.Result installed = ns.agent(config, "apply");
    assertThat(installed.status()).as(installed.output()).isZero();
    assertThat(ns.ip("rule")).contains("from all to 0.0.0.0/1 blackhole", "from all to 128.0.0.0/3 blackhole");
    Commands.Result cut = ns.exec("ip", "route", "get", "1.1.1.1");
    assertThat(cut.status()).as(cut.output()).isNotZero();
    assertThat(cut.output()).contains("Invalid argument");
  }

  /** The IPv4 prefixes that cover the whole space but {@code holes}, in address order, each as wide as it can be. */
  private static List<String> complement(List<String> holes) {
    List<long[]> excluded = holes.stream().map(h -> {
      String[] parts = h.split("/");
      long address = 0;
      for (String octet : parts[0].split("\\.")) {
        address = address << 8 | Long.parseLong(octet);
      }
      return new long[] {address, Integer.parseInt(parts[1])};
    }).toList();
    List<String> out = new ArrayList<>();
    cover(0, 0, excluded, out);
    return out;
  }

  private static void cover(long base, int length, List<long[]> excluded, List<String> out) {
    long size = 1L << (32 - length);
    boolean overlaps = false;
    for (long[] hole : excluded) {
      long holeSize = 1L << (32 - hole[1]);
      if (hole[0] <= base && base + size <= hole[0] + holeSize) {
        return; // inside a hole
      }
      overlaps |= base <= hole[0] && hole[0] < base + size;
    }
    if (!overlaps) {
      out.add((base >>> 24) + "." + ((base >>> 16) & 255) + "." + ((base >>> 8) & 255) + "." + (base & 255) + "/" + length);
      return;
    }
    cover(base, length + 1, excluded, out);
    cover(base + size / 2, length + 1, excluded, out);
  }

  /**
   * The launcher gives `run` the daemon's memory flags; it finds the subcommand by skipping the
   * values of the global options it knows, --policy among them.
   */
  @Test
  void theLauncherFindsRunAfterThePolicysValue() {
    Commands.Result result = Commands.run(java.util.List.of("ip", "netns", "exec", ns.name,
            Netns.TOP.resolve("agent/route-agent").toString(), "--policy", policy.toString(),
            "--config", dir.resolve("absent/routes.yaml").toString(),
            "run", "--lock-dir", lockDir.toString(), "--metrics-address", "none", "--log-file", "none"),
        Map.of("ROUTE_AGENT_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), false);
    assertThat(result.status()).as(result.output()).isEqualTo(1);
    assertThat(result.output()).contains("-XX:MaxNewSize=2097152").contains("cannot watch");
  }

  @Test
  void theDaemonStartedUnderAnUntrustedPolicyAppliesNothingUntilItIsFixed() throws IOException {
    Files.setAttribute(policy, "unix:uid", 1000);
    AgentProcess agent = launch(Map.of("ROUTE_AGENT_POLICY", policy.toString()));
    agent.awaitLog("policy not trusted or not valid, nothing is applied or pruned until it is fixed: "
        + policy + ": the policy is not trusted: it is owned by uid 1000, not root", Duration.ofSeconds(20));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    AgentProcess.Response health = agent.http("/healthz");
    // 503 "starting" until the first reconcile, which is the one that finds nothing to apply.
    while (!health.body().contains("policy") && System.nanoTime() < deadline) {
      AgentProcess.pause(50);
      health = agent.http("/healthz");
    }
    assertThat(health.status()).as(health.body()).isEqualTo(503);
    assertThat(health.body()).contains("the policy is not trusted or not valid");
    assertThat(agent.sample("route_agent_config_valid")).isZero();
    assertThat(routes()).doesNotContain("proto 157");

    Files.setAttribute(policy, "unix:uid", 0);
    awaitRoutes(agent, hasAll(R1, R2, R3));
    agent.awaitSample("route_agent_config_valid", v -> v == 1, SOON);
  }
}
