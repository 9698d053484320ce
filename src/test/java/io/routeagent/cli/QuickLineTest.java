package io.routeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The command lines {@link QuickLine} parses without picocli: each one it accepts, picocli parses
 * to the same command with the same options; what it is unsure of it leaves to picocli; and a
 * one-shot command, or {@code run}, it accepts loads no picocli class at all.
 */
class QuickLineTest {
  /** Words a command line of check, plan, apply or status is made of, and some that are not. */
  private static final List<String> WORDS = List.of(
      "check", "status", "plan", "apply", "run", "import", "help", "chek",
      "--config", "r.yaml", "--config=c.yaml", "--config=", "--config=--json", "--policy", "p.yaml",
      "--policy=/etc/p.yaml", "--protocol", "200", "0157", "+5", "0x10", "-1", "--protocol=99", "--state-dir", "/s",
      "--state-dir=s d", "--debug", "--debug=true", "--json", "--json=false", "--all", "--force", "--lock-dir",
      "/l", "--lock-dir=/run/x", "-h", "--help", "-V", "--version", "--", "@args", "--bogus", "--conf", "x=y", "",
      "-", "ünï", "--metrics-address", "none", "[::1]:9469", "--metrics-address=127.0.0.1:1", "x:1",
      "--resync-interval", "5s", "PT1M", "500ms", "--resync-interval=1h", "--log-file", "/tmp/l", "--log-file=none",
      "--event-receive-buffer", "65536");

  @Test
  void everyLineItAcceptsPicocliParsesTheSame() {
    Random random = new Random(16);
    int accepted = 0;
    for (int n = 0; n < 30_000; n++) {
      String[] args = new String[random.nextInt(7)];
      for (int i = 0; i < args.length; i++) {
        args[i] = WORDS.get(random.nextInt(WORDS.size()));
      }
      if (sameAsPicocli(args)) {
        accepted++;
      }
    }
    assertThat(accepted).as("lines the quick parser took").isGreaterThan(300);
  }

  @Test
  void theUsualLinesAreTakenAndTheSameAsPicocli() {
    for (String line : List.of(
        "status", "check", "plan", "apply", "status --json", "check --all", "apply --force",
        "--config r.yaml status", "status --config r.yaml", "--config=r.yaml --state-dir /s status --json",
        "--protocol 200 --debug plan --lock-dir /l", "apply --config r.yaml --policy p.yaml --lock-dir=/l --force",
        "--config r.yaml --state-dir /tmp/x status", "run", "--config r.yaml run",
        "run --metrics-address none --log-file none", "--config /c/r.yaml run --lock-dir /l --metrics-address [::1]:9469",
        "run --resync-interval 5m --log-file=/var/log/r.log", "--debug run --resync-interval=PT30S")) {
      assertThat(sameAsPicocli(line.split(" "))).as(line).isTrue();
    }
  }

  @Test
  void helpVersionUnknownOptionsAndOtherCommandsAreLeftToPicocli() {
    for (String line : List.of(
        "", "--help", "-h", "--version", "status --help", "status -h", "help status", "import x", "run --help",
        "run --resync-interval 0s", "run --resync-interval 5", "run --metrics-address x:1", "run --metrics-address host",
        "run --event-receive-buffer 65536", "run --json", "status --log-file x", "apply --metrics-address none",
        "plan --resync-interval 5s", "run --log-file", "run --log-file --debug", "run --metrics-address=",
        "plan --bogus", "check --json", "status --all", "plan --force", "check --lock-dir /l", "--json status",
        "--config a --config b status", "status --config a --config b", "--config a status --config b",
        "--protocol x plan", "--protocol 0x10 plan", "--protocol 99999999999 plan", "--config status check",
        "--config --json status", "status --json --json", "status --json=true", "--debug=true status",
        "@args status", "status -- x", "status extra", "chek", "--conf r.yaml check")) {
      String[] args = line.isEmpty() ? new String[0] : line.split(" ");
      assertThat(QuickLine.parse(new RootCommand(), args)).as(line).isNull();
    }
  }

  /**
   * True if the quick parser took the line, which it may only do if picocli parses it to the same
   * command and the same values; false if it left it to picocli.
   */
  private static boolean sameAsPicocli(String... args) {
    RootCommand quickRoot = new RootCommand();
    Callable<Integer> quick = QuickLine.parse(quickRoot, args);
    if (quick == null) {
      return false;
    }
    String line = String.join(" ", args);
    RootCommand root = new RootCommand();
    ParseResult[] parsed = new ParseResult[1];
    assertThatCode(() -> parsed[0] = Main.commandLine(root).parseArgs(args)).as(line).doesNotThrowAnyException();
    ParseResult result = parsed[0];
    assertThat(result.isUsageHelpRequested() || result.isVersionHelpRequested()).as(line).isFalse();
    assertThat(result.hasSubcommand()).as(line).isTrue();
    ParseResult sub = result.subcommand();
    assertThat(sub.isUsageHelpRequested()).as(line).isFalse();
    assertThat(sub.hasSubcommand()).as(line).isFalse();
    Object command = sub.commandSpec().userObject();
    assertThat(quick).as(line).hasSameClassAs(command);
    assertThat(describe(quickRoot, quick)).as(line).isEqualTo(describe(root, command));
    return true;
  }

  /** Every value a command reads from its line. */
  private static List<Object> describe(RootCommand root, Object command) {
    List<Object> values = new ArrayList<>(Arrays.asList(
        root.config, root.policy, root.protocol, root.stateDir, root.debug, root.allProblems));
    if (command instanceof CheckCommand check) {
      values.addAll(Arrays.asList(check.root == root, check.all, check.help != null && !check.help.help));
    } else if (command instanceof StatusCommand status) {
      values.addAll(Arrays.asList(status.root == root, status.json, status.lockDir.lockDir, !status.help.help));
    } else if (command instanceof PlanCommand plan) {
      values.addAll(Arrays.asList(plan.root == root, plan.lockDir.lockDir, !plan.help.help));
    } else if (command instanceof ApplyCommand apply) {
      values.addAll(Arrays.asList(apply.root == root, apply.force, apply.lockDir.lockDir, !apply.help.help));
    } else if (command instanceof RunCommand run) {
      values.addAll(Arrays.asList(run.root == root, run.metricsAddress, run.resyncInterval, run.logFile,
          run.eventReceiveBuffer, run.lockDir.lockDir, !run.help.help));
    } else {
      values.add(command.getClass());
    }
    return values;
  }

  /** What the speed is for: `check` in a JVM of its own loads not one picocli class. */
  @Test
  void checkLoadsNoPicocliClass(@TempDir Path dir) throws IOException, InterruptedException {
    Path routes = Files.writeString(dir.resolve("routes.yaml"), "routes:\n  - \"10.0.0.0/16 via 172.31.64.1 dev eth2\"\n");
    Path log = dir.resolve("classes.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xshare:off", "-Xlog:class+load=info:file=" + log,
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--config", routes.toString(), "check")
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out).isEqualTo(routes + ": valid, 1 route\n");
    List<String> loaded = Files.readAllLines(log);
    assertThat(loaded).as("classes loaded").anyMatch(l -> l.contains(" io.routeagent.cli.CheckCommand "));
    assertThat(loaded.stream().filter(l -> l.contains(" picocli.")).toList()).as("picocli's classes loaded").isEmpty();
  }

  /**
   * The daemon's start is not kept waiting by picocli either: `run` in a JVM of its own, stopped
   * before its first reconcile (the routes file's directory does not exist, so it has nothing to
   * watch; without CAP_NET_ADMIN it stops earlier still), loads not one picocli class.
   */
  @Test
  void runLoadsNoPicocliClass(@TempDir Path dir) throws IOException, InterruptedException {
    Path log = dir.resolve("classes.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xshare:off", "-Xlog:class+load=info:file=" + log,
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--config", dir.resolve("missing").resolve("routes.yaml").toString(), "--state-dir", dir.toString(),
        "run", "--lock-dir", dir.toString(), "--metrics-address", "none", "--log-file", "none")
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(out).isIn(1, ExitStatus.NO_PRIVILEGE);
    assertThat(out).doesNotContain("\tat ");
    List<String> loaded = Files.readAllLines(log);
    assertThat(loaded).as("classes loaded").anyMatch(l -> l.contains(" io.routeagent.daemon.Service "));
    assertThat(loaded.stream().filter(l -> l.contains(" picocli.")).toList()).as("picocli's classes loaded").isEmpty();
  }

  /** A failure on the quick path is reported as picocli's handler reports it, on stderr, status 1. */
  @Test
  void aFailureIsReportedAsPicocliReportsIt(@TempDir Path dir) {
    String[] args = {"--config", dir.resolve("missing.yaml").toString(), "check"};
    Run run = Run.of(args);
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(new RootCommand());
    cli.setErr(new PrintWriter(err, true));
    assertThat(run.status()).isEqualTo(1).isEqualTo(cli.execute(args));
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("missing.yaml").doesNotContain("\tat ").isEqualTo(err.toString());
  }
}
