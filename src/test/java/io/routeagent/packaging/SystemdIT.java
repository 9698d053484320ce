package io.routeagent.packaging;

import io.routeagent.testing.Commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The installed service under a real systemd (252, as on Amazon Linux 2023) booted in a container
 * ({@link Nspawn}), on a notebook laid out as SageMaker lays it out: ec2-user with a 0700 home,
 * SageMaker/ a mount of its own, the tarball on it, eth0 and eth2. target/on-start.sh installs it
 * as the lifecycle configuration does (root, from /, an empty environment). The tests run in order
 * on one container, each checking one thing, from the first start to the uninstall.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdIT {
  static final String UNIT = "route-agent.service";
  static final String DIR = "/home/ec2-user/SageMaker/route-agent";
  static final String ROUTES = """
      routes:
        - "10.10.0.0/16 via 172.31.64.1 dev eth2"
        - "10.20.0.0/16 via 172.31.64.1 dev eth2"
      """;
  static final String[] STATE = {"ActiveState", "SubState", "StatusText", "NRestarts", "MainPID", "Result",
      "ExecMainStartTimestampMonotonic", "ActiveEnterTimestampMonotonic", "WatchdogUSec",
      "WatchdogTimestampMonotonic", "ExecMainCode", "ExecMainStatus"};

  Path volume;
  Nspawn box;
  String firstPid;

  @BeforeAll
  void bootAndInstall() throws IOException {
    Nspawn.requireTools();
    Nspawn.cachedRoot(); // debootstrap, the first time: not part of the boot's time
    volume = newVolume();
    long boot = System.nanoTime();
    box = Nspawn.boot(volume, true);
    System.out.printf("SystemdIT: the container booted in %d ms%n", (System.nanoTime() - boot) / 1_000_000);
    installOnTheNotebook(box, volume, true);
  }

  /** The notebook's persistent volume, mounted at /home/ec2-user/SageMaker: ec2-user's. */
  static Path newVolume() throws IOException {
    Path volume = Files.createTempDirectory(Path.of("/var/tmp"), "route-agent-volume-");
    Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rwxr-xr-x"));
    Bundle.run(List.of("chown", "1000:1000", volume.toString()));
    return volume;
  }

  /**
   * The notebook's user and their routes file, the tarball on the volume, and on-start.sh.
   *
   * @param previousImage whether logs/ and its log file are left from an image where the agent's
   *     uid was another (4242), as after an image change
   */
  static void installOnTheNotebook(Nspawn box, Path volume, boolean previousImage) throws IOException {
    Path script = Bundle.onStart();
    layOutTheNotebook(box);
    box.asEc2User("mkdir " + DIR + " && cat > " + DIR + "/routes.yaml <<'EOF'\n" + ROUTES + "EOF");
    if (previousImage) {
      box.ok("install", "-d", "-o", "4242", "-g", "4242", "-m", "755", DIR + "/logs");
      box.ok("install", "-o", "4242", "-g", "4242", "-m", "644", "/dev/null", DIR + "/logs/route-agent.log");
    }
    Bundle.asUser("cp '" + Bundle.tarball() + "' '" + volume.resolve("route-agent") + "/'");
    runOnStart(box, script);
  }

  /** ec2-user (uid 1000) with a 0700 home; SageMaker/, the volume, is theirs. */
  static void layOutTheNotebook(Nspawn box) {
    box.ok("useradd", "--no-create-home", "--uid", "1000", "--user-group", "--home-dir", "/home/ec2-user",
        "--shell", "/bin/bash", "ec2-user");
    box.ok("chown", "1000:1000", "/home/ec2-user", "/home/ec2-user/SageMaker");
    box.ok("chmod", "0700", "/home/ec2-user");
  }

  /** target/on-start.sh, as SageMaker runs a lifecycle script: root, from /, no environment. */
  static String runOnStart(Nspawn box, Path script) throws IOException {
    Files.copy(script, box.path("/root/on-start.sh"), StandardCopyOption.REPLACE_EXISTING);
    String output = box.ok("env", "-i", "/bin/bash", "-c", "cd / && exec /bin/bash /root/on-start.sh");
    assertThat(output).as("on-start.sh").contains("installed the bundle", "done in");
    return output;
  }

  @AfterAll
  void cleanUp() throws IOException {
    if (box != null) {
      box.close();
    }
    if (volume != null) {
      Bundle.run(List.of("rm", "-rf", volume.toString()));
    }
  }

  @Test
  @Order(1)
  void startsAndReportsReadyWithItsStatus() {
    Map<String, String> state = box.awaitShow(UNIT, s -> !s.get("ActiveState").equals("activating")
        && !s.get("ActiveState").equals("inactive"), Duration.ofSeconds(60), "started", STATE);
    assertThat(state).as(box.journal(UNIT)).containsEntry("ActiveState", "active").containsEntry("SubState", "running")
        .containsEntry("StatusText", "2/2 routes installed");
    long ready = Long.parseLong(state.get("ActiveEnterTimestampMonotonic"))
        - Long.parseLong(state.get("ExecMainStartTimestampMonotonic"));
    System.out.printf("SystemdIT: start -> READY=1 took %d ms (under systemd, first start)%n", ready / 1000);
    firstPid = state.get("MainPID");
    // The unit's CPU priority reached the JVM (stat's 19th field, counted after the command name).
    String stat = box.exec("cat", "/proc/" + firstPid + "/stat").output();
    assertThat(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]).as(stat).isEqualTo("-10");
    // The daemon maps the bundle's AOT cache for `run` (the JVM ignores, silently, one it cannot use).
    assertThat(box.exec("cat", "/proc/" + firstPid + "/maps").output()).contains("/lib/route-agent-run.aot");
    assertThat(box.exec("journalctl", "-u", UNIT, "--no-pager", "-o", "cat").output())
        .contains("serving /metrics and /healthz on 127.0.0.1:9469");
    assertThat(routes()).contains("10.10.0.0/16 via 172.31.64.1 dev eth2", "10.20.0.0/16 via 172.31.64.1 dev eth2");
  }

  /**
   * Issue 11: under the unit's ProcSubset=pid the JVM cannot read /proc/meminfo or /proc/cgroups.
   * The heap and the processors are what the launcher states: a 256 MiB heap at most (-XX:MaxRAM=1g;
   * the serial collector reports it less one survivor space), and the processors of the CPU affinity.
   */
  @Test
  @Order(2)
  void theJvmSizesItselfAsTheLauncherStatesInTheSandbox() {
    String journal = box.exec("journalctl", "-u", UNIT, "--no-pager", "-o", "cat", "_PID=" + firstPid).output();
    java.util.regex.Matcher start = java.util.regex.Pattern.compile("starting pid=\\d+ max-heap-mib=(\\d+) processors=(\\d+)")
        .matcher(journal);
    assertThat(start.find()).as(journal).isTrue();
    assertThat(Integer.parseInt(start.group(1))).as("max heap, MiB").isBetween(240, 256);
    assertThat(start.group(2)).as("processors").isEqualTo(box.ok("nproc").strip());
  }

  /**
   * Issue 11, defect 5: the unit did not wait for the mount that holds the routes directory (here
   * SageMaker/, the notebook's volume; /home on some hosts).
   */
  @Test
  @Order(2)
  void waitsForTheMountThatHoldsTheRoutesDirectory() {
    Map<String, String> deps = box.show(UNIT, "RequiresMountsFor", "After");
    assertThat(deps.get("RequiresMountsFor")).contains(DIR);
    // Ordered after the volume's mount; systemd adds Requires= too where the mount has a unit file
    // (/etc/fstab), not for a mount made at run time, as this one is.
    assertThat(deps.get("After")).as("After=").contains("x2duser-SageMaker.mount");
  }

  @Test
  @Order(3)
  void putsBackADeletedRoute() {
    netns("route", "del", "10.10.0.0/16");
    awaitRoutes(r -> r.contains("10.10.0.0/16 via 172.31.64.1"), "10.10.0.0/16 put back");
  }

  @Test
  @Order(4)
  void appliesAnEditInPlaceByEc2User() {
    String before = box.ok("stat", "-c", "%i", DIR + "/routes.yaml");
    box.asEc2User("cat > " + DIR + "/routes.yaml <<'EOF'\n" + ROUTES
        + "  - \"10.30.0.0/16 via 172.31.64.1 dev eth2\"\nEOF");
    assertThat(box.ok("stat", "-c", "%i", DIR + "/routes.yaml")).as("the same file, written in place").isEqualTo(before);
    awaitRoutes(r -> r.contains("10.30.0.0/16 via 172.31.64.1"), "10.30.0.0/16 added");
  }

  @Test
  @Order(5)
  void appliesAnEditByRenameByEc2User() {
    box.asEc2User("cat > " + DIR + "/.routes.yaml.new <<'EOF'\n" + ROUTES
        + "  - \"10.40.0.0/16 via 172.31.64.1 dev eth2\"\nEOF\nmv -f " + DIR + "/.routes.yaml.new " + DIR + "/routes.yaml");
    awaitRoutes(r -> r.contains("10.40.0.0/16 via 172.31.64.1") && !r.contains("10.30.0.0/16"),
        "10.40.0.0/16 added and 10.30.0.0/16 removed");
  }

  @Test
  @Order(6)
  void journalAtWarningShowsABadEditAndNotTheInfoLines() {
    box.asEc2User("printf 'routes:\\n  - \"10.50.0.0/16 via nowhere dev eth2\"\\n' > " + DIR + "/routes.yaml");
    String warnings = awaitJournal(j -> j.contains("invalid config"), "-p", "warning");
    assertThat(warnings).as("journalctl -u route-agent -p warning").contains("routes.yaml:2")
        .doesNotContain("added to=", "serving /metrics", "config reloaded", "reconciled");
    assertThat(box.exec("journalctl", "-u", UNIT, "--no-pager", "-o", "cat").output())
        .as("all priorities").contains("added to=10.10.0.0/16");
    // Back to a good file: the routes of the last good one stayed meanwhile.
    assertThat(routes()).contains("10.40.0.0/16");
    box.asEc2User("cat > " + DIR + "/routes.yaml <<'EOF'\n" + ROUTES + "EOF");
    awaitRoutes(r -> !r.contains("10.40.0.0/16") && r.contains("10.20.0.0/16"), "back to the two routes");
  }

  @Test
  @Order(7)
  void noRestartOverAFullWatchdogPeriodAndMore() {
    Map<String, String> first = box.show(UNIT, STATE);
    long watchdog = Duration.ofSeconds(30).toNanos() / 1000;
    assertThat(first).containsEntry("WatchdogUSec", "30s");
    long start = Long.parseLong(first.get("ExecMainStartTimestampMonotonic"));
    // CLOCK_MONOTONIC, as systemd's *Monotonic timestamps (µs): a watchdog period and 5 s more.
    Map<String, String> later = box.awaitShow(UNIT,
        s -> System.nanoTime() / 1000 > start + watchdog + 5_000_000 || !s.get("MainPID").equals(firstPid),
        Duration.ofSeconds(60), "a watchdog period and more", STATE);
    assertThat(later).as(box.journal(UNIT)).containsEntry("NRestarts", "0").containsEntry("MainPID", firstPid)
        .containsEntry("ActiveState", "active");
    assertThat(Long.parseLong(later.get("WatchdogTimestampMonotonic")))
        .as("a WATCHDOG=1 ping after the first half period").isGreaterThan(start + watchdog / 2);
  }

  @Test
  @Order(8)
  void aKilledAgentIsRestartedAndTheRoutesStay() {
    String before = routes();
    box.ok("systemctl", "kill", "--signal=KILL", UNIT);
    assertThat(routes()).as("right after SIGKILL").isEqualTo(before);
    Map<String, String> state = box.awaitShow(UNIT, s -> s.get("NRestarts").equals("1") && s.get("ActiveState").equals("active"),
        Duration.ofSeconds(60), "restarted and active", STATE);
    assertThat(state.get("MainPID")).isNotEqualTo(firstPid);
    assertThat(state).containsEntry("StatusText", "2/2 routes installed");
    assertThat(routes()).as("after the restart, nothing changed").isEqualTo(before);
    String restarted = box.exec("journalctl", "-u", UNIT, "--no-pager", "-o", "cat", "_PID=" + state.get("MainPID")).output();
    assertThat(restarted).as("the new agent changed nothing").doesNotContain("added to=", "replaced", "deleted");
  }

  /**
   * Issue 11, defect 5: the JVM's crash report went to / (read-only under the unit), then to the
   * service's private /tmp, which goes with the service: lost. It belongs in the state directory.
   */
  @Test
  @Order(9)
  void aCrashLeavesItsReportInTheStateDirectory() {
    String pid = box.show(UNIT, "MainPID").get("MainPID");
    box.ok("systemctl", "kill", "--signal=SEGV", UNIT);
    Map<String, String> state = box.awaitShow(UNIT, s -> s.get("NRestarts").equals("2") && s.get("ActiveState").equals("active"),
        Duration.ofSeconds(60), "restarted after the crash and active", STATE);
    assertThat(state).containsEntry("StatusText", "2/2 routes installed");
    assertThat(box.exec("ls", "/var/lib/route-agent").output()).as(box.journal(UNIT)).contains("hs_err_pid" + pid + ".log");
    assertThat(box.ok("head", "-c", "2000", "/var/lib/route-agent/hs_err_pid" + pid + ".log")).contains("SIGSEGV");
  }

  /**
   * Issue 11, defect 3: the log file left by an image where the agent had another uid stayed that
   * uid's, and nothing more was written to it. install.sh now gives logs/ and its files to the
   * agent, whose log ec2-user reads from Jupyter.
   */
  @Test
  @Order(10)
  void theLogFileOfAPreviousImageIsWrittenAndEc2UserReadsIt() {
    assertThat(box.ok("stat", "-c", "%U %n", DIR + "/logs", DIR + "/logs/route-agent.log"))
        .isEqualTo("route-agent " + DIR + "/logs\nroute-agent " + DIR + "/logs/route-agent.log\n");
    assertThat(box.asEc2User("cat " + DIR + "/logs/route-agent.log"))
        .contains("added to=10.10.0.0/16", "invalid config");
  }

  /**
   * Issue 11, defect 2: ec2-user moves the routes directory aside and makes a new one. The unit's
   * bind went on showing the old directory: edits to the new routes.yaml were ignored, the old
   * one's applied, and STATUS said all was well until the next restart. The agent now sees the
   * bind's source move, exits 75, and the restart binds the new directory.
   */
  @Test
  @Order(11)
  void aRoutesDirectoryMovedAsideAndMadeAgainIsApplied() {
    String pid = box.show(UNIT, "MainPID").get("MainPID");
    box.asEc2User("mv " + DIR + " " + DIR + ".old && mkdir " + DIR + " && cat > " + DIR + "/routes.yaml <<'EOF'\n"
        + ROUTES + "  - \"10.50.0.0/16 via 172.31.64.1 dev eth2\"\nEOF");
    awaitRoutes(r -> r.contains("10.50.0.0/16 via 172.31.64.1") && !r.contains("10.40.0.0/16"),
        "the new directory's routes.yaml applied: 10.50.0.0/16 added and 10.40.0.0/16 removed");
    Map<String, String> state = box.awaitShow(UNIT, s -> s.get("ActiveState").equals("active")
        && s.get("StatusText").equals("3/3 routes installed"), Duration.ofSeconds(60), "active again", STATE);
    assertThat(state.get("MainPID")).isNotEqualTo(pid);
    assertThat(box.exec("journalctl", "-u", UNIT, "--no-pager", "-o", "cat", "_PID=" + pid).output())
        .contains("the routes directory " + DIR + " was moved where it is bound from");
  }

  /**
   * A large table (over 1 MiB of routes files): the launcher asks for transparent huge pages where
   * the kernel offers them, and the daemon starts with them under the unit's sandbox (read-only
   * /sys, its system call filter), without a word from the JVM. Its size is decided at the start:
   * a restart. Then back to the small file, whose reload prunes the 30,000 routes.
   */
  @Test
  @Order(12)
  void aLargeTableStartsWithHugePagesUnderTheUnit() {
    String previous = box.ok("cat", DIR + "/routes.yaml");
    box.asEc2User("awk 'BEGIN { print \"routes:\"; for (i = 0; i < 30000; i++) printf \"  - 10.%d.%d.%d/28 via"
        + " 172.31.64.1 dev eth2\\n\", 100 + int(i / 4096), int(i / 16) % 256, (i % 16) * 16 }' > " + DIR + "/routes.yaml");
    assertThat(Long.parseLong(box.ok("stat", "-c", "%s", DIR + "/routes.yaml").strip())).isGreaterThan(1 << 20);
    String pid = box.show(UNIT, "MainPID").get("MainPID");
    box.ok("systemctl", "restart", UNIT);
    Map<String, String> state = box.awaitShow(UNIT, s -> !s.get("MainPID").equals(pid) && s.get("ActiveState").equals("active")
        && s.get("StatusText").equals("30000/30000 routes installed"), Duration.ofSeconds(90), "restarted with 30,000 routes", STATE);
    String mode = box.exec("cat", io.routeagent.testing.HugePages.SETTING).output();
    boolean offered = io.routeagent.testing.HugePages.offered(mode);
    String cmdline = box.ok("cat", "/proc/" + state.get("MainPID") + "/cmdline").replace('\0', ' ');
    assertThat(cmdline.contains("-XX:+UseTransparentHugePages")).as(mode + cmdline).isEqualTo(offered);
    // Its AOT cache still opens with them.
    assertThat(box.exec("cat", "/proc/" + state.get("MainPID") + "/maps").output()).contains("/lib/route-agent-run.aot");
    assertThat(box.exec("journalctl", "-u", UNIT, "--no-pager", "-o", "cat", "_PID=" + state.get("MainPID")).output())
        .contains("reconciled").doesNotContain("[warning]", "UseTransparentHugePages");

    box.asEc2User("cat > " + DIR + "/routes.yaml <<'EOF'\n" + previous + "EOF");
    box.awaitShow(UNIT, s -> s.get("StatusText").equals("3/3 routes installed"), Duration.ofSeconds(60),
        "back to the three routes", STATE);
    awaitRoutes(r -> !r.contains("10.100.0.0/28") && r.contains("10.50.0.0/16"), "the 30,000 routes pruned");
  }

  @Test
  @Order(13)
  void stopExitsZeroAndTheRoutesStay() {
    String before = routes();
    box.ok("systemctl", "stop", UNIT);
    Map<String, String> state = box.show(UNIT, STATE);
    assertThat(state).as(box.journal(UNIT)).containsEntry("ActiveState", "inactive").containsEntry("Result", "success")
        .containsEntry("ExecMainStatus", "0");
    assertThat(routes()).isEqualTo(before);
  }

  @Test
  @Order(14)
  void uninstallLeavesTheRoutes() {
    String before = routes();
    String output = box.ok("env", "-i", "/bin/bash", "-c", "cd / && exec /opt/route-agent/uninstall.sh");
    assertThat(output).contains("removed /opt/route-agent");
    assertThat(box.show(UNIT, "LoadState")).containsEntry("LoadState", "not-found");
    assertThat(routes()).isEqualTo(before).contains("10.10.0.0/16", "10.20.0.0/16");
  }

  /**
   * Issue 11, defect 4: in a container without CAP_NET_ADMIN every change failed with EPERM, yet
   * the agent sent READY=1 and the unit was active (running), "0/2 routes installed". Now `run`
   * says why in one line and exits 77 (EX_NOPERM), which the unit does not restart: failed, not
   * restarted every 2 s.
   */
  @Test
  @Order(20)
  void withoutCapNetAdminItSaysSoAndTheUnitFailsWithoutSpinning() throws IOException {
    Path bareVolume = newVolume();
    try (Nspawn bare = Nspawn.boot(bareVolume, false)) {
      installOnTheNotebook(bare, bareVolume, false);
      Map<String, String> state = bare.awaitShow(UNIT, s -> s.get("ActiveState").equals("active")
          || s.get("ActiveState").equals("failed") || !s.get("NRestarts").equals("0"),
          Duration.ofSeconds(60), "active, failed or restarted", STATE);
      String journal = bare.journal(UNIT);
      assertThat(state).as(journal).containsEntry("ActiveState", "failed").containsEntry("SubState", "failed")
          .containsEntry("NRestarts", "0").containsEntry("ExecMainStatus", "77");
      assertThat(bare.exec("journalctl", "-u", UNIT, "--no-pager", "-o", "cat", "-p", "err").output())
          .contains("CAP_NET_ADMIN").doesNotContain("Exception", "\tat ");
      assertThat(bare.exec("ip", "route", "show", "proto", "157").output()).isEmpty();
    } finally {
      Bundle.run(List.of("rm", "-rf", bareVolume.toString()));
    }
  }

  /**
   * Issue 11, defect 1: on a host without /home/ec2-user/SageMaker, `run` exited 1 ("cannot watch")
   * and was restarted every 2 s forever. Where ec2-user has a home, install.sh now makes the
   * directory as ec2-user, and the agent starts.
   */
  @Test
  @Order(21)
  void onAPlainHostInstallMakesTheRoutesDirectoryAsEc2User() throws IOException {
    try (Nspawn host = Nspawn.boot(null, true)) {
      host.ok("useradd", "--create-home", "--uid", "1000", "--user-group", "--shell", "/bin/bash", "ec2-user");
      host.ok("chmod", "0700", "/home/ec2-user");
      String output = installFromTheTarball(host);
      Map<String, String> state = awaitSettled(host);
      assertThat(state).as(host.journal(UNIT)).containsEntry("ActiveState", "active").containsEntry("NRestarts", "0");
      assertThat(state.get("StatusText")).matches("[0-9]+/[0-9]+ routes installed");
      assertThat(host.ok("stat", "-c", "%U %a %n", "/home/ec2-user/SageMaker", DIR, DIR + "/routes.yaml"))
          .isEqualTo("ec2-user 755 /home/ec2-user/SageMaker\nec2-user 755 " + DIR + "\nec2-user 644 " + DIR + "/routes.yaml\n");
      assertThat(output).contains("created /home/ec2-user/SageMaker as the owner of /home/ec2-user");
    }
  }

  /**
   * Issue 11, defect 1: where no user's home can hold the directory, the agent waits for it without
   * a restart loop (its start is skipped), and starts once it exists (route-agent.path).
   */
  @Test
  @Order(22)
  void withoutTheRoutesDirectoryTheAgentWaitsAndStartsOnceItExists() throws IOException {
    try (Nspawn host = Nspawn.boot(null, true)) {
      String output = installFromTheTarball(host);
      Map<String, String> state = host.awaitShow(UNIT, s -> !s.get("NRestarts").equals("0")
          || s.get("ActiveState").equals("active") || s.get("ActiveState").equals("failed")
          || (!s.get("ConditionTimestampMonotonic").equals("0") && s.get("ConditionResult").equals("no")),
          Duration.ofSeconds(60), "skipped, started or restarted", with(STATE, "ConditionResult", "ConditionTimestampMonotonic"));
      assertThat(state).as(host.journal(UNIT)).containsEntry("ActiveState", "inactive").containsEntry("NRestarts", "0")
          .containsEntry("ConditionResult", "no");
      assertThat(host.exec("systemctl", "is-active", "route-agent.path").output().trim()).isEqualTo("active");
      assertThat(output).contains("route-agent.path starts it once the directory exists");

      // ec2-user arrives, with the directory and then the file.
      host.ok("useradd", "--create-home", "--uid", "1000", "--user-group", "--shell", "/bin/bash", "ec2-user");
      host.ok("chmod", "0700", "/home/ec2-user");
      host.asEc2User("mkdir -p " + DIR + " && cat > " + DIR + "/routes.yaml <<'EOF'\n" + ROUTES + "EOF");
      state = host.awaitShow(UNIT, s -> s.get("StatusText").equals("2/2 routes installed") || !s.get("NRestarts").equals("0"),
          Duration.ofSeconds(60), "started by route-agent.path, the two routes installed", STATE);
      assertThat(state).as(host.journal(UNIT)).containsEntry("ActiveState", "active").containsEntry("NRestarts", "0");
      assertThat(host.ok("ip", "route", "show", "proto", "157")).contains("10.10.0.0/16", "10.20.0.0/16");

      // Stopped, it stays stopped: the path unit does not start it again.
      host.ok("systemctl", "stop", UNIT);
      assertThat(host.exec("systemctl", "is-active", UNIT).output().trim()).isEqualTo("inactive");
      assertThat(host.show("route-agent-directory.target", "ActiveState")).containsEntry("ActiveState", "active");
      assertThat(host.show(UNIT, "ActiveState", "Result")).containsEntry("ActiveState", "inactive").containsEntry("Result", "success");
    }
  }

  /**
   * Issue 11, item 6: systemd-networkd managing eth2 (a .network file), with the installer's
   * drop-in (ManageForeignRoutes=no). `networkctl reconfigure eth2` removes and re-adds eth2's
   * address, and the kernel drops every route through it with the address, without a word (no
   * RTM_DELROUTE): the agent puts them back on the address's return. A witness (`ip monitor`)
   * stamps the address's removal and the routes' return: that outage is printed. `networkctl
   * reload` with no file changed touches nothing.
   */
  @Test
  @Order(30)
  void networkdReconfiguringEth2DropsTheRoutesUntilTheAgentPutsThemBack() throws IOException {
    Path nVolume = newVolume();
    try (Nspawn nb = Nspawn.boot(nVolume, true)) {
      installOnTheNotebook(nb, nVolume, false);
      assertThat(awaitSettled(nb)).as(nb.journal(UNIT)).containsEntry("StatusText", "2/2 routes installed");
      assertThat(nb.ok("cat", "/etc/systemd/networkd.conf.d/route-agent.conf")).contains("ManageForeignRoutes=no");
      nb.ok("sh", "-c", "printf '[Match]\nName=eth2\n[Network]\nAddress=172.31.64.10/20\nLinkLocalAddressing=no\n"
          + "IPv6AcceptRA=no\n' > /etc/systemd/network/eth2.network");
      nb.ok("systemctl", "start", "systemd-networkd");
      // eth2's address was there before networkd (agent/notebook-netns.sh put it there): updating it
      // in place fails here (ERANGE, "failed"); a reconfigure (remove, then add) takes it over.
      String list = awaitOutput(nb, () -> nb.exec("networkctl", "--no-pager", "list", "eth2").output(),
          o -> o.contains("configured") || o.contains("failed"), "networkd: eth2 configured or failed");
      if (list.contains("failed")) {
        networkctl(nb, "reconfigure", "eth2");
        awaitOutput(nb, () -> nb.exec("networkctl", "--no-pager", "list", "eth2").output(),
            o -> o.contains("configured"), "networkd: eth2 configured");
      }
      awaitRoutes(nb, r -> r.contains("10.10.0.0/16") && r.contains("10.20.0.0/16"), "both routes in place");

      for (String[] action : List.of(new String[] {"networkctl", "reconfigure", "eth2"},
          new String[] {"networkctl", "reload"})) {
        try (Witness witness = Witness.start(nb.name)) {
          networkctl(nb, action[1], action.length > 2 ? action[2] : null);
          String what = String.join(" ", action);
          if (action[1].equals("reconfigure")) {
            List<String> seen = witness.await(lines -> Witness.returned(lines) != null, what + ": the routes back");
            System.out.printf("SystemdIT: `%s`: eth2's address gone, and the agent's routes with it, for %d ms%n",
                what, Witness.returned(seen).toMillis());
          } else {
            // Nothing changed: networkd leaves the link, and the routes, alone.
            nb.ok("networkctl", "--no-pager", "status", "eth2");
            assertThat(witness.lines()).as(what)
                .noneMatch(line -> line.contains("Deleted") && !line.contains("127.0.0.99"));
          }
          assertThat(nb.ok("ip", "route", "show", "proto", "157")).as(what)
              .contains("10.10.0.0/16 via 172.31.64.1 dev eth2", "10.20.0.0/16 via 172.31.64.1 dev eth2");
        }
      }
      assertThat(nb.show(UNIT, "NRestarts")).containsEntry("NRestarts", "0");
    } finally {
      Bundle.run(List.of("rm", "-rf", nVolume.toString()));
    }
  }

  /** `ip -ts monitor address route` in a namespace: every line, stamped by ip. */
  static final class Witness implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Witness(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
            java.nio.charset.StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines.add(line);
          }
        } catch (IOException e) {
          // Closed.
        }
      }, "witness");
      reader.setDaemon(true);
      reader.start();
    }

    static Witness start(String netns) throws IOException {
      Process process = new ProcessBuilder("ip", "-n", netns, "-ts", "monitor", "address", "route")
          .redirectErrorStream(true).start();
      Witness witness = new Witness(process);
      // It listens once it has seen an event: a probe address on lo, added and removed until seen.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (witness.lines().stream().noneMatch(line -> line.contains("Deleted") && line.contains("127.0.0.99"))) {
        if (System.nanoTime() > deadline) {
          witness.close();
          fail("ip monitor saw nothing within 20 s: " + witness.lines());
        }
        Bundle.run(List.of("ip", "-n", netns, "address", "add", "127.0.0.99/32", "dev", "lo"));
        Bundle.run(List.of("ip", "-n", netns, "address", "del", "127.0.0.99/32", "dev", "lo"));
        Nspawn.pause();
      }
      return witness;
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    List<String> await(Predicate<List<String>> condition, String what) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!condition.test(lines())) {
        if (System.nanoTime() > deadline) {
          return fail("the witness did not see: " + what + "\n" + String.join("\n", lines()));
        }
        Nspawn.pause();
      }
      return lines();
    }

    /**
     * From eth2's address removed to the agent's route 10.10.0.0/16 back, or null while either is
     * missing.
     */
    static Duration returned(List<String> lines) {
      java.time.LocalDateTime gone = null;
      for (String line : lines) {
        if (gone == null && line.contains("Deleted") && line.contains("inet 172.31.64.10/20")) {
          gone = stamp(line);
        } else if (gone != null && line.contains("] 10.10.0.0/16 via 172.31.64.1 dev eth2")) {
          return Duration.between(gone, stamp(line));
        }
      }
      return null;
    }

    private static java.time.LocalDateTime stamp(String line) {
      return java.time.LocalDateTime.parse(line.substring(1, line.indexOf(']')));
    }

    @Override
    public void close() {
      process.destroy();
    }
  }

  /**
   * {@code networkctl VERB [LINK]}, again while D-Bus says networkd is not there yet: its requests
   * go over the bus, where networkd was seen to take its name seconds after it was up and running
   * on a loaded machine (`networkctl list` reads its state files and does not wait for that).
   * Nothing was done when the name is missing, so asking again is safe.
   */
  private static void networkctl(Nspawn box, String verb, String link) {
    String[] command = link == null ? new String[] {"networkctl", verb} : new String[] {"networkctl", verb, link};
    String outcome = awaitOutput(box, () -> {
      var result = box.exec(command);
      return result.status() == 0 ? "done" : result.output();
    }, o -> o.equals("done") || !o.contains("network1.service not found"), "networkd on D-Bus for `networkctl " + verb + "`");
    if (!outcome.equals("done")) {
      fail("in the container, `" + String.join(" ", command) + "` failed: " + outcome);
    }
  }

  static String awaitOutput(Nspawn box, java.util.function.Supplier<String> output, Predicate<String> condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      String text = output.get();
      if (condition.test(text)) {
        return text;
      }
      if (System.nanoTime() > deadline) {
        return fail("not within 30 s: " + what + ":\n" + text + "\n" + box.exec("journalctl", "-u", "systemd-networkd",
            "--no-pager", "-o", "cat").output());
      }
      Nspawn.pause();
    }
  }

  /** A plain host's install: the tarball unpacked in /root, its install.sh run as root from /. */
  static String installFromTheTarball(Nspawn host) {
    try {
      Files.copy(Bundle.tarball(), host.path("/root/bundle.tar.gz"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    host.ok("tar", "-xzf", "/root/bundle.tar.gz", "-C", "/root");
    return host.ok("env", "-i", "/bin/bash", "-c", "cd / && exec /root/" + Bundle.name() + "/install.sh");
  }

  /** Once the unit is active, failed or restarted. */
  static Map<String, String> awaitSettled(Nspawn host) {
    return host.awaitShow(UNIT, s -> !s.get("NRestarts").equals("0") || s.get("ActiveState").equals("active")
        || s.get("ActiveState").equals("failed"), Duration.ofSeconds(60), "active, failed or restarted", STATE);
  }

  static String[] with(String[] properties, String... more) {
    String[] all = java.util.Arrays.copyOf(properties, properties.length + more.length);
    System.arraycopy(more, 0, all, properties.length, more.length);
    return all;
  }

  static void awaitRoutes(Nspawn box, Predicate<String> condition, String what) {
    awaitOutput(box, () -> box.exec("ip", "route", "show", "proto", "157").output(), condition, what);
  }

  /** The agent's routes (protocol 157) in the container's namespace. */
  String routes() {
    return netns("route", "show", "proto", "157");
  }

  String netns(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("ip", "-n", box.name));
    command.addAll(List.of(args));
    Commands.Result result = Bundle.run(command);
    if (result.status() != 0) {
      fail("`" + String.join(" ", command) + "` failed: " + result.output());
    }
    return result.output();
  }

  void awaitRoutes(Predicate<String> condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      String routes = routes();
      if (condition.test(routes)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail("not reached within 20 s: " + what + "; routes:\n" + routes + "\njournal:\n" + box.journal(UNIT));
      }
      Nspawn.pause();
    }
  }

  String awaitJournal(Predicate<String> condition, String... options) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      List<String> command = new java.util.ArrayList<>(List.of("journalctl", "-u", UNIT, "--no-pager", "-o", "cat"));
      command.addAll(List.of(options));
      String journal = box.exec(command.toArray(String[]::new)).output();
      if (condition.test(journal)) {
        return journal;
      }
      if (System.nanoTime() > deadline) {
        return fail("the journal (" + String.join(" ", options) + ") did not show it within 20 s:\n" + journal);
      }
      Nspawn.pause();
    }
  }
}
