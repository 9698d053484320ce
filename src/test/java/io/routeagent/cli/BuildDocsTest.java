package io.routeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The man page and the bash completion the build makes from the commands' picocli model. */
class BuildDocsTest {
  @TempDir Path dir;

  private Path build() throws IOException {
    BuildDocs.main(new String[] {dir.toString(), "9.8.7", "2026-11-24T00:00:00Z"});
    return dir;
  }

  @Test
  void theManPageIsWellFormedTroffAndRendersEveryCommandAndItsExitStatuses() throws IOException {
    Path page = build().resolve("route-agent.1");
    String troff = Files.readString(page);
    assertThat(troff).contains(".TH \"ROUTE\\-AGENT\" 1 \"2026\\-11\\-24\" \"route\\-agent 9.8.7\"");
    // No text line that troff would take for a request.
    assertThat(troff.lines().filter(l -> l.startsWith(".") || l.startsWith("'")))
        .allMatch(l -> l.matches("^\\.(\\\\\"|TH|SH|SS|PP|TP|B|BR|nh|hy|ad)( .*)?$"), "a request troff knows");

    // groff's own check: -ww warns about anything it cannot make sense of.
    Commands.Result lint = Commands.run(List.of("groff", "-man", "-Tutf8", "-ww", "-z", page.toString()));
    assertThat(lint.status()).as(lint.output()).isZero();
    assertThat(lint.output()).isEmpty();

    Commands.Result man = Commands.run(List.of("man", "-l", page.toString()), Map.of("MANWIDTH", "100", "MANPAGER", "cat"), false);
    assertThat(man.status()).as(man.output()).isZero();
    // Without overstrikes, and with one space where justification put several.
    String text = man.output().replaceAll(".\b", "").replaceAll("(?<=\\S) {2,}(?=\\S)", " ");
    assertThat(text).contains("NAME", "route-agent - keeps a declared set of Linux routes in place through rtnetlink",
        "SYNOPSIS", "OPTIONS", "--config PATH", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "ROUTE_AGENT_CONFIG",
        "FILES", "/etc/route-agent/policy.yaml");
    for (String command : List.of("run", "check", "plan", "apply", "status", "import", "help")) {
      assertThat(text).containsPattern("(?m)^ +route-agent " + command + "$");
    }
    assertThat(text).containsPattern("(?m)^ +64 usage error").containsPattern("(?m)^ +2 changes pending")
        .containsPattern("(?m)^ +77 without the privilege");
  }

  @Test
  void theBashCompletionCompletesCommandsAndOptions() throws IOException {
    Path completion = build().resolve("route-agent.bash");
    // compopt works only inside a completion bash runs itself: a no-op here.
    String script = "source " + completion + "\ncompopt() { :; }\n"
        + "complete_words() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE};"
        + " COMPREPLY=(); _complete_route-agent; echo \"${COMPREPLY[*]}\"; }\n"
        + "complete_words route-agent pl\n"
        + "complete_words route-agent status --j\n"
        + "complete -p route-agent\n";
    Commands.Result bash = Commands.run(List.of("bash", "-c", script));
    assertThat(bash.status()).as(bash.output()).isZero();
    assertThat(bash.output().lines().toList()).containsExactly("plan", "--json", "complete -o default -F _complete_route-agent route-agent");
  }
}
