package io.routeagent.packaging;

import io.routeagent.testing.Commands;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install.sh --root and uninstall.sh, the installed launcher, and the unit as installed. */
class InstallIT {
  private static final String ROUTES_DIR = "home/ec2-user/SageMaker/route-agent";

  @TempDir Path dir;
  Path bundle;
  Path root;

  @BeforeEach
  void setUp() throws IOException {
    Bundle.requireRoot();
    bundle = Bundle.unpack(Files.createDirectory(dir.resolve("unpacked")));
    root = Files.createDirectory(dir.resolve("root"));
    // A notebook's persistent volume belongs to ec2-user (uid 1000 there), who can reach it.
    Files.createDirectories(root.resolve("home/ec2-user/SageMaker"));
    chown("1000:1000", root.resolve("home/ec2-user/SageMaker"));
    for (Path p = root.resolve("home/ec2-user/SageMaker"); !p.equals(dir.getParent()); p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private Commands.Result install(String... options) {
    List<String> command = new java.util.ArrayList<>(List.of(bundle.resolve("install.sh").toString(), "--root", root.toString()));
    command.addAll(List.of(options));
    Commands.Result result = Bundle.run(command);
    assertThat(result.status()).as(result.output()).isZero();
    return result;
  }

  @Test
  void installsUnderRootTwiceWithTheSameResultAndUninstallKeepsTheRoutesFile() throws IOException {
    Commands.Result first = install();
    assertThat(first.output()).contains("not calling systemctl", "ManageForeignRoutes=no", "--no-networkd-dropin",
        "created /home/ec2-user/SageMaker/route-agent/routes.yaml from the example");

    assertThat(root.resolve("opt/route-agent/bin/route-agent")).isExecutable();
    assertThat(root.resolve("opt/route-agent/runtime/bin/java")).isExecutable();
    assertThat(Files.readSymbolicLink(root.resolve("usr/local/bin/route-agent")))
        .isEqualTo(Path.of("/opt/route-agent/bin/route-agent"));
    assertThat(root.resolve("etc/systemd/system/route-agent.service"))
        .hasSameTextualContentAs(Bundle.TOP.resolve("systemd/route-agent.service"));
    assertThat(Files.readString(root.resolve("etc/iproute2/rt_protos.d/route-agent.conf")))
        .containsPattern("(?m)^157\\s+route-agent$");
    assertThat(Files.readString(root.resolve("etc/systemd/networkd.conf.d/route-agent.conf")))
        .contains("[Network]", "ManageForeignRoutes=no", "ManageForeignRoutingPolicyRules=no");
    assertThat(Files.readString(root.resolve("etc/passwd"))).containsPattern("(?m)^route-agent:x:\\d+:\\d+:");
    assertThat(root.resolve("usr/local/share/man/man1/route-agent.1"))
        .hasSameTextualContentAs(Bundle.TARGET.resolve("docs/route-agent.1"));
    assertThat(root.resolve("usr/share/bash-completion/completions/route-agent"))
        .hasSameTextualContentAs(Bundle.TARGET.resolve("docs/route-agent.bash"));
    Path routes = root.resolve(ROUTES_DIR + "/routes.yaml");
    assertThat(routes).hasSameTextualContentAs(Bundle.TOP.resolve("agent/routes.example.yaml"));
    assertThat(Files.getAttribute(routes, "unix:uid")).as("routes.yaml is ec2-user's, to edit from Jupyter").isEqualTo(1000);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(routes))).isEqualTo("rw-r--r--");
    Path logs = root.resolve(ROUTES_DIR + "/logs");
    assertThat(Files.getAttribute(logs, "unix:uid")).as("logs/ is the agent's").isNotEqualTo(0).isNotEqualTo(1000);

    String before = listing(root);
    Commands.Result second = install();
    assertThat(second.output()).contains("is up to date", "kept /home/ec2-user/SageMaker/route-agent/routes.yaml")
        .doesNotContain("wrote", "created", "installed the bundle", "linked");
    assertSameListing(before, listing(root));

    // The user's routes file is never overwritten; --no-networkd-dropin takes the drop-in away.
    Files.writeString(routes, "routes: []\n");
    Commands.Result third = install("--no-networkd-dropin");
    assertThat(third.output()).contains("removed /etc/systemd/networkd.conf.d/route-agent.conf");
    assertThat(routes).hasContent("routes: []");
    assertThat(root.resolve("etc/systemd/networkd.conf.d/route-agent.conf")).doesNotExist();

    Commands.Result uninstall = Bundle.run(List.of(
        root.resolve("opt/route-agent/uninstall.sh").toString(), "--root", root.toString()));
    assertThat(uninstall.status()).as(uninstall.output()).isZero();
    assertThat(root.resolve("opt/route-agent")).doesNotExist();
    assertThat(root.resolve("usr/local/bin/route-agent")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/route-agent.service")).doesNotExist();
    assertThat(root.resolve("etc/iproute2/rt_protos.d/route-agent.conf")).doesNotExist();
    assertThat(root.resolve("etc/sysusers.d/route-agent.conf")).doesNotExist();
    assertThat(root.resolve("usr/local/share/man/man1/route-agent.1")).doesNotExist();
    assertThat(root.resolve("usr/share/bash-completion/completions/route-agent")).doesNotExist();
    assertThat(uninstall.output()).contains("removed /usr/local/share/man/man1/route-agent.1",
        "removed /usr/share/bash-completion/completions/route-agent");
    assertThat(routes).hasContent("routes: []");
    try (Stream<Path> left = Files.list(root.resolve("opt"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void installedLauncherRunsWithTheBundledRuntimeWhenTheSystemJavaIsBroken() throws IOException {
    install();
    Path fakeBin = Files.createDirectory(dir.resolve("fake-bin"));
    Path fakeJava = Files.writeString(fakeBin.resolve("java"), "#!/bin/sh\necho fake java was run >&2\nexit 1\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    Map<String, String> env = Map.of(
        "PATH", fakeBin + ":/usr/sbin:/usr/bin:/sbin:/bin",
        "JAVA_HOME", dir.resolve("no-such-jdk").toString(),
        "TMPDIR", tmp.toString(),
        "ROUTE_AGENT_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
    String launcher = root.resolve("opt/route-agent/bin/route-agent").toString();
    String routes = root.resolve(ROUTES_DIR + "/routes.yaml").toString();

    Commands.Result check = Bundle.run(List.of(launcher, "--config", routes, "check"), env, true);
    assertThat(check.status()).as(check.output()).isZero();
    assertThat(check.output()).contains("valid, 2 routes").doesNotContain("fake java", "WARNING");

    // status opens a netlink socket, so jffi loads its stub: the bundled copy, not one unpacked into
    // the temporary directory; and the JVM says nothing about native access or sun.misc.Unsafe.
    Commands.Result status = Bundle.run(List.of(launcher, "--config", routes, "status"), env, true);
    assertThat(status.status()).as(status.output()).isIn(0, 2);
    assertThat(status.output()).contains("2 routes").doesNotContain("WARNING", "fake java");
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(Path::getFileName).map(Path::toString))
          .as("jffi must not unpack its stub into the temporary directory")
          .noneMatch(name -> name.startsWith("jffi"));
    }

    // The AOT cache is the one made for this runtime and jar, and it is used.
    Map<String, String> logAot = new java.util.HashMap<>(env);
    logAot.put("ROUTE_AGENT_JAVA_OPTS", "-Xlog:aot=info:stderr");
    Commands.Result aot = Bundle.run(List.of(launcher, "--config", routes, "check"), logAot, true);
    assertThat(aot.status()).as(aot.output()).isZero();
    assertThat(aot.output()).contains("Opened AOT cache").doesNotContain("[error", "[warning");
  }

  @Test
  void unitIsVerifiedAndExposedAtMost1Point5() throws IOException {
    Bundle.requireTool("systemd-analyze", "systemd");
    install();
    Path unit = root.resolve("etc/systemd/system/route-agent.service");

    Commands.Result security = Bundle.run(List.of(
        "systemd-analyze", "security", "--offline=yes", "--threshold=15", unit.toString()));
    Matcher exposure = Pattern.compile("Overall exposure level for route-agent.service: ([0-9.]+)")
        .matcher(security.output());
    assertThat(exposure.find()).as(security.output()).isTrue();
    System.out.println("route-agent.service exposure: " + exposure.group(1));
    assertThat(security.status()).as(security.output()).isZero();
    assertThat(Double.parseDouble(exposure.group(1))).isLessThanOrEqualTo(1.5);

    // verify resolves the unit's dependencies (sysinit.target...) and ExecStart= under --root:
    // give the root the system's own units.
    Path systemUnits = Stream.of("/usr/lib/systemd/system", "/lib/systemd/system").map(Path::of)
        .filter(p -> Files.isRegularFile(p.resolve("sysinit.target"))).findFirst().orElse(null);
    if (systemUnits == null) {
      Bundle.unavailable("no sysinit.target in /usr/lib/systemd/system: systemd-analyze verify needs systemd's units");
    }
    Files.createDirectories(root.resolve("usr/lib/systemd"));
    Commands.Result copy = Bundle.run(List.of("cp", "-a", systemUnits + "/.", root.resolve("usr/lib/systemd/system").toString()));
    assertThat(copy.status()).as(copy.output()).isZero();
    Commands.Result verify = Bundle.run(List.of("systemd-analyze", "verify", "--root=" + root, "route-agent.service"));
    assertThat(verify.status()).as(verify.output()).isZero();
    assertThat(verify.output()).as("systemd-analyze verify complains").doesNotContain("route-agent");
  }

  /** Issue 10, reproduction 1: install.sh's chown and chmod of logs/ followed the user's link. */
  @Test
  void logsLinkedToARootDirectoryIsLeftAloneAndARealLogsIsMade() throws IOException {
    Path privateDir = rootOnlyDirectory("private");
    String before = listing(privateDir);
    Path routesDir = root.resolve(ROUTES_DIR);
    Bundle.asUser("mkdir '" + routesDir + "'; ln -s '" + privateDir + "' '" + routesDir.resolve("logs") + "'");

    Commands.Result result = install();
    assertSameListing(before, listing(privateDir));
    assertThat(result.output()).contains("removed /" + ROUTES_DIR + "/logs, a symbolic link (not followed)");
    Path logs = routesDir.resolve("logs");
    assertThat(Files.isDirectory(logs, NOFOLLOW_LINKS)).as("logs/ is a real directory").isTrue();
    assertThat(Files.getAttribute(logs, "unix:uid", NOFOLLOW_LINKS)).isEqualTo(agentUid());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logs, NOFOLLOW_LINKS))).isEqualTo("rwxr-xr-x");

    // A logs/ the user made (and could still write into) is put aside for a new one.
    Files.delete(logs);
    Bundle.asUser("mkdir -m 777 '" + logs + "'");
    Commands.Result again = install();
    assertThat(again.output()).contains("moved /" + ROUTES_DIR + "/logs aside to logs.moved-");
    assertThat(Files.getAttribute(logs, "unix:uid", NOFOLLOW_LINKS)).isEqualTo(agentUid());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logs, NOFOLLOW_LINKS))).isEqualTo("rwxr-xr-x");
  }

  @Test
  void aLinkOnTheWayToTheRoutesDirectoryIsRefusedBeforeAnythingIsInstalled() throws IOException {
    Path privateDir = rootOnlyDirectory("private");
    String before = listing(privateDir);
    Bundle.asUser("ln -s '" + privateDir + "' '" + root.resolve(ROUTES_DIR) + "'");

    Commands.Result result = Bundle.run(List.of(bundle.resolve("install.sh").toString(), "--root", root.toString()));
    assertSameListing(before, listing(privateDir));
    assertThat(result.status()).as(result.output()).isEqualTo(1);
    assertThat(result.output()).contains("/" + ROUTES_DIR + " is a symbolic link: refusing to follow it as root");
    assertSameListing(before, listing(privateDir));
    assertThat(root.resolve("opt/route-agent")).doesNotExist();
  }

  @Test
  void routesYamlIsNeverCreatedThroughALink() throws IOException {
    Path target = dir.resolve("made-by-root.yaml");
    Path routesDir = root.resolve(ROUTES_DIR);
    Bundle.asUser("mkdir '" + routesDir + "'; ln -s '" + target + "' '" + routesDir.resolve("routes.yaml") + "'");

    Commands.Result result = install();
    assertThat(target).doesNotExist();
    assertThat(result.output()).contains("kept /" + ROUTES_DIR + "/routes.yaml");
    assertThat(Files.isSymbolicLink(routesDir.resolve("routes.yaml"))).isTrue();
  }

  @Test
  void logFilesOfAnotherUidFollowTheAgentAndLinksAmongThemAreNotFollowed() throws IOException {
    install();
    Path logs = root.resolve(ROUTES_DIR + "/logs");
    // The agent had another uid on the image before: its directory and its files are that uid's.
    Path log = Files.writeString(logs.resolve("route-agent.log"), "an earlier start\n");
    Path secret = Files.writeString(dir.resolve("root-only"), "root's own\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(logs.resolve("route-agent.log.1"), secret);
    Commands.Result chown = Bundle.run(List.of("chown", "-hR", "4242:4242", logs.toString()));
    assertThat(chown.status()).as(chown.output()).isZero();
    String before = listing(secret);

    install();
    assertThat(Files.getAttribute(logs, "unix:uid", NOFOLLOW_LINKS)).isEqualTo(agentUid());
    assertThat(Files.getAttribute(log, "unix:uid", NOFOLLOW_LINKS)).isEqualTo(agentUid());
    assertThat(log).hasContent("an earlier start");
    assertSameListing(before, listing(secret));
    assertThat(Files.readSymbolicLink(logs.resolve("route-agent.log.1"))).isEqualTo(secret);
  }

  /**
   * The security review's race: the routes directory's owner watches for root's {@code mkdir logs},
   * puts a directory of their own in its place, and when root's find opens it swaps it for a link to
   * a root-only directory, so that a chown of {@code logs/file} by path lands on root's file. The
   * attacker is driven by inotify events, not by time; install.sh must leave the file alone however
   * the race goes: it works inside logs/ once it has checked it, never through the name again.
   */
  @Test
  void theUserSwappingLogsForALinkWhileInstallShRunsChownsNothingOfRoots() throws Exception {
    Bundle.requireTool("/usr/bin/python3", "python3");
    Path privateDir = rootOnlyDirectory("private");
    String before = listing(privateDir);
    Path routesDir = root.resolve(ROUTES_DIR);
    Bundle.asUser("mkdir '" + routesDir + "'");
    Path attacker = dir.resolve("logs-swap.py");
    try (var script = InstallIT.class.getResourceAsStream("/packaging/logs-swap.py")) {
      Files.copy(script, attacker);
    }
    Files.setPosixFilePermissions(attacker, PosixFilePermissions.fromString("rw-r--r--"));
    for (int attempt = 1; attempt <= 3; attempt++) {
      for (String left : List.of("logs", "mine", "link")) {
        Bundle.run(List.of("rm", "-rf", routesDir.resolve(left).toString()));
      }
      Process race = new ProcessBuilder("setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "/usr/bin/python3",
          attacker.toString(), routesDir.toString(), privateDir.toString(), "file").redirectErrorStream(true).start();
      var said = new java.io.BufferedReader(new java.io.InputStreamReader(race.getInputStream()));
      assertThat(said.readLine()).as("the attacker's first line").isEqualTo("ready");
      Commands.Result result = Bundle.run(List.of(bundle.resolve("install.sh").toString(), "--root", root.toString()));
      race.toHandle().destroyForcibly(); // the signal alone: the attacker's last lines are still to read
      race.waitFor();
      String raced = said.lines().collect(Collectors.joining("; "));
      assertSameListing(before, listing(privateDir));
      assertThat(result.status() == 0 || result.output().contains("/logs changed while install.sh ran"))
          .as("attempt %d: install.sh succeeded or said why not (%s; the attacker: %s)", attempt, result.output(), raced)
          .isTrue();
    }
  }

  /** A directory only root may enter, holding one root-only file. */
  private Path rootOnlyDirectory(String name) throws IOException {
    Path privateDir = Files.createDirectory(dir.resolve(name));
    Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));
    Path file = Files.writeString(privateDir.resolve("file"), "root's own\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return privateDir;
  }

  private int agentUid() throws IOException {
    Matcher user = Pattern.compile("(?m)^route-agent:x:(\\d+):").matcher(Files.readString(root.resolve("etc/passwd")));
    assertThat(user.find()).as("route-agent in " + root.resolve("etc/passwd")).isTrue();
    return Integer.parseInt(user.group(1));
  }

  /** Every path under {@code top}: type, mode, owner, time, and content or link target. */
  static String listing(Path top) throws IOException {
    try (Stream<Path> paths = Files.walk(top)) {
      return paths.sorted().map(path -> {
        try {
          String kind = Files.isSymbolicLink(path) ? "l -> " + Files.readSymbolicLink(path)
              : Files.isDirectory(path, NOFOLLOW_LINKS) ? "d" : "f " + sha256(path);
          return top.relativize(path) + " " + kind
              + " " + Integer.toOctalString((Integer) Files.getAttribute(path, "unix:mode", NOFOLLOW_LINKS))
              + " " + Files.getAttribute(path, "unix:uid", NOFOLLOW_LINKS)
              + ":" + Files.getAttribute(path, "unix:gid", NOFOLLOW_LINKS)
              + " " + Files.getLastModifiedTime(path, NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).collect(Collectors.joining("\n"));
    }
  }

  /** Fails with the lines that differ, not the whole listings. */
  static void assertSameListing(String before, String after) {
    List<String> was = before.lines().toList();
    List<String> is = after.lines().toList();
    assertThat(is.stream().filter(line -> !was.contains(line)).toList())
        .as("changed or added by the second run (was: %s)",
            was.stream().filter(line -> !is.contains(line)).toList())
        .isEmpty();
    assertThat(was).as("removed by the second run").allMatch(is::contains);
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void chown(String owner, Path path) {
    Commands.Result result = Bundle.run(List.of("chown", owner, path.toString()));
    assertThat(result.status()).as(result.output()).isZero();
  }
}
