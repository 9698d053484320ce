package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.ConfigLoader;
import io.routeagent.testing.Commands;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The routes files' caps (README, "The routes file"): a file at each cap works in check, apply and
 * run with the launcher's default flags; one entry past it is one clear line, never an
 * OutOfMemoryError.
 */
class CapsIT extends DaemonTestBase {
  /** The most mapping routes (nine YAML nodes each) under the node cap of a composed file. */
  static final int COMPOSED_ROUTES = 33_000;

  /** {@code count} routes 10.X.Y.Z/32 on eth2, as one-line strings or as mappings. */
  private Path routesFile(String name, int count, boolean composed) throws IOException {
    Path file = dir.resolve(name);
    try (Writer out = Files.newBufferedWriter(file)) {
      out.write(composed ? "rules: []\nroutes:\n" : "routes:\n");
      for (int i = 0; i < count; i++) {
        String to = "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255) + "/32";
        out.write(composed
            ? "  - { to: " + to + ", via: 172.31.64.1, dev: eth2, metric: 7 }\n"
            : "  - " + to + " via 172.31.64.1 dev eth2\n");
      }
    }
    return file;
  }

  private int ownedRoutes() {
    return (int) ns.ip("route", "show", "proto", "157").lines().count();
  }

  @Test
  void theMostRoutesAllowedWorkInCheckApplyAndRun() throws IOException {
    Path file = routesFile("routes.yaml", ConfigLoader.MAX_ENTRIES, false);
    Commands.Result checked = ns.agent(file, "check");
    assertThat(checked.status()).as(checked.output()).isZero();
    assertThat(checked.output()).contains("valid, 100000 routes");

    Commands.Result applied = ns.agent(file, "apply");
    assertThat(applied.status()).as(applied.output()).isZero();
    assertThat(ownedRoutes()).isEqualTo(ConfigLoader.MAX_ENTRIES);

    ns.ip("route", "flush", "proto", "157");
    AgentProcess agent = launch(Map.of()).awaitHealthy();
    ns.awaitIp(table -> table.lines().count() == ConfigLoader.MAX_ENTRIES, SOON.multipliedBy(10),
        agent::log, "route", "show", "proto", "157");
    assertThat(agent.log()).doesNotContain("OutOfMemoryError");
  }

  @Test
  void oneRoutePastTheCapIsOneClearLine() throws IOException {
    Path file = routesFile("routes.yaml", ConfigLoader.MAX_ENTRIES + 1, false);
    Commands.Result checked = ns.agent(file, "check");
    assertThat(checked.status()).isEqualTo(1);
    assertThat(checked.output())
        .contains("routes.yaml: with this file the routes files declare more than 100000 routes and"
            + " rules, the limit")
        .doesNotContain("Exception");
  }

  @Test
  void aComposedFileAtTheNodeCapWorksInCheckAndApply() throws IOException {
    Path file = routesFile("routes.yaml", COMPOSED_ROUTES, true);
    Commands.Result checked = ns.agent(file, "check");
    assertThat(checked.status()).as(checked.output()).isZero();
    Commands.Result applied = ns.agent(file, "apply");
    assertThat(applied.status()).as(applied.output()).isZero();
    assertThat(ownedRoutes()).isEqualTo(COMPOSED_ROUTES);

    Path over = routesFile("over.yaml", COMPOSED_ROUTES + 400, true);
    Commands.Result refused = ns.agent(over, "check");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.output()).contains("values, lists and mappings, the limit").doesNotContain("Exception");
  }
}
