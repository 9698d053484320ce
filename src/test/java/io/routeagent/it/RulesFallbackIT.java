package io.routeagent.it;

import io.routeagent.testing.Commands;
import io.routeagent.testing.WithoutRuleProtocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rules on a kernel before 4.17, played by this one through {@link WithoutRuleProtocol} (no
 * FRA_PROTOCOL read or sent): the record of owned rules in --state-dir makes pruning and adoption
 * work as they do with FRA_PROTOCOL. The agent runs from this test's class path, whose test
 * classes hold the emulation.
 */
class RulesFallbackIT extends NamespaceTest {
  private static final String POLICY = """
      routes: []
      rules:
        - { from: 172.31.64.0/20, table: 100, priority: 1000 }
        - "to 10.9.0.0/16 prohibit priority 900"
      """;

  Path state;

  @Override
  String initialRoutesFile() {
    return POLICY;
  }

  @BeforeEach
  void setUp() {
    state = dir.resolve("state");
  }

  private Commands.Result agent(String... args) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), WithoutRuleProtocol.class.getName(),
        "--config", config.toString(), "--state-dir", state.toString()));
    command.addAll(List.of(args));
    return Commands.run(command, Map.of("STATE_DIRECTORY", ns.stateDir.toString()), false);
  }

  private String record() throws IOException {
    try (Stream<Path> files = Files.list(state)) {
      List<Path> records = files.filter(p -> p.getFileName().toString().endsWith(".owned-rules")).toList();
      assertThat(records).hasSize(1);
      return Files.readString(records.get(0));
    }
  }

  @Test
  void installedRulesAreRecordedAndASecondRunIsInSync() throws IOException {
    Commands.Result plan = agent("plan");
    assertThat(plan.status()).as(plan.output()).isEqualTo(2);
    assertThat(state).doesNotExist(); // planning never writes

    Commands.Result apply = agent("apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    assertThat(apply.output()).contains("2/2 rules installed");
    String rules = ns.ip("rule");
    assertThat(rules).contains("1000:\tfrom 172.31.64.0/20 lookup 100", "900:\tfrom all to 10.9.0.0/16 prohibit")
        .doesNotContain("proto 157");
    assertThat(record()).startsWith("route-agent owned rules 1\n")
        .contains("inet priority=1000 from=172.31.64.0/20 to= iif= oif= fwmark=0x0 fwmask=0x0 table=100 action=1\n")
        .contains("inet priority=900 from= to=10.9.0.0/16 ");

    Commands.Result again = agent("plan");
    assertThat(again.status()).as(again.output()).isZero();
    assertThat(again.output()).contains("2 rules installed");
    Commands.Result status = agent("status");
    assertThat(status.status()).as(status.output()).isZero();
  }

  @Test
  void aRuleDroppedFromTheFileIsPrunedAndForeignAndKernelRulesStay() throws IOException {
    agent("apply");
    ns.ip("rule", "add", "from", "10.50.0.0/16", "lookup", "100", "priority", "2000");
    ns.ip("rule", "add", "from", "172.31.80.0/20", "lookup", "10001", "priority", "10001");
    write("""
        routes: []
        rules:
          - "to 10.9.0.0/16 prohibit priority 900"
        """);
    Commands.Result apply = agent("apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    assertThat(apply.output()).contains("deleted    rule from 172.31.64.0/20 lookup 100 priority 1000");
    assertThat(ns.ip("rule"))
        .contains("900:\tfrom all to 10.9.0.0/16 prohibit")
        .contains("2000:\tfrom 10.50.0.0/16 lookup 100")
        .contains("10001:\tfrom 172.31.80.0/20 lookup 10001")
        .contains("0:\tfrom all lookup local", "32766:\tfrom all lookup main", "32767:\tfrom all lookup default")
        .doesNotContain("172.31.64.0/20");
    assertThat(record()).doesNotContain("priority=1000").contains("priority=900");

    write("routes: []\n");
    assertThat(agent("apply").status()).isZero();
    assertThat(ns.ip("rule")).doesNotContain("10.9.0.0/16").contains("2000:\tfrom 10.50.0.0/16 lookup 100");
    assertThat(record()).isEqualTo("route-agent owned rules 1\n");
  }

  @Test
  void aHandMadeRuleWithTheKeyIsAdoptedThenPrunable() throws IOException {
    ns.ip("rule", "add", "from", "172.31.64.0/20", "lookup", "200", "priority", "1000");
    Commands.Result plan = agent("plan");
    assertThat(plan.output()).contains(
        "replace    rule from 172.31.64.0/20 lookup 100 priority 1000  (kernel has not in the record of owned rules, lookup 200)");
    assertThat(agent("apply").status()).isZero();
    assertThat(ns.ip("rule")).contains("1000:\tfrom 172.31.64.0/20 lookup 100").doesNotContain("lookup 200");

    write("routes: []\n");
    Commands.Result prune = agent("apply");
    assertThat(prune.output()).contains("deleted    rule from 172.31.64.0/20 lookup 100 priority 1000");
    assertThat(ns.ip("rule")).doesNotContain("172.31.64.0/20");
  }

  @Test
  void withoutTheRecordOurRulesLookForeignAndAreNotPruned() throws IOException {
    agent("apply");
    Files.writeString(state.resolve(onlyRecordName()), "damaged\n");
    write("routes: []\n");
    Commands.Result apply = agent("apply");
    assertThat(apply.status()).as(apply.output()).isZero();
    assertThat(apply.output()).contains("warning: the record of owned rules").contains("is corrupt");
    assertThat(ns.ip("rule")).contains("1000:\tfrom 172.31.64.0/20 lookup 100");
  }

  private String onlyRecordName() throws IOException {
    try (Stream<Path> files = Files.list(state)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".owned-rules")).findFirst().orElseThrow()
          .getFileName().toString();
    }
  }
}
