package io.routeagent.cli;

import io.routeagent.reconcile.Planner;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The command lines people type most, {@code check}, {@code plan}, {@code apply} and {@code status}
 * with the options they take, and the daemon's {@code run} as its unit starts it, parsed and run
 * without picocli: picocli builds its model of every
 * command by reflection before it parses a word, and its classes (Java 5 class files) cannot go into
 * the bundle's AOT cache; that was most of a one-shot command's start (bench/README.md, "Issue 16:
 * one-shot commands"). Anything else, or anything this parser is not sure of (help, a version, an
 * unknown, repeated or abbreviated option, a value that looks like an option or a command, an
 * {@code @file}, {@code --}), is left to picocli, which decides it as before. {@code QuickLineTest}
 * holds the two to the same result on every line this one accepts.
 */
final class QuickLine {
  private QuickLine() {}

  private static final Set<String> COMMANDS = Set.of("run", "check", "plan", "apply", "status", "import", "help");

  /**
   * The command {@code args} name, its options and its parent's options set as picocli would set
   * them, or null when picocli must parse this line.
   */
  static Callable<Integer> parse(RootCommand root, String... args) {
    Callable<Integer> command = null;
    String name = null;
    Path config = null;
    Path policy = null;
    Path stateDir = null;
    Path lockDir = null;
    int protocol = RootCommand.DEFAULT_PROTOCOL;
    boolean debug = false;
    boolean flag = false;
    String metricsAddress = null;
    String resyncInterval = null;
    String logFile = null;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        if (name != null || !COMMANDS.contains(arg)) {
          return null;
        }
        name = arg;
        continue;
      }
      String option = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (equals >= 0) {
        option = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (!seen.add(option)) {
        return null;
      }
      boolean global = option.equals("--config") || option.equals("--policy") || option.equals("--protocol")
          || option.equals("--state-dir") || option.equals("--debug");
      if (!global && name == null) {
        return null;
      }
      boolean takesValue = !option.equals("--debug") && !option.equals("--json") && !option.equals("--all")
          && !option.equals("--force");
      if (takesValue && value == null) {
        if (i + 1 == args.length) {
          return null;
        }
        value = args[++i];
      } else if (!takesValue && value != null) {
        return null;
      }
      if (takesValue && !plain(value)) {
        return null;
      }
      switch (option) {
        case "--config" -> config = Path.of(value);
        case "--policy" -> policy = Path.of(value);
        case "--state-dir" -> stateDir = Path.of(value);
        case "--protocol" -> {
          if (!value.matches("[0-9]{1,9}") || Planner.protocolProblem(Integer.parseInt(value)) != null) {
            return null;
          }
          protocol = Integer.parseInt(value);
        }
        case "--debug" -> debug = true;
        case "--lock-dir" -> {
          if (name.equals("check")) {
            return null;
          }
          lockDir = Path.of(value);
        }
        case "--json" -> {
          if (!name.equals("status")) {
            return null;
          }
          flag = true;
        }
        case "--all" -> {
          if (!name.equals("check")) {
            return null;
          }
          flag = true;
        }
        case "--force" -> {
          if (!name.equals("apply")) {
            return null;
          }
          flag = true;
        }
        case "--metrics-address" -> {
          if (!name.equals("run")) {
            return null;
          }
          metricsAddress = value;
        }
        case "--resync-interval" -> {
          if (!name.equals("run")) {
            return null;
          }
          resyncInterval = value;
        }
        case "--log-file" -> {
          if (!name.equals("run")) {
            return null;
          }
          logFile = value;
        }
        default -> {
          return null;
        }
      }
    }
    if (name == null) {
      return null;
    }
    LockDirOption lock = new LockDirOption();
    lock.lockDir = lockDir;
    switch (name) {
      case "check" -> {
        CheckCommand check = new CheckCommand();
        check.root = root;
        check.help = new HelpOption();
        check.all = flag;
        command = check;
      }
      case "status" -> {
        StatusCommand status = new StatusCommand();
        status.root = root;
        status.help = new HelpOption();
        status.lockDir = lock;
        status.json = flag;
        command = status;
      }
      case "plan" -> {
        PlanCommand plan = new PlanCommand();
        plan.root = root;
        plan.help = new HelpOption();
        plan.lockDir = lock;
        command = plan;
      }
      case "apply" -> {
        ApplyCommand apply = new ApplyCommand();
        apply.root = root;
        apply.help = new HelpOption();
        apply.lockDir = lock;
        apply.force = flag;
        command = apply;
      }
      case "run" -> {
        RunCommand run = new RunCommand();
        run.root = root;
        run.help = new HelpOption();
        run.lockDir = lock;
        // picocli's defaults (RunCommand's @Option defaultValue)
        run.metricsAddress = metricsAddress != null ? metricsAddress : RunCommand.DEFAULT_METRICS_ADDRESS;
        run.resyncInterval = resyncInterval != null ? resyncInterval : RunCommand.DEFAULT_RESYNC_INTERVAL;
        run.logFile = logFile;
        if (!run.valid()) {
          return null; // picocli reports the usage error
        }
        command = run;
      }
      default -> {
        return null;
      }
    }
    root.config = config;
    root.policy = policy;
    root.stateDir = stateDir;
    root.protocol = protocol;
    root.debug = debug;
    return command;
  }

  /** Runs the command as picocli's {@code execute} would: its status, or its failure reported. */
  static int run(RootCommand root, Callable<Integer> command) {
    try {
      return command.call();
    } catch (Exception e) {
      return FailureHandler.report(e, root, stderr());
    }
  }

  /**
   * A value picocli takes as it is: not empty, not an option, a command or an {@code @file}, and
   * a path (on Linux only a NUL makes a string no path).
   */
  private static boolean plain(String value) {
    return !value.isEmpty() && !value.startsWith("-") && !value.startsWith("@") && !COMMANDS.contains(value)
        && value.indexOf('\0') < 0;
  }

  /** Standard output as picocli's {@code getOut()} writes to it. */
  static PrintWriter stdout() {
    return writer(System.out, "sun.stdout.encoding");
  }

  /** Standard error as picocli's {@code getErr()} writes to it. */
  static PrintWriter stderr() {
    return writer(System.err, "sun.stderr.encoding");
  }

  /** picocli's own writer: buffered, flushed at each line, in the encoding picocli picks. */
  private static PrintWriter writer(PrintStream stream, String property) {
    String encoding = System.getProperty(property);
    Charset charset;
    if (encoding == null) {
      charset = Charset.defaultCharset();
    } else {
      try {
        charset = Charset.forName("cp65001".equalsIgnoreCase(encoding) ? "UTF-8" : encoding);
      } catch (RuntimeException e) {
        charset = Charset.defaultCharset();
      }
    }
    return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
  }
}
