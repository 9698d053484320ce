package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, reproduction 2: a rule {@code from all lookup 66 priority 1} with a default route in
 * table 66 walked around every guard rail, which applied to the main table only. The routes file
 * belongs to an unprivileged person; {@code check} runs as that person, {@code apply} as the
 * daemon's own uid holding only CAP_NET_ADMIN, as the unit runs it.
 */
class GuardRailsIT extends NamespaceTest {
  /** The person who owns the routes directory (ec2-user on a notebook). */
  private static final String PERSON = "64610";
  /** The agent's user. */
  private static final String AGENT = "64611";

  private static final String WALK_AROUND = """
      routes:
        - "default via 172.31.64.1 dev eth2 table 66"
      rules:
        - "from all lookup 66 priority 1"
      """;

  private Path stateDir;

  @Override
  String initialRoutesFile() {
    return WALK_AROUND;
  }

  @BeforeEach
  void handTheDirectoryToThePerson() throws IOException {
    stateDir = Files.createDirectory(dir.resolve("state"));
    Commands.Result owned = Commands.run(List.of("chown", AGENT + ":" + AGENT, stateDir.toString()));
    assertThat(owned.status()).as(owned.output()).isZero();
    Commands.Result handed = Commands.run(List.of("chown", "-R", PERSON + ":" + PERSON, config.toString()));
    assertThat(handed.status()).as(handed.output()).isZero();
    // The temporary directory is root's 0700: let the others reach the file, as /home/ec2-user is.
    Commands.Result opened = Commands.run(List.of("chmod", "755", dir.toString()));
    assertThat(opened.status()).as(opened.output()).isZero();
  }

  @Test
  void aRuleSendingAllTrafficToATableWithADefaultRouteIsRefusedAndNothingChanges() {
    String rulesBefore = ns.ip("rule", "show");
    // IPv4 only: the kernel adds IPv6 link-local routes to the new veths meanwhile.
    String routesBefore = ns.ip("-4", "route", "show", "table", "all");

    String refusal = config + ":2:5: a default route in table 66, which the rule \"lookup 66 priority 1\" at "
        + config + ":4:5 sends all traffic to, would compete with the notebook's own default route";
    Commands.Result check = asPerson("check");
    assertThat(check.status()).as(check.output()).isEqualTo(1);
    assertThat(check.output()).contains(refusal, "override: true").doesNotContain("Exception", "\tat ");

    Commands.Result apply = asAgent("apply");
    assertThat(apply.status()).as(apply.output()).isEqualTo(1);
    assertThat(apply.output()).contains(refusal).doesNotContain("Exception", "\tat ");

    assertThat(ns.ip("rule", "show")).isEqualTo(rulesBefore).doesNotContain("lookup 66");
    assertThat(ns.ip("-4", "route", "show", "table", "all")).isEqualTo(routesBefore).doesNotContain("table 66");
    assertThat(ns.ip("route", "show", "table", "all")).doesNotContain("proto 157");
    assertThat(ns.ip("route", "show", "table", "main")).contains("default via 192.0.2.1 dev eth0");
  }

  /**
   * Issue 10: a blackhole for eth0's gateway needed no override. As a route it is refused when
   * planning (the connected subnets are the kernel's); as a rule, which comes before main, too.
   */
  @Test
  void aBlackholeForTheGatewayIsRefusedAsARouteAndAsARule() throws IOException {
    write("""
        routes:
          - "blackhole 192.0.2.1"
          - "10.0.0.0/16 via subnet-router dev eth2"
        rules:
          - "to 192.0.2.1 blackhole priority 5"
          - "to 10.9.0.0/16 prohibit priority 6"
        """);
    String rulesBefore = ns.ip("rule", "show");

    Commands.Result plan = asPerson("plan");
    assertThat(plan.status()).as(plan.output()).isEqualTo(1);
    Commands.Result apply = asAgent("apply");
    assertThat(apply.status()).as(apply.output()).isEqualTo(1);
    assertThat(apply.output())
        .contains("refused    blackhole 192.0.2.1  (192.0.2.1 lies inside the directly connected subnet 192.0.2.0/24")
        .contains("refused    rule to 192.0.2.1 blackhole priority 5  (the rule \"to 192.0.2.1 blackhole priority 5\""
            + " takes the notebook's traffic to 192.0.2.1, which lies inside the directly connected subnet 192.0.2.0/24")
        .doesNotContain("Exception", "\tat ");

    assertThat(ns.ip("route", "show")).doesNotContain("blackhole").contains("10.0.0.0/16 via 172.31.64.1 dev eth2");
    assertThat(ns.ip("rule", "show")).doesNotContain("192.0.2.1").contains("6:\tfrom all to 10.9.0.0/16 prohibit");
    assertThat(rulesBefore).doesNotContain("192.0.2.1");
  }

  /** The same uids apply the classic use of policy routing: a table reached by its source only. */
  @Test
  void aTableReachedOnlyBySourceMayHoldADefaultRoute() throws IOException {
    write(WALK_AROUND.replace("from all lookup 66 priority 1", "from 172.31.64.0/20 lookup 66 priority 1000"));
    Commands.Result check = asPerson("check");
    assertThat(check.status()).as(check.output()).isZero();

    Commands.Result apply = asAgent("apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    assertThat(ns.ip("rule", "show")).contains("1000:\tfrom 172.31.64.0/20 lookup 66 proto 157");
    assertThat(ns.ip("route", "show", "table", "66")).contains("default via 172.31.64.1 dev eth2 proto 157");
  }

  private Commands.Result asPerson(String... args) {
    return agent(List.of("setpriv", "--reuid=" + PERSON, "--regid=" + PERSON, "--clear-groups"), args);
  }

  private Commands.Result asAgent(String... args) {
    List<String> setpriv = List.of("setpriv", "--reuid=" + AGENT, "--regid=" + AGENT, "--clear-groups",
        "--inh-caps=+net_admin", "--ambient-caps=+net_admin");
    List<String> withState = new ArrayList<>(List.of("--state-dir", stateDir.toString()));
    withState.addAll(List.of(args));
    return agent(setpriv, withState.toArray(String[]::new));
  }

  /** The launcher inside the namespace, as {@code user} (a setpriv command line). */
  private Commands.Result agent(List<String> user, String... args) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name));
    command.addAll(user);
    command.addAll(List.of(Netns.TOP.resolve("agent/route-agent").toString(), "--config", config.toString()));
    command.addAll(List.of(args));
    return Commands.run(command);
  }
}
