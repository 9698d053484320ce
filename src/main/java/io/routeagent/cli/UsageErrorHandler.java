package io.routeagent.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A usage error: one line saying what was wrong and where the help is, and exit status 64
 * (EX_USAGE), which no command uses for anything else, so that a script never reads a typo as
 * "changes pending". No usage dump: the help is one command away.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    String command = cli.getCommandSpec().qualifiedName();
    cli.getErr().println(line(e, command));
    cli.getErr().flush();
    return ExitStatus.USAGE;
  }

  static String line(ParameterException e, String command) {
    String what = oneLine(e.getMessage());
    if (e instanceof UnmatchedArgumentException unmatched) {
      List<String> words = unmatched.getUnmatched();
      boolean hasSubcommands = !e.getCommandLine().getSubcommands().isEmpty();
      if (hasSubcommands && !words.isEmpty() && !words.get(0).startsWith("-")) {
        what = "unknown command '" + cut(words.get(0), 40) + "'";
      }
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        what += " (did you mean " + String.join(" or ", suggestions.stream().limit(3).toList()) + "?)";
      }
    } else if (what.startsWith("Missing required subcommand")) {
      what = "a COMMAND is needed";
    } else if (what.startsWith("Unknown subcommand ")) {
      // `help bogus`: picocli's help command words it its own way; one wording for one mistake
      what = "unknown command " + what.substring("Unknown subcommand ".length());
    }
    return command + ": " + what + "; see '" + command + " --help'";
  }

  /** picocli's message on one line, cut: it may quote whatever was typed. */
  private static String oneLine(String message) {
    String text = message == null ? "invalid usage" : message.strip();
    if (text.endsWith(".")) {
      text = text.substring(0, text.length() - 1);
    }
    return cut(text.replaceAll("\\s*\\R\\s*", " "), 200);
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "...";
  }
}
