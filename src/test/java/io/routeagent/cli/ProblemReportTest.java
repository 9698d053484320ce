package io.routeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.ConfigException;
import io.routeagent.config.ConfigProblem;
import io.routeagent.config.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file with thousands of problems: check, plan and apply print the first 20 in order and one
 * line that counts the rest by kind; check --all prints every one. (A file of 35,000 duplicate
 * entries once printed 35,000 lines.)
 */
class ProblemReportTest {
  @TempDir Path dir;

  private static Run run(String... args) {
    return Run.of(args);
  }

  private Path duplicates(int copies) throws IOException {
    StringBuilder yaml = new StringBuilder("routes:\n");
    for (int i = 0; i < copies; i++) {
      yaml.append("  - 10.0.0.0/16 via 172.31.64.1\n");
    }
    return Files.writeString(dir.resolve("routes.yaml"), yaml);
  }

  @Test
  void thirtyFiveThousandDuplicatesPrintTwentyThenOneLineOfTheirKind() throws IOException {
    Path routes = duplicates(35_001);

    Run check = run("--config", routes.toString(), "check");

    assertThat(check.status()).isEqualTo(1);
    List<String> lines = check.err().lines().toList();
    assertThat(lines).hasSize(22);
    for (int i = 0; i < 20; i++) {
      assertThat(lines.get(i)).startsWith(routes + ":" + (i + 3) + ":5: duplicate route 10.0.0.0/16");
    }
    assertThat(lines.get(20)).isEqualTo("and 34980 more (same kind: duplicate route); route-agent check --all lists every one");
    assertThat(lines.get(21)).isEqualTo("route-agent: the routes file is not valid; nothing was changed");
  }

  @Test
  void checkAllPrintsEveryProblem() throws IOException {
    Path routes = duplicates(3_001);

    Run check = run("--config", routes.toString(), "check", "--all");

    assertThat(check.status()).isEqualTo(1);
    List<String> lines = check.err().lines().toList();
    assertThat(lines).hasSize(3_001);
    assertThat(lines.get(2_999)).startsWith(routes + ":3002:5: duplicate route 10.0.0.0/16");
    assertThat(check.err()).doesNotContain("more (");
  }

  @Test
  void aFewProblemsArePrintedAsTheyAre() throws IOException {
    Run check = run("--config", duplicates(4).toString(), "check");
    assertThat(check.err().lines().filter(l -> l.contains("duplicate route"))).hasSize(3);
    assertThat(check.err()).doesNotContain("more (");
  }

  @Test
  void mixedKindsAreCountedMostFrequentFirst() {
    List<ConfigProblem> problems = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      problems.add(new ConfigProblem(new Location("r.yaml", i, 5), "duplicate route 10." + i + ".0.0/16 (table main)", null));
    }
    problems.add(new ConfigProblem(new Location("r.yaml", 31, 5), "unknown key \"vai\"", "Did you mean \"via\"?"));
    ConfigException e = new ConfigException(problems, 7, false,
        Map.of("unknown key", 4, "10.0.0.1/8 has host bits set", 3));

    List<String> lines = ProblemReport.lines(e, false);

    assertThat(lines).hasSize(21);
    assertThat(lines.get(20)).isEqualTo(
        "and 18 more (10 duplicate route, 5 unknown key, 3 10.0.0.1/8 has host bits set); route-agent check --all lists every one");
  }

  @Test
  void omittedProblemsOfUnknownKindAreCountedAndSaidSo() {
    List<ConfigProblem> problems = new ArrayList<>();
    for (int i = 1; i <= 21; i++) {
      problems.add(new ConfigProblem(new Location("r.yaml", i, 5), "duplicate route 10." + i + ".0.0/16", null));
    }
    List<String> lines = ProblemReport.lines(new ConfigException(problems, 9), false);
    assertThat(lines.get(20)).startsWith("and 10 more (1 duplicate route, ...)");
  }

  @Test
  void aProblemsKindIsItsWordsBeforeTheFirstParticularValue() {
    assertThat(kind("duplicate route 10.0.0.0/16 (table main, metric 0): already declared at r.yaml:3:5"))
        .isEqualTo("duplicate route");
    assertThat(kind("unknown key \"vai\"")).isEqualTo("unknown key");
    assertThat(kind("a key must be a single word, not a list")).isEqualTo("a key must be a single word");
    assertThat(kind("the kernel's table is full")).isEqualTo("the kernel's table is full");
    assertThat(kind("10.0.0.1/8 has host bits set")).isEqualTo("... has host bits set");
  }

  private static String kind(String message) {
    return new ConfigProblem(new Location("r.yaml", 1, 1), message, null).kind();
  }
}
