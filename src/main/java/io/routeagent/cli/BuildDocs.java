package io.routeagent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Run by the build (prepare-package): writes the man page and the bash completion, both from the
 * picocli model the commands' --help prints. Arguments: DIR VERSION DATE, the date as the build's
 * outputTimestamp (2026-11-24T00:00:00Z: its day is the page's date, the same at every build).
 */
public final class BuildDocs {
  private BuildDocs() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: BuildDocs DIR VERSION DATE");
    }
    Path dir = Files.createDirectories(Path.of(args[0]));
    write(dir.resolve("route-agent.1"), ManPage.troff(Main.commandLine(new RootCommand()), args[1], args[2].substring(0, Math.min(10, args[2].length()))));
    write(dir.resolve("route-agent.bash"), completion());
  }

  static String completion() {
    return AutoComplete.bash("route-agent", Main.commandLine(new RootCommand()));
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
