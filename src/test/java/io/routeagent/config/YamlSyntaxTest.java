package io.routeagent.config;

import static io.routeagent.config.Yaml.assertProblem;
import static io.routeagent.config.Yaml.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Documents that are not well-formed YAML, or that YAML could be abused with. */
class YamlSyntaxTest {
  @Test
  void tabsUsedForIndentation() {
    ConfigProblem p = problem("routes:\n\t- 10.0.0.0/8 dev eth0\n");
    assertProblem(p, 2, 1, "a tab is used for indentation");
    assertThat(p.hint()).contains("spaces");
  }

  @Test
  void unclosedBracket() {
    assertProblem(
        problem("routes: [10.0.0.0/8 dev eth0\n"),
        2,
        1,
        "the list started with '[' (opened at line 1, column 9) is never closed");
    assertProblem(
        problem("routes: [10.0.0.0/8 dev eth0,\n"), 2, 1, "the file ends in the middle of a value");
    assertProblem(
        problem("routes:\n  - { to: 10.0.0.0/8, dev: eth0\n"),
        3,
        1,
        "the mapping started with '{' (opened at line 2, column 5) is never closed");
  }

  @Test
  void unclosedQuote() {
    assertProblem(
        problem("routes:\n  - \"10.0.0.0/8 dev eth0\n"),
        3,
        1,
        "the quoted string (opened at line 2, column 5) is never closed");
  }

  @Test
  void badIndentation() {
    assertProblem(
        problem("routes:\n  - 10.0.0.0/8 dev eth0\n - 10.1.0.0/16 dev eth0\n"),
        3,
        2,
        "not indented like the lines before it");
  }

  @Test
  void colonInAPlainValue() {
    assertProblem(problem("routes:\n  - to: a: b\n"), 2, 10, "unexpected ':'");
  }

  @Test
  void moreThanOneDocument() {
    assertProblem(problem("routes: []\n---\nroutes: []\n"), 2, 1, "more than one YAML document");
  }

  @Test
  void undefinedAlias() {
    assertProblem(problem("routes: *nowhere\n"), 1, 9, "malformed YAML: found undefined alias");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n\n", "# nothing yet\n# really\n", "---\n", "--- # empty\n...\n"})
  void emptyFilesAreRefused(String text) {
    ConfigProblem p = problem(text);
    assertThat(p.location()).isNull();
    assertThat(p.toString())
        .isEqualTo(
            "routes.yaml: the file is empty. Write `routes: []` to remove every route on purpose;"
                + " an empty file is refused so that a half-written one never wipes the routing"
                + " table.");
  }

  @Test
  void binaryGarbage() {
    assertProblem(
        problem("routes:\n  - 10.0.0.0/8\0dev eth0\n"),
        2,
        15,
        "the character U+0000 is not allowed");
    assertProblem(problem("\u0007\u0001\u0002"), 1, 1, "the character U+0007 is not allowed");
  }

  @Test
  void billionLaughsFailsFast() {
    StringBuilder yaml =
        new StringBuilder("routes:\n  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int level = 1; level < 10; level++) {
      yaml.append("  - &a").append(level).append(" [");
      for (int i = 0; i < 9; i++) {
        yaml.append(i == 0 ? "" : ", ").append("*a").append(level - 1);
      }
      yaml.append("]\n");
    }
    ConfigProblem p =
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> problem(yaml.toString()));
    // The 51st alias to a list is the 6th on line 8.
    assertProblem(p, 8, 35, "too many aliases to lists or mappings");
    assertThat(p.hint()).contains("billion laughs");
  }

  @Test
  void aFewAliasesAreFine() throws ConfigException {
    assertThat(
            Yaml.routes(
                "routes:\n"
                    + "  - { to: 10.0.0.0/8, dev: &d eth0 }\n"
                    + "  - { to: 10.1.0.0/16, dev: *d }\n"))
        .extracting(r -> r.dev().describe())
        .containsExactly("eth0", "eth0");
  }

  @Test
  void deepNestingFailsFast() {
    String yaml = "routes: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
    ConfigProblem p = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> problem(yaml));
    assertProblem(p, 1, 9 + GuardedParser.MAX_DEPTH - 1, "nested more than 16 levels deep");
  }

  @Test
  void textOverTheSizeLimit() {
    String yaml = "routes: []\n" + " ".repeat(ConfigLoader.MAX_FILE_SIZE);
    ConfigProblem p = problem(yaml);
    assertThat(p.location()).isNull();
    assertThat(p.message()).isEqualTo("the file is larger than the limit of 8 MiB");
  }

  @Test
  void aComposedDocumentOverTheNodeLimitIsRefusedWhereItPassesIt() {
    // A rules key makes the document one to compose; each "- x" is one node.
    String yaml = "rules: []\nroutes:\n" + "- x\n".repeat(GuardedParser.MAX_NODES);
    ConfigProblem p = problem(yaml);
    assertThat(p.location().line()).isEqualTo(GuardedParser.MAX_NODES - 2);
    assertThat(p.message())
        .isEqualTo(
            "the file holds more than 300000 values, lists and mappings, the limit for a file"
                + " with rules, anchors or tags");
    assertThat(p.hint()).startsWith("Write the routes as one-line strings");
  }
}
