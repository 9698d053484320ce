package io.routeagent.packaging;

import io.routeagent.testing.Commands;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Debian bookworm system booted by systemd (252, the version Amazon Linux 2023 ships) as PID 1 in
 * a systemd-nspawn container, in a network namespace shaped like a notebook's (agent/notebook-netns.sh):
 * a real systemd runs the unit, sandbox and all. The root is made once by debootstrap and cached
 * under /var/tmp ({@link #ROOT}); each boot writes into a tmpfs overlay (--volatile=overlay), which
 * goes with the container. Without systemd on the host nspawn needs --register=no --keep-unit and a
 * cgroup of its own, made here. {@link #close} stops the container and deletes the namespace and the
 * cgroups. A missing tool or privilege skips the test outside CI and fails it under CI=true.
 */
final class Nspawn implements AutoCloseable {
  /** The cached root; {@code .complete} in it says that debootstrap finished. */
  static final Path ROOT = Path.of("/var/tmp/route-agent-it-bookworm");
  private static final String PACKAGES = "systemd,systemd-sysv,dbus,iproute2";
  private static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final AtomicInteger COUNTER = new AtomicInteger();

  final String name;
  private final Process nspawn;
  private final Path console;
  private final List<Path> cgroups;
  private final long pid1;

  private Nspawn(String name, Process nspawn, Path console, List<Path> cgroups, long pid1) {
    this.name = name;
    this.nspawn = nspawn;
    this.console = console;
    this.cgroups = cgroups;
    this.pid1 = pid1;
  }

  /** What the container needs on the host; .ci/run installs it. */
  static void requireTools() {
    Bundle.requireRoot();
    for (String[] tool : new String[][] {
        {"systemd-nspawn", "systemd-container"}, {"debootstrap", "debootstrap"}, {"nsenter", "util-linux"},
        {"ip", "iproute2"}}) {
      if (Bundle.run(List.of("sh", "-c", "command -v " + tool[0])).status() != 0) {
        Bundle.unavailable(tool[0] + " is not installed: .ci/run installs it (apt-get install -y "
            + tool[1] + ")");
      }
    }
  }

  /**
   * Boots the cached root in a new notebook-shaped network namespace (also named {@link #name}),
   * with {@code volume} bound at /home/ec2-user/SageMaker (the notebook's persistent volume is a
   * mount of its own; null for a plain host, without it), and waits until the boot is over.
   *
   * @param netAdmin whether the container keeps CAP_NET_ADMIN (nspawn's default set lacks it)
   */
  static Nspawn boot(Path volume, boolean netAdmin) throws IOException {
    requireTools();
    Path root = cachedRoot();
    String name = "ra-sd-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    Commands.Result netns = Bundle.run(List.of(Bundle.TOP.resolve("agent/notebook-netns.sh").toString(), name));
    if (netns.status() != 0) {
      Bundle.run(List.of("ip", "netns", "del", name));
      Bundle.unavailable("cannot create network namespace " + name + ": " + netns.output());
    }
    List<Path> cgroups = new ArrayList<>();
    Process process = null;
    Path console = Files.createTempFile("route-agent-nspawn-", ".log");
    try {
      // A cgroup of its own in each hierarchy systemd uses: the unified one on a v2-only host, or
      // the unified and name=systemd ones on a hybrid layout.
      Path fs = Path.of("/sys/fs/cgroup");
      List<Path> parents = Files.exists(fs.resolve("cgroup.controllers"))
          ? List.of(fs)
          : Stream.of(fs.resolve("unified"), fs.resolve("systemd")).filter(Files::isDirectory).toList();
      for (Path parent : parents) {
        cgroups.add(Files.createDirectory(parent.resolve(name)));
      }
      List<String> command = new ArrayList<>(List.of("sh", "-c",
          "for c in $RA_CGROUPS; do echo $$ > \"$c/cgroup.procs\" || exit 1; done; exec \"$@\"", "sh",
          "systemd-nspawn", "--quiet", "--register=no", "--keep-unit", "--console=read-only",
          "--volatile=overlay", "--directory=" + root, "--machine=" + name,
          "--network-namespace-path=/run/netns/" + name));
      if (volume != null) {
        command.add("--bind=" + volume + ":/home/ec2-user/SageMaker");
      }
      if (netAdmin) {
        command.add("--capability=CAP_NET_ADMIN");
      }
      command.add("--boot");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(console.toFile());
      builder.environment().put("RA_CGROUPS", String.join(" ", cgroups.stream().map(Path::toString).toList()));
      // A pure cgroup v2 inside, as on Amazon Linux 2023.
      builder.environment().put("SYSTEMD_NSPAWN_UNIFIED_HIERARCHY", "1");
      process = builder.start();
      long pid1 = awaitPid1(process, console);
      Nspawn container = new Nspawn(name, process, console, cgroups, pid1);
      container.awaitBoot();
      return container;
    } catch (RuntimeException | Error | IOException e) {
      stop(process, cgroups);
      Bundle.run(List.of("ip", "netns", "del", name));
      throw e;
    }
  }

  /** The container's systemd: the descendant of nspawn that is PID 1 in its own PID namespace. */
  private static long awaitPid1(Process process, Path console) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("systemd-nspawn exited (" + process.exitValue() + "): " + read(console));
      }
      Optional<Long> pid = process.descendants()
          .map(ProcessHandle::pid)
          .filter(Nspawn::isPid1OfItsNamespace)
          .findFirst();
      if (pid.isPresent()) {
        return pid.get();
      }
      pause();
    }
    return fail("no init process in the container within 30 s: " + read(console));
  }

  private static boolean isPid1OfItsNamespace(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("NSpid:")) {
          String[] ids = line.substring(6).trim().split("\\s+");
          return ids.length > 1 && ids[ids.length - 1].equals("1");
        }
      }
    } catch (IOException e) {
      // Gone meanwhile.
    }
    return false;
  }

  /** Until systemd says the boot is over (its socket appears early in the boot: polled till then). */
  private void awaitBoot() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String text;
    do {
      text = exec("systemctl", "is-system-running").output().trim();
      if (text.equals("running") || text.equals("degraded")) {
        return;
      }
      if (!nspawn.isAlive()) {
        break;
      }
      pause();
    } while (System.nanoTime() < deadline);
    fail("the container did not finish booting within 60 s: " + text + "\n"
        + exec("systemctl", "--failed", "--no-pager").output() + "\nconsole:\n" + read(console));
  }

  /** Runs a command in the container (all its namespaces), as root, with only PATH set. */
  Commands.Result exec(String... command) {
    List<String> full = new ArrayList<>(List.of("/usr/bin/nsenter", "-t", Long.toString(pid1), "-a", "--wd=/"));
    full.addAll(List.of(command));
    return Commands.run(full, Map.of("PATH", PATH), true);
  }

  /** Like {@link #exec}, failing the test unless the command exits 0; returns its output. */
  String ok(String... command) {
    Commands.Result result = exec(command);
    if (result.status() != 0) {
      fail("in the container, `" + String.join(" ", command) + "` failed (" + result.status() + "): " + result.output()
          + "\nits recent journal:\n" + exec("journalctl", "--no-pager", "-n", "40", "-o", "short-monotonic").output());
    }
    return result.output();
  }

  /** Runs {@code script} with /bin/sh in the container as ec2-user (uid 1000): no groups, no caps. */
  String asEc2User(String script) {
    return ok("setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "/bin/sh", "-ec", script);
  }

  /** A path in the container's file system, as the host sees it. */
  Path path(String inside) {
    return Path.of("/proc/" + pid1 + "/root").resolve(inside.substring(1));
  }

  /** {@code systemctl show UNIT -p P...}: each property's value. */
  Map<String, String> show(String unit, String... properties) {
    String output = ok("systemctl", "show", unit, "--property=" + String.join(",", properties));
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return values;
  }

  /** Polls {@code systemctl show} until {@code condition} holds, and returns those values. */
  Map<String, String> awaitShow(String unit, Predicate<Map<String, String>> condition, Duration within,
      String what, String... properties) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Map<String, String> values = show(unit, properties);
      if (condition.test(values)) {
        return values;
      }
      if (System.nanoTime() > deadline) {
        return fail(unit + " did not reach: " + what + " within " + within.toSeconds() + " s; last: " + values
            + "\njournal:\n" + journal(unit));
      }
      pause();
    }
  }

  String journal(String unit) {
    return exec("journalctl", "-u", unit, "--no-pager", "-o", "short-monotonic").output();
  }

  /** The container's console, for a failure's message. */
  String console() {
    return read(console);
  }

  /** Stops the container, then removes its cgroups and its network namespace. */
  @Override
  public void close() {
    try {
      stop(nspawn, cgroups);
    } finally {
      Bundle.run(List.of("ip", "netns", "del", name));
      try {
        Files.deleteIfExists(console);
      } catch (IOException e) {
        // A temporary file: left for the system to clean.
      }
    }
  }

  /**
   * SIGTERM to nspawn powers the container off; a container that is not gone within 30 s is killed,
   * every process in its cgroups with it. Then the cgroups, deepest first.
   */
  private static void stop(Process process, List<Path> cgroups) {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Path cgroup : cgroups) {
      for (int attempt = 0; attempt < 50 && Files.isDirectory(cgroup); attempt++) {
        killAll(cgroup);
        removeTree(cgroup);
        if (Files.isDirectory(cgroup)) {
          pause();
        }
      }
    }
  }

  private static void killAll(Path cgroup) {
    try (Stream<Path> procs = Files.walk(cgroup)) {
      for (Path file : procs.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
        for (String pid : Files.readAllLines(file)) {
          if (!pid.isBlank()) {
            ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // Some went away meanwhile: the next attempt sees the rest.
    }
  }

  /** rmdir of each cgroup directory, deepest first (a cgroup's files cannot be deleted, and need not be). */
  private static void removeTree(Path cgroup) {
    try (Stream<Path> tree = Files.walk(cgroup)) {
      for (Path dir : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
        Bundle.run(List.of("rmdir", dir.toString()));
      }
    } catch (IOException | UncheckedIOException e) {
      // Retried by the caller.
    }
  }

  /**
   * The cached root, made by debootstrap when it is missing (about a minute and 45 MB of packages,
   * from the Debian mirror the host's apt uses).
   */
  static synchronized Path cachedRoot() {
    if (Files.exists(ROOT.resolve(".complete"))) {
      return ROOT;
    }
    Path partial = Path.of(ROOT + ".partial");
    Bundle.run(List.of("rm", "-rf", partial.toString(), ROOT.toString()));
    String mirror = mirror();
    long start = System.nanoTime();
    Commands.Result made = Bundle.run(List.of("debootstrap", "--variant=minbase", "--include=" + PACKAGES,
        "bookworm", partial.toString(), mirror));
    if (made.status() != 0) {
      Bundle.run(List.of("rm", "-rf", partial.toString()));
      String output = made.output();
      fail("debootstrap bookworm from " + mirror + " failed (set ROUTE_AGENT_IT_DEBIAN_MIRROR to another mirror): "
          + output.substring(Math.max(0, output.length() - 2000)));
    }
    try {
      Files.createFile(partial.resolve(".complete"));
      Files.move(partial, ROOT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.printf("debootstrap made %s in %d s%n", ROOT, (System.nanoTime() - start) / 1_000_000_000);
    return ROOT;
  }

  /**
   * ROUTE_AGENT_IT_DEBIAN_MIRROR, else the first Debian archive (a URI ending in /debian) in the
   * host's apt sources, else deb.debian.org.
   */
  static String mirror() {
    String configured = System.getenv("ROUTE_AGENT_IT_DEBIAN_MIRROR");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    Pattern uri = Pattern.compile("(https?://\\S+/debian)/?(?:\\s|$)");
    List<Path> sources = new ArrayList<>(List.of(Path.of("/etc/apt/sources.list")));
    try (Stream<Path> more = Files.list(Path.of("/etc/apt/sources.list.d"))) {
      more.sorted().forEach(sources::add);
    } catch (IOException e) {
      // No such directory.
    }
    for (Path file : sources) {
      try {
        for (String line : Files.readAllLines(file)) {
          if (line.trim().startsWith("#")) {
            continue;
          }
          Matcher m = uri.matcher(line);
          if (m.find()) {
            return m.group(1);
          }
        }
      } catch (IOException e) {
        // Unreadable or missing: the next one.
      }
    }
    return DEFAULT_MIRROR;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
