package io.routeagent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * route-agent(1), written as troff (the man macros) straight from the picocli model that prints
 * each command's --help: the same descriptions, options and exit statuses, so the two cannot
 * disagree. Written directly rather than through picocli-codegen's AsciiDoc, which would need
 * Asciidoctor (Ruby, or JRuby through Maven) at every build to become a man page.
 */
final class ManPage {
  private ManPage() {}

  static String troff(CommandLine cli, String version, String date) {
    CommandSpec root = cli.getCommandSpec();
    String name = root.name();
    StringBuilder out = new StringBuilder();
    out.append(".\\\" Generated at build time from route-agent's picocli model (io.routeagent.cli.ManPage).\n");
    out.append(".TH ").append(quote(name.toUpperCase(Locale.ROOT))).append(" 1 ").append(quote(date))
        .append(' ').append(quote(name + " " + version)).append(" \"User Commands\"\n");
    out.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(summary(root))).append('\n');
    out.append(".SH SYNOPSIS\n").append(synopsis(root));
    out.append(".SH DESCRIPTION\n");
    paragraphs(out, root.usageMessage().description());
    out.append(".SH OPTIONS\n");
    options(out, root, false);
    out.append(".SH COMMANDS\n");
    for (CommandLine sub : cli.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      if (spec.usageMessage().hidden()) {
        continue;
      }
      out.append(".SS ").append(quote(spec.qualifiedName())).append('\n');
      out.append(synopsis(spec));
      out.append(".PP\n");
      paragraphs(out, spec.usageMessage().description());
      boolean any = spec.positionalParameters().stream().anyMatch(p -> !p.hidden())
          || spec.options().stream().anyMatch(o -> !o.hidden() && !o.inherited() && !o.usageHelp());
      if (any) {
        out.append(".PP\nOptions:\n");
        options(out, spec, true);
      }
      Map<String, String> codes = spec.usageMessage().exitCodeList();
      if (!codes.isEmpty()) {
        out.append(".PP\nExit status:\n");
        exitCodes(out, codes);
      }
    }
    out.append(".SH \"EXIT STATUS\"\n");
    exitCodes(out, root.usageMessage().exitCodeList());
    footer(out, root);
    out.append(".SH \"SEE ALSO\"\n")
        .append("Each command's own help: \\fB").append(escape(name)).append(" help\\fR \\fICOMMAND\\fR.\n.PP\n")
        .append(".BR ip-route (8),\n.BR ip-rule (8),\n.BR systemd.service (5)\n");
    return out.toString();
  }

  /** The first sentence of the description, as whatis(1) wants it: lower case, no full stop. */
  private static String summary(CommandSpec spec) {
    String first = text(spec.usageMessage().description()[0]);
    first = first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
    return Character.toLowerCase(first.charAt(0)) + first.substring(1);
  }

  private static String synopsis(CommandSpec spec) {
    String line = new CommandLine.Help(spec).synopsis(0).strip().replaceAll("\\s+", " ");
    return ".nh\n.ad l\n" + escape(line) + "\n.ad\n.hy\n";
  }

  /** Each element a paragraph; an empty element only separates. */
  private static void paragraphs(StringBuilder out, String[] description) {
    boolean first = true;
    for (String element : description) {
      String text = text(element);
      if (text.isBlank()) {
        continue;
      }
      if (!first) {
        out.append(".PP\n");
      }
      first = false;
      lines(out, text);
    }
  }

  /**
   * @param own only the command's own options and parameters, not those it inherits from the
   *     root (listed once, under OPTIONS) nor -h/--help
   */
  private static void options(StringBuilder out, CommandSpec spec, boolean own) {
    for (PositionalParamSpec param : spec.positionalParameters()) {
      if (!param.hidden()) {
        out.append(".TP\n\\fI").append(escape(param.paramLabel())).append("\\fR\n");
        lines(out, String.join(" ", texts(param.description())));
      }
    }
    for (OptionSpec option : spec.options()) {
      if (option.hidden() || (own && (option.inherited() || option.usageHelp()))) {
        continue;
      }
      StringBuilder tag = new StringBuilder();
      for (String n : option.names()) {
        tag.append(tag.length() == 0 ? "" : ", ").append("\\fB").append(escape(n)).append("\\fR");
      }
      if (option.arity().max() > 0) {
        tag.append(" \\fI").append(escape(option.paramLabel())).append("\\fR");
      }
      out.append(".TP\n").append(tag).append('\n');
      lines(out, String.join(" ", texts(option.description())));
    }
  }

  private static void exitCodes(StringBuilder out, Map<String, String> codes) {
    codes.forEach((code, meaning) ->
        out.append(".TP\n.B ").append(escape(code.strip())).append('\n').append(escape(text(meaning))).append('\n'));
  }

  /**
   * The root's footer: each unindented line ending in a colon a section (the footer's heading the
   * first), each indented entry a tagged paragraph: "  NAME  what" on one line, or a path with its
   * explanation indented deeper on the next.
   */
  private static void footer(StringBuilder out, CommandSpec root) {
    List<String> lines = new ArrayList<>();
    lines.add(text(root.usageMessage().footerHeading()).strip());
    for (String element : root.usageMessage().footer()) {
      lines.addAll(text(element).lines().toList());
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      if (!line.startsWith(" ") && line.endsWith(":")) {
        out.append(".SH ").append(quote(line.substring(0, line.length() - 1).toUpperCase(Locale.ROOT))).append('\n');
        continue;
      }
      int indent = indent(line);
      String entry = line.strip();
      if (i + 1 < lines.size() && indent(lines.get(i + 1)) > indent && !lines.get(i + 1).isBlank()) {
        out.append(".TP\n.B ").append(escape(entry)).append('\n').append(escape(lines.get(++i).strip())).append('\n');
      } else {
        String[] parts = entry.split("\\s{2,}", 2);
        out.append(".TP\n.B ").append(escape(parts[0])).append('\n')
            .append(parts.length > 1 ? escape(parts[1]) : "").append('\n');
      }
    }
  }

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }

  private static List<String> texts(String[] elements) {
    return java.util.Arrays.stream(elements).map(ManPage::text).toList();
  }

  /** picocli's format markers, as its help would print them. */
  private static String text(String element) {
    return element.replace("%n", "\n").replace("%%", "%");
  }

  private static void lines(StringBuilder out, String text) {
    text.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> out.append(escape(l)).append('\n'));
  }

  private static String quote(String text) {
    return '"' + escape(text).replace("\"", "\\(dq") + '"';
  }

  /** Text safe in a troff line: backslashes and minus signs escaped, no line taken for a request. */
  static String escape(String text) {
    String escaped = text.replace("\\", "\\e").replace("-", "\\-");
    return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
  }
}
