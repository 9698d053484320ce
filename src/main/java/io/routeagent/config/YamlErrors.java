package io.routeagent.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Rewords snakeyaml's exceptions for an operator: a place from its marks, a sentence instead of
 * parser jargon, and never a class name or stack trace.
 */
final class YamlErrors {
  private YamlErrors() {}

  static ConfigProblem translate(
      String file, String text, YamlEngineException e, Optional<Mark> lastMark) {
    if (e instanceof ReaderException r) {
      return new ConfigProblem(
          SourceText.locateCodePoint(file, text, r.getPosition()),
          String.format("the character U+%04X is not allowed in YAML", r.getCodePoint()),
          "The routes file must be UTF-8 text; is it a binary file?");
    }
    if (e instanceof MarkedYamlEngineException m) {
      return marked(file, m, m.getProblemMark().or(m::getContextMark).or(() -> lastMark));
    }
    if (e instanceof GuardedParser.TooManyNodes) {
      return problem(file, lastMark, e.getMessage(), GuardedParser.TooManyNodes.HINT);
    }
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("Number of aliases")) {
      return problem(
          file,
          lastMark,
          "too many aliases to lists or mappings (more than the limit of "
              + message.substring(message.lastIndexOf('=') + 1)
              + ")",
          "Write the entries out instead: aliases are limited so that a \"billion laughs\""
              + " document cannot exhaust memory.");
    }
    return problem(file, lastMark, "malformed YAML: " + plain(message), null);
  }

  private static ConfigProblem problem(
      String file, Optional<Mark> mark, String message, String hint) {
    return mark.map(m -> new ConfigProblem(location(file, m), message, hint))
        .orElseGet(() -> ConfigProblem.ofFile(file, message, hint));
  }

  static Location location(String file, Mark mark) {
    return new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static ConfigProblem marked(String file, MarkedYamlEngineException m, Optional<Mark> at) {
    String problem = m.getProblem();
    String context = m.getContext() == null ? "" : m.getContext();
    if (problem.contains("(TAB)")) {
      return problem(
          file,
          at,
          "a tab is used for indentation",
          "YAML indents with spaces only: replace the tabs with spaces.");
    }
    if (problem.startsWith("expected <block end>")) {
      return problem(
          file,
          at,
          "this line is not indented like the lines before it",
          "Entries of one list or mapping must start in the same column.");
    }
    if (problem.startsWith("mapping values are not allowed")) {
      return problem(
          file,
          at,
          "unexpected ':' here",
          "Quote a value that contains \": \", or check the indentation.");
    }
    if (context.startsWith("expected a single document")) {
      return problem(
          file,
          at,
          "the file holds more than one YAML document",
          "Remove the \"---\" line: keep a single document per file.");
    }
    String opened =
        m.getContextMark()
            .map(
                mk ->
                    " (opened at line "
                        + (mk.getLine() + 1)
                        + ", column "
                        + (mk.getColumn() + 1)
                        + ")")
            .orElse("");
    String what = unclosed(context);
    if (problem.contains("end of stream") || problem.contains("<stream end>")) {
      String message =
          what != null
              ? what + opened + " is never closed"
              : "the file ends in the middle of a value";
      return problem(file, at, message, "Add the missing closing bracket or quote.");
    }
    if (what != null) {
      return problem(file, at, what + opened + ": " + plain(problem), null);
    }
    String where = context.isEmpty() ? "" : ", " + context + opened;
    return problem(file, at, "malformed YAML: " + plain(problem) + where, null);
  }

  /** The construct a "while parsing/scanning ..." context is about, if it has to be closed. */
  private static String unclosed(String context) {
    if (context.contains("flow sequence")) {
      return "the list started with '['";
    }
    if (context.contains("flow mapping")) {
      return "the mapping started with '{'";
    }
    if (context.contains("quoted scalar")) {
      return "the quoted string";
    }
    return null;
  }

  /** snakeyaml names tokens like "<block end>"; say it in words. */
  /**
   * snakeyaml's wording made plainer. Its messages quote the file (an alias's name, a tag, a
   * character), so each word is cut as {@link Quoted} cuts a token.
   */
  private static String plain(String problem) {
    return java.util.Arrays.stream(problem.split(" ", -1))
        .map(Quoted::cut)
        .collect(java.util.stream.Collectors.joining(" "))
        .replace("<stream end>", "the end of the file")
        .replace("<block end>", "the end of the indented block")
        .replace("<document start>", "the start of a document")
        .replace("<block sequence start>", "a list item")
        .replace("<block mapping start>", "a mapping");
  }
}
