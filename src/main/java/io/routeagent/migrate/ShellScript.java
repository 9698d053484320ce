package io.routeagent.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell script into simple commands, as far as a lifecycle script needs: quotes,
 * backslash escapes and line continuations, comments, the separators {@code ; && || | &} and
 * parentheses, redirections (dropped), and here-documents (skipped, so that text written into a
 * file is not taken for commands). It does not expand anything: a word that would need the shell
 * to expand it ({@code $VAR}, {@code $(...)}, backquotes, globs) is marked dynamic, and its
 * command cannot be translated.
 */
final class ShellScript {
  private ShellScript() {}

  /** A word of a command, without its quotes; dynamic when the shell would rewrite it. */
  record Word(String text, boolean dynamic) {}

  /**
   * One simple command.
   *
   * @param line the line it starts on, from 1
   * @param source the physical lines it spans, continuations joined by a space
   * @param words its words, redirections removed
   */
  record Command(int line, String source, List<Word> words) {}

  static List<Command> commands(String script) {
    return new Splitter(script).run();
  }

  private static final class Splitter {
    private final String text;
    private final List<Command> commands = new ArrayList<>();
    private final List<String> pendingHereDocs = new ArrayList<>();
    private final List<Boolean> pendingHereDocTabs = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int commandLine;
    /** Where the current logical line (physical lines joined by continuations) starts. */
    private int logicalStart;
    private List<Word> words = new ArrayList<>();
    private StringBuilder word;
    private boolean dynamic;

    Splitter(String text) {
      this.text = text;
    }

    List<Command> run() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (word == null && (c == ' ' || c == '\t' || c == '\r')) {
          pos++;
        } else if (c == '\n') {
          endWord();
          endCommand(pos);
          pos++;
          line++;
          skipHereDocs();
          logicalStart = pos;
        } else if (c == '#' && word == null) {
          while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
          }
        } else if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
          endWord();
          endCommand(pos);
          pos++;
          while (pos < text.length() && "&|".indexOf(text.charAt(pos)) >= 0) {
            pos++;
          }
        } else if (c == '>' || c == '<') {
          redirection();
        } else if (c == ' ' || c == '\t' || c == '\r') {
          endWord();
          pos++;
        } else {
          wordChar(c);
        }
      }
      endWord();
      endCommand(pos);
      return commands;
    }

    private void wordChar(char c) {
      if (word == null) {
        if (words.isEmpty()) {
          commandLine = line;
        }
        word = new StringBuilder();
        dynamic = false;
        // "2>/dev/null": a word of digits followed by a redirection operator is its fd number.
        int end = pos;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
          end++;
        }
        if (end > pos && end < text.length() && (text.charAt(end) == '>' || text.charAt(end) == '<')) {
          pos = end;
          word = null;
          redirection();
          return;
        }
      }
      switch (c) {
        case '\\' -> {
          if (pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
            pos += 2; // a line continuation
            line++;
            if (word.length() == 0) {
              word = null;
            }
            return;
          }
          if (pos + 1 < text.length()) {
            word.append(text.charAt(pos + 1));
          }
          pos += 2;
        }
        case '\'' -> {
          int close = text.indexOf('\'', pos + 1);
          int end = close < 0 ? text.length() : close;
          appendCounting(text.substring(pos + 1, end));
          pos = end + 1;
        }
        case '"' -> doubleQuoted();
        case '$', '`' -> expansion(c);
        case '*', '?', '[', '~' -> {
          dynamic = true;
          word.append(c);
          pos++;
        }
        default -> {
          word.append(c);
          pos++;
        }
      }
    }

    private void doubleQuoted() {
      pos++;
      while (pos < text.length() && text.charAt(pos) != '"') {
        char c = text.charAt(pos);
        if (c == '\\' && pos + 1 < text.length() && "$`\"\\\n".indexOf(text.charAt(pos + 1)) >= 0) {
          if (text.charAt(pos + 1) == '\n') {
            line++;
          } else {
            word.append(text.charAt(pos + 1));
          }
          pos += 2;
        } else if (c == '$' || c == '`') {
          expansion(c);
        } else {
          if (c == '\n') {
            line++;
          }
          word.append(c);
          pos++;
        }
      }
      pos++;
    }

    /** $NAME, ${...}, $(...) or `...`: kept as written, and the word marked dynamic. */
    private void expansion(char c) {
      dynamic = true;
      int start = pos;
      pos++;
      if (c == '`') {
        while (pos < text.length() && text.charAt(pos) != '`') {
          pos++;
        }
        pos++;
      } else if (pos < text.length() && (text.charAt(pos) == '(' || text.charAt(pos) == '{')) {
        char open = text.charAt(pos);
        char close = open == '(' ? ')' : '}';
        int depth = 0;
        while (pos < text.length()) {
          char d = text.charAt(pos++);
          if (d == open) {
            depth++;
          } else if (d == close && --depth == 0) {
            break;
          }
        }
      } else {
        while (pos < text.length()
            && (Character.isLetterOrDigit(text.charAt(pos)) || "_@*#?$!-".indexOf(text.charAt(pos)) >= 0)) {
          pos++;
          if (!Character.isLetterOrDigit(text.charAt(pos - 1)) && text.charAt(pos - 1) != '_') {
            break; // a special parameter is one character
          }
        }
      }
      appendCounting(text.substring(start, Math.min(pos, text.length())));
    }

    private void appendCounting(String s) {
      line += (int) s.chars().filter(ch -> ch == '\n').count();
      word.append(s);
    }

    /** Drops a redirection and its target word; a here-document's body is skipped later. */
    private void redirection() {
      endWord();
      boolean hereDoc = text.startsWith("<<", pos) && !text.startsWith("<<<", pos);
      while (pos < text.length() && "<>&|-".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      boolean tabs = hereDoc && text.charAt(pos - 1) == '-';
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
        pos++;
      }
      List<Word> saved = words;
      words = new ArrayList<>();
      while (pos < text.length() && " \t\r\n;&|()<>".indexOf(text.charAt(pos)) < 0) {
        wordChar(text.charAt(pos));
      }
      endWord();
      if (hereDoc && !words.isEmpty()) {
        pendingHereDocs.add(words.get(0).text());
        pendingHereDocTabs.add(tabs);
      }
      words = saved;
    }

    private void skipHereDocs() {
      for (int i = 0; i < pendingHereDocs.size(); i++) {
        String delimiter = pendingHereDocs.get(i);
        boolean tabs = pendingHereDocTabs.get(i);
        while (pos < text.length()) {
          int end = text.indexOf('\n', pos);
          int stop = end < 0 ? text.length() : end;
          String body = text.substring(pos, stop);
          pos = end < 0 ? text.length() : end + 1;
          line++;
          if ((tabs ? body.replaceFirst("^\t+", "") : body).equals(delimiter)) {
            break;
          }
        }
      }
      pendingHereDocs.clear();
      pendingHereDocTabs.clear();
    }

    private void endWord() {
      if (word != null) {
        words.add(new Word(word.toString(), dynamic));
        word = null;
      }
    }

    private void endCommand(int end) {
      if (!words.isEmpty()) {
        commands.add(new Command(commandLine, oneLine(text.substring(logicalStart, logicalEnd(end))), words));
      }
      words = new ArrayList<>();
    }

    /** The end of the logical line that holds {@code from}: a newline not escaped by a backslash. */
    private int logicalEnd(int from) {
      int end = from;
      while (end < text.length()) {
        if (text.charAt(end) == '\\') {
          end += 2;
        } else if (text.charAt(end) == '\n') {
          return end;
        } else {
          end++;
        }
      }
      return text.length();
    }

    private static String oneLine(String source) {
      return source.replaceAll("\\s*\\\\\\r?\\n\\s*", " ").replaceAll("[\\p{Cntrl}&&[^\t]]", " ").strip();
    }
  }
}
