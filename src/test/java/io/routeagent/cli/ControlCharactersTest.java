package io.routeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.ConfigException;
import io.routeagent.config.ConfigLoader;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.TableNames;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RouteStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routes directory is the notebook user's: a value or a drop-in's name holding a newline, a
 * journald priority prefix or a terminal escape is printed on one line, escaped, never raw.
 */
class ControlCharactersTest {
  @TempDir Path dir;

  private static final String FORGED = "eth2\\n<2>sshd[1]: FORGED root login from 6.6.6.6\\e[2J";
  private static final String SHOWN = "eth2\\n<2>sshd[1]: FORGED root login from 6.6.6.6\\x1b[2J";

  private static void assertNoControlCharacters(String output) {
    assertThat(output.chars().filter(c -> c != '\n' && (c < 0x20 || c == 0x7f))).as(output).isEmpty();
  }

  @Test
  void checkPrintsOneLinePerProblemWithTheEscapeVisible() throws IOException {
    Path routes = Files.writeString(dir.resolve("routes.yaml"),
        "routes:\n  - to: 10.0.0.0/16\n    via: 172.31.64.1\n    dev: \"" + FORGED + "\"\n");

    Run check = Run.of("--config", routes.toString(), "check");

    assertThat(check.status()).isEqualTo(1);
    assertThat(check.err().lines().toList()).containsExactly(
        routes + ":4:10: interface name \"" + SHOWN + "\" is 51 bytes long; the kernel allows at most 15. Use the"
            + " name `ip link` shows: at most 15 bytes, without '/', ':' or spaces.",
        "route-agent: the routes file is not valid; nothing was changed");
    assertNoControlCharacters(check.out() + check.err());
  }

  @Test
  void aDropInsNameIsShownEscaped() throws IOException {
    Path routes = Files.writeString(dir.resolve("routes.yaml"), "routes:\n  - 10.0.0.0/16 via 172.31.64.1\n");
    Path dropIns = Files.createDirectory(dir.resolve("routes.d"));
    Files.writeString(dropIns.resolve("a.yaml\n<2>sshd[1]: FORGED\u001b[2J.yaml"), "routes:\n  - 10.1.0.0/16 via 172.31.64.1\n");

    Run valid = Run.of("--config", routes.toString(), "check");

    assertThat(valid.status()).as(valid.err()).isZero();
    assertThat(valid.out().lines().toList()).containsExactly(
        routes + ", " + dropIns + "/a.yaml\\n<2>sshd[1]: FORGED\\x1b[2J.yaml: valid, 2 routes");

    Files.writeString(dropIns.resolve("b\n<2>forged.yaml"), "routes:\n  - 10.2.0.0/16 bogus\n");
    Run invalid = Run.of("--config", routes.toString(), "check");

    assertThat(invalid.status()).isEqualTo(1);
    List<String> lines = invalid.err().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith(dropIns + "/b\\n<2>forged.yaml:2:").contains("\"bogus\"");
    assertNoControlCharacters(valid.out() + valid.err() + invalid.out() + invalid.err());
  }

  @Test
  void aBidiOverrideInATokenIsShownEscaped() throws IOException {
    Path routes = Files.writeString(dir.resolve("routes.yaml"),
        "routes:\n  - to: 10.0.0.0/16\n    via: 172.31.64.1\n    \"de\u202ev\": eth2\n");

    Run check = Run.of("--config", routes.toString(), "check");

    assertThat(check.status()).isEqualTo(1);
    assertThat(check.err()).contains("unknown key \"de\\u202ev\"").doesNotContain("\u202e");
  }

  /** The kernel takes an interface name with an escape character in it: status shows it escaped. */
  @Test
  void aRouteLineShowsAnInterfaceNameEscaped() throws ConfigException {
    RouteSpec spec = new ConfigLoader(TableNames.of(java.util.Map.of()))
        .parse("routes.yaml", "routes:\n  - to: 10.0.0.0/16\n    via: 172.31.64.1\n    dev: \"eth\\e[2J\"\n")
        .routes().get(0);

    String line = Output.statusLine(new RouteStatus(spec, RouteState.WAITING, "interface eth\u001b[2J is absent", null));

    assertThat(line).isEqualTo("waiting    10.0.0.0/16 via 172.31.64.1 dev eth\\x1b[2J  (interface eth\\x1b[2J is absent)");
  }
}
