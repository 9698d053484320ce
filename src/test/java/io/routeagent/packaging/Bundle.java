package io.routeagent.packaging;

import io.routeagent.testing.Commands;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The tarball that {@code mvn package} made (packaging/build-bundle.sh), and the commands the
 * packaging tests run. A missing tarball, tool or privilege skips a test on a developer's machine
 * and fails it under CI=true: nothing is skipped silently there.
 */
final class Bundle {
  static final Path TOP = Path.of(System.getProperty("user.dir"));
  static final Path TARGET = TOP.resolve("target");
  /** The notebook's user (ec2-user, uid and gid 1000 there), who owns the routes directory. */
  static final int USER_UID = 1000;

  private Bundle() {}

  /** The bundle's directory name, e.g. route-agent-0.1.0-linux-x86_64 (one per build). */
  static String name() {
    Path staged = TARGET.resolve("bundle");
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(staged)) {
      try (Stream<Path> list = Files.list(staged)) {
        list.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (names.size() != 1 || !Files.isRegularFile(tarball(names.get(0)))) {
      unavailable("no bundle in target/ (mvn package makes it unless -Dbundle.skip=true; found " + names + ")");
    }
    return names.get(0);
  }

  static Path tarball() {
    return tarball(name());
  }

  private static Path tarball(String name) {
    return TARGET.resolve(name + ".tar.gz");
  }

  /** Unpacks the tarball into {@code dir}; returns the bundle's directory there. */
  static Path unpack(Path dir) {
    Commands.Result tar = run(List.of("tar", "-xzf", tarball().toString(), "-C", dir.toString()));
    if (tar.status() != 0) {
      fail("cannot unpack " + tarball() + ": " + tar.output());
    }
    return dir.resolve(name());
  }

  /**
   * The lifecycle script that {@code mvn package} wrote beside the tarball (target/on-start.sh), with
   * the tarball's sha256 pinned in its text.
   */
  static Path onStart() {
    name();
    Path script = TARGET.resolve("on-start.sh");
    if (!Files.isRegularFile(script)) {
      unavailable("no target/on-start.sh (mvn package writes it with the tarball)");
    }
    return script;
  }

  /**
   * Runs {@code script} with /bin/sh as the notebook's user, who owns the routes directory: uid and
   * gid 1000 (ec2-user's on a notebook), no supplementary groups, no capabilities.
   */
  static void asUser(String script) {
    requireTool("setpriv", "util-linux");
    Commands.Result result = run(List.of(
        "setpriv", "--reuid=" + USER_UID, "--regid=" + USER_UID, "--clear-groups", "/bin/sh", "-ec", script));
    if (result.status() != 0) {
      fail("as uid " + USER_UID + ": `" + script + "` failed: " + result.output());
    }
  }

  static void requireRoot() {
    requireRoot("install.sh --root sets owners (chown): run the packaging tests as root");
  }

  /** Unavailable (a failure under CI=true) unless the tests run as root; {@code why} says what needs it. */
  static void requireRoot(String why) {
    if (!"root".equals(System.getProperty("user.name"))) {
      unavailable(why);
    }
  }

  static void requireTool(String tool, String apt) {
    if (run(List.of("sh", "-c", "command -v " + tool)).status() != 0) {
      unavailable(tool + " is not installed (apt-get install -y " + apt + ")");
    }
  }

  static void unavailable(String why) {
    if ("true".equals(System.getenv("CI"))) {
      fail(why);
    }
    Assumptions.abort(why);
  }

  static Commands.Result run(List<String> command) {
    return Commands.run(command);
  }

  static Commands.Result run(List<String> command, Map<String, String> env, boolean clearEnv) {
    return Commands.run(command, env, clearEnv);
  }
}
