package io.routeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line's conventions: -h and --help on every command, `help [COMMAND]`, each
 * command's exit statuses in its own help, and usage errors on one line with status 64, which no
 * command uses for anything else.
 */
class CliConventionsTest {
  private static Run run(String... args) {
    return Run.of(args);
  }

  /** Every command but help, which is picocli's own. */
  static Stream<String> commands() {
    return Main.commandLine(new RootCommand()).getSubcommands().keySet().stream().filter(c -> !c.equals("help"));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandHasHelpThatListsItsExitStatuses(String command) {
    for (String option : List.of("--help", "-h")) {
      Run run = run(command, option);
      assertThat(run.status()).as(command + " " + option + ": " + run.err()).isZero();
      assertThat(run.err()).isEmpty();
      assertThat(run.out()).startsWith("Usage: route-agent " + command)
          .contains("Exit status:")
          .containsPattern("(?m)^  0 +")
          .containsPattern("(?m)^  64 +usage error");
    }
  }

  @Test
  void helpWithoutACommandIsTheRootsHelpAndWithOneIsThatCommands() {
    Run root = run("help");
    assertThat(root.status()).as(root.err()).isZero();
    assertThat(root.out()).startsWith("Usage: route-agent ").contains("Commands:", "plan", "Exit status");

    Run plan = run("help", "plan");
    assertThat(plan.status()).as(plan.err()).isZero();
    assertThat(plan.out()).isEqualTo(run("plan", "--help").out()).containsPattern("(?m)^  2 +changes pending");
  }

  @Test
  void anUnknownOptionIsOneLineAndStatus64() {
    Run run = run("plan", "--bogus");
    assertThat(run.status()).isEqualTo(64);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("route-agent plan: Unknown option: '--bogus'; see 'route-agent plan --help'\n");
  }

  @Test
  void anUnknownCommandSuggestsTheNearestAndIsStatus64() {
    Run run = run("chek");
    assertThat(run.status()).isEqualTo(64);
    assertThat(run.err().lines().toList()).singleElement().asString()
        .startsWith("route-agent: unknown command 'chek' (did you mean check")
        .endsWith("; see 'route-agent --help'");
  }

  @Test
  void noCommandAndABadValueAreUsageErrorsToo() {
    Run helpOfNone = run("help", "bogus");
    assertThat(helpOfNone.status()).isEqualTo(64);
    assertThat(helpOfNone.err()).isEqualTo("route-agent: unknown command 'bogus'; see 'route-agent --help'\n");

    Run none = run();
    assertThat(none.status()).isEqualTo(64);
    assertThat(none.err()).isEqualTo("route-agent: a COMMAND is needed; see 'route-agent --help'\n");

    Run value = run("run", "--resync-interval", "5x");
    assertThat(value.status()).isEqualTo(64);
    assertThat(value.err()).isEqualTo("route-agent run: --resync-interval 5x: expected a duration of at least"
        + " 1s, such as 30s, 5m or 1h; see 'route-agent run --help'\n");

    Run protocol = run("--protocol", "x".repeat(500), "plan");
    assertThat(protocol.status()).isEqualTo(64);
    assertThat(protocol.err().lines().toList()).singleElement().asString().hasSizeLessThan(300);
  }

  /**
   * The planner deletes what carries our protocol: a number the kernel or another program marks
   * its routes with (3 is what {@code ip route add} gives, 16 a DHCP client's) would make every
   * such route ours to prune. It is refused as a usage error on every path, picocli's and the
   * quick one's, before anything is read.
   */
  @Test
  void aProtocolAnotherProgramUsesOrOutOfRangeIsAUsageError() {
    for (String[] line : List.of(
        new String[] {"--protocol", "3", "apply"}, new String[] {"--protocol", "16", "plan"},
        new String[] {"--protocol=2", "status"}, new String[] {"run", "--protocol", "0"},
        new String[] {"--protocol", "-1", "plan"}, new String[] {"--protocol", "256", "apply"},
        new String[] {"--protocol", "300", "run"})) {
      Run refused = run(line);
      assertThat(refused.status()).as(String.join(" ", line)).isEqualTo(64);
      assertThat(refused.err().lines().toList()).as(String.join(" ", line)).singleElement().asString()
          .contains("route-agent deletes the routes that carry its protocol")
          .doesNotContain("Exception");
    }
    assertThat(run("--protocol", "3", "apply").err())
        .contains("Invalid value for option '--protocol': protocol 3 is boot's (linux/rtnetlink.h)");
    assertThat(run("--protocol", "300", "run").err()).contains("protocol 300 is out of range");
  }

  /**
   * import --from-kernel --dev with a name no interface can have captured nothing and wrote
   * `routes: []`: a usage error, judged before the kernel is asked.
   */
  @Test
  void importDevWithANameTheKernelWouldRefuseIsAUsageError() {
    for (String dev : List.of("", "abcdefghijklmnopqrstu", "eth2/x", "eth 2")) {
      Run refused = run("import", "--from-kernel", "--dev", dev);
      assertThat(refused.status()).as(dev).isEqualTo(64);
      assertThat(refused.out()).as(dev).isEmpty();
      assertThat(refused.err().lines().toList()).as(dev).singleElement().asString()
          .startsWith("route-agent import: --dev: ").contains("Use the name `ip link` shows");
    }
    assertThat(run("import", "--from-kernel", "--dev", "abcdefghijklmnopqrstu").err())
        .contains("interface name \"abcdefghijklmnopqrstu\" is 21 bytes long; the kernel allows at most 15");
  }

  /**
   * An empty --policy (an unset variable in a script) named the current directory: the policy was
   * refused as a directory, under an empty name, with advice to chmod the current directory.
   */
  @Test
  void anEmptyPathIsAUsageError() {
    for (String[] line : List.of(new String[] {"--policy", "", "check"}, new String[] {"--policy=", "plan"},
        new String[] {"status", "--policy", ""}, new String[] {"--config", "", "check"},
        new String[] {"--state-dir=", "plan"}, new String[] {"apply", "--lock-dir", ""},
        new String[] {"run", "--lock-dir="})) {
      Run refused = run(line);
      assertThat(refused.status()).as(String.join(" ", line)).isEqualTo(64);
      assertThat(refused.err().lines().toList()).as(String.join(" ", line)).singleElement().asString()
          .containsPattern("Invalid value for option '--(policy|config|state-dir|lock-dir)': the path is empty"
              + " \\(it would name the current directory\\)")
          .doesNotContain("chmod");
    }
  }

  @Test
  void usageIsDistinctFromEveryStatusAnyCommandListsAndEachListIsInTheRoots() {
    CommandLine cli = Main.commandLine(new RootCommand());
    Map<String, String> rootCodes = cli.getCommandSpec().usageMessage().exitCodeList();
    assertThat(rootCodes).containsKey("64");
    commands().forEach(name -> {
      Map<String, String> codes = cli.getSubcommands().get(name).getCommandSpec().usageMessage().exitCodeList();
      assertThat(codes).as(name).containsKeys("0", "1").containsEntry("64", rootCodes.get("64"));
      assertThat(rootCodes.keySet()).as(name + "'s statuses in the root's list").containsAll(codes.keySet());
    });
  }
}
