package io.routeagent.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.routeagent.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle's AOT caches are used: the daemon opens its own, and the one-shot commands people type
 * start from theirs, none of them making the JVM generate a class for our code at run time (a
 * lambda, a string concatenation, a record's equals that the training run did not reach, or that
 * the cache cannot hold). Each costs a command milliseconds: a record's bootstrapped equals was
 * ~20 ms of every command (bench/README.md, "one-shot commands without generated classes").
 */
class AotCacheIT {
  /**
   * Every path a reconcile takes in a notebook: a gateway on eth2's subnet, the VPC router by name,
   * a metric, an interface that is absent, a route the guard rails refuse (the connected subnet of
   * eth0), a blackhole.
   */
  private static final String ROUTES = """
      routes:
        - 10.1.0.0/16 via 172.31.64.1 dev eth2
        - "10.2.0.0/16 via 172.31.64.1 dev eth2 metric 50"
        - { to: 10.3.0.0/16, via: subnet-router, dev: eth2 }
        - 10.4.0.0/16 via 172.31.64.1 dev eth9
        - 192.0.2.0/24 via 198.51.100.1 dev lo
        - { to: 10.5.0.0/16, type: blackhole }
      """;

  @TempDir Path dir;

  @Test
  void oneShotCommandsGenerateNoClassForOurCode() throws IOException {
    Path bundle = Bundle.unpack(dir);
    Path routes = Files.writeString(dir.resolve("routes.yaml"), ROUTES);
    String ns = "ra-aot-" + ProcessHandle.current().pid();
    try {
      notebookNamespace(ns);
      List<String> generated = new ArrayList<>();
      for (List<String> command : List.of(List.of("check"), List.of("plan"), List.of("apply"), List.of("status"),
          List.of("status", "--json"))) {
        Path log = dir.resolve("cause-" + String.join("-", command) + ".log");
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", ns, bundle.resolve("bin/route-agent").toString(),
            "--config", routes.toString(), "--state-dir", dir.toString()));
        line.addAll(command);
        Commands.Result result = Bundle.run(line, Map.of(
            "PATH", "/usr/sbin:/usr/bin:/sbin:/bin",
            "ROUTE_AGENT_JAVA_OPTS", "-XX:+UnlockDiagnosticVMOptions -XX:LogClassLoadingCauseFor=*"
                + " -Xlog:class+load+cause=info:file=" + log), true);
        // Not 0: the refused route is an error to plan, apply and status, the waiting one a wait.
        assertThat(result.status()).as(String.join(" ", command) + ": " + result.output()).isBetween(0, 3);
        assertThat(result.output()).as(String.join(" ", command))
            .contains(command.get(0).equals("check") ? "valid, 6 routes" : "10.1.0.0/16");
        for (String generatedClass : generatedForOurCode(Files.readAllLines(log))) {
          generated.add(String.join(" ", command) + ": " + generatedClass);
        }
      }
      assertThat(generated).as("classes the JVM generated at run time for our code").isEmpty();
      assertThat(Bundle.run(List.of("ip", "-n", ns, "route", "show", "10.1.0.0/16")).output()).contains("proto 157");
    } finally {
      Bundle.run(List.of("ip", "netns", "del", ns));
    }
  }

  /**
   * The daemon starts from its own cache, and its start, its first repair and its first link flap
   * load no class of ours from the jar and make the JVM generate none for our code: the training
   * run took all three (a class from the jar or a record's bootstrapped equals costs the first
   * repair or flap after a start milliseconds, its routes' outage with it).
   */
  @Test
  void theDaemonOpensItsOwnCacheForItsStartItsFirstRepairAndItsFirstLinkFlap() throws Exception {
    Path bundle = Bundle.unpack(dir);
    Path conf = Files.createDirectory(dir.resolve("conf"));
    Path routes = Files.writeString(conf.resolve("routes.yaml"), ROUTES);
    // The other parser: a file of one-line entries alone.
    Files.writeString(Files.createDirectory(conf.resolve("routes.d")).resolve("one-line.yaml"), """
        routes:
          - 10.6.0.0/16 via 172.31.64.1 dev eth2
          - 10.7.0.0/16 via 172.31.64.1 dev eth2
        """);
    Path classes = dir.resolve("class-load.log");
    String ns = "ra-aot-run-" + ProcessHandle.current().pid();
    Process daemon = null;
    try {
      notebookNamespace(ns);
      ProcessBuilder start = new ProcessBuilder("ip", "netns", "exec", ns, bundle.resolve("bin/route-agent").toString(),
          "--config", routes.toString(), "--state-dir", dir.toString(), "run", "--lock-dir", dir.resolve("lock").toString(),
          "--log-file", "none", "--metrics-address", "none").redirectErrorStream(true);
      start.environment().put("ROUTE_AGENT_JAVA_OPTS", "-Xlog:aot=info:stderr -XX:+UnlockDiagnosticVMOptions"
          + " -XX:LogClassLoadingCauseFor=* -Xlog:class+load+cause=info,class+load=info:file=" + classes);
      daemon = start.start();
      StringBuilder output = new StringBuilder();
      try (var lines = new java.io.BufferedReader(
          new java.io.InputStreamReader(daemon.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
        // The daemon runs until it is stopped, so its end is the test's: read to the start-up
        // reconcile, flush every route it owns, read to the repair.
        readUntil(lines, "cause=startup", output);
        assertThat(Bundle.run(List.of("ip", "-n", ns, "route", "flush", "proto", "157")).status()).isZero();
        readUntil(lines, "cause=deleted-externally", output);
        assertThat(Bundle.run(List.of("ip", "-n", ns, "link", "set", "eth2", "down")).status()).isZero();
        readUntil(lines, "interface eth2 is down", output);
        assertThat(Bundle.run(List.of("ip", "-n", ns, "link", "set", "eth2", "up")).status()).isZero();
        readUntil(lines, "re-added routes=", output);
        // SIGTERM, as systemd stops it (Process.destroy would close the output being read).
        Bundle.run(List.of("kill", "-TERM", Long.toString(daemon.pid())));
        String line;
        while ((line = lines.readLine()) != null) {
          output.append(line).append('\n');
        }
      }
      assertThat(daemon.waitFor()).as(output.toString()).isZero();
      assertThat(output.toString()).contains("cause=startup", "cause=deleted-externally", "re-added routes=5 of 5")
          .containsPattern("Opened AOT cache \\S*/lib/route-agent-run\\.aot")
          .doesNotContain("[error", "[warning");
      assertThat(Bundle.run(List.of("ip", "-n", ns, "route", "show", "proto", "157")).output())
          .as("every route put back").contains("10.1.0.0/16", "10.5.0.0/16", "10.7.0.0/16");
      assertThat(Files.readAllLines(classes)).as("classes of ours the daemon loaded from the jar, not the cache")
          .filteredOn(line -> line.contains(" io.routeagent.") && line.contains("source: file:"))
          .isEmpty();
      assertThat(generatedForOurCode(Files.readAllLines(classes))).as("classes the JVM generated at run time for our code")
          .isEmpty();
    } finally {
      if (daemon != null) {
        daemon.destroyForcibly();
      }
      Bundle.run(List.of("ip", "netns", "del", ns));
    }
  }

  /** Reads {@code lines} into {@code output} up to the first that contains {@code wanted}. */
  private static void readUntil(java.io.BufferedReader lines, String wanted, StringBuilder output) throws IOException {
    String line;
    while ((line = lines.readLine()) != null) {
      output.append(line).append('\n');
      if (line.contains(wanted)) {
        return;
      }
    }
    fail("the daemon's output ended before a line with " + wanted + ":\n" + output);
  }

  @Test
  void anOperatorsOwnClassDataSharingChoiceIsLeftToIt() {
    Path bundle = Bundle.unpack(dir);
    String launcher = bundle.resolve("bin/route-agent").toString();
    String example = bundle.resolve("share/routes.example.yaml").toString();
    // The JVM refuses to start with -XX:AOTCache beside any of these: the launcher must not add it.
    for (String options : List.of("-Xshare:off", "-Xshare:auto", "-XX:AOTMode=off")) {
      for (List<String> command : List.of(List.of(launcher, "run", "--help"), List.of(launcher, "--config", example, "check"))) {
        Commands.Result result = Bundle.run(command, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin",
            "ROUTE_AGENT_JAVA_OPTS", options), true);
        assertThat(result.status()).as(options + " " + command + ": " + result.output()).isZero();
      }
    }
  }

  /**
   * Makes {@code ns}, shaped like a notebook (agent/notebook-netns.sh), for the commands to run in;
   * the caller deletes it, whatever happened. Needs root: without it, or without namespaces, the
   * test is unavailable (a failure under CI=true).
   */
  private static void notebookNamespace(String ns) {
    Bundle.requireRoot("AotCacheIT runs the agent in a network namespace of its own: run it as root");
    Commands.Result made = Bundle.run(List.of(Bundle.TOP.resolve("agent/notebook-netns.sh").toString(), ns));
    if (made.status() != 0) {
      Bundle.unavailable("cannot create network namespace " + ns + ": " + made.output());
    }
  }

  /**
   * From a -Xlog:class+load+cause log: each class defined at run time (its Java stack goes through
   * ClassLoader.defineClass0; those from the cache have none) whose first frame outside the JDK is
   * ours, as "NAME at FRAME". Those made for a library (jffi's reflection) are its own affair.
   */
  static List<String> generatedForOurCode(List<String> log) {
    List<String> ours = new ArrayList<>();
    String loading = null;
    boolean defined = false;
    for (String line : log) {
      if (line.contains("[native")) {
        continue;
      }
      int at = line.indexOf("Java stack when loading ");
      if (at >= 0) {
        loading = line.substring(at + "Java stack when loading ".length());
        defined = false;
        continue;
      }
      int frame = line.indexOf("\tat ");
      if (loading == null || frame < 0) {
        continue;
      }
      String method = line.substring(frame + "\tat ".length());
      if (method.startsWith("java.lang.ClassLoader.defineClass0")) {
        defined = true;
      } else if (!method.startsWith("java.") && !method.startsWith("jdk.") && !method.startsWith("sun.")) {
        if (defined && method.startsWith("io.routeagent.")) {
          ours.add(loading + " at " + method);
        }
        loading = null;
      }
    }
    if (log.isEmpty()) {
      fail("the class loading log is empty: did the JVM take -Xlog:class+load+cause?");
    }
    return ours;
  }
}
