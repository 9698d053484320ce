package io.routeagent.cli;

import io.routeagent.config.DeviceSelector;
import io.routeagent.config.TableNames;
import io.routeagent.kernel.FileAccessException;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.kernel.RtnetlinkClient;
import io.routeagent.migrate.Entry;
import io.routeagent.migrate.KernelExport;
import io.routeagent.migrate.Rejection;
import io.routeagent.migrate.RoutesFileWriter;
import io.routeagent.migrate.ScriptTranslator;
import io.routeagent.migrate.Translation;
import io.routeagent.migrate.UnknownInterface;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "import",
    description = {
      "Write a routes file (on stdout) from the `ip route add`, `ip route replace`, `ip rule add` and"
          + " `route add` lines of a shell script, such as a lifecycle script, or from the kernel's"
          + " current routes and rules.",
      "Other lines are ignored. A route command that cannot be translated is listed on stderr with"
          + " its line number and why."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:everything was translated",
      "1:some command could not be translated (listed on stderr), the file cannot be read, or the"
          + " interface --dev names does not exist (then nothing is written)",
      ExitStatus.USAGE_LINE
    })
final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HelpOption help;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description = "The script to read, or - for standard input.")
  String file;

  @Option(
      names = "--from-kernel",
      description = "Capture the kernel's routes and rules instead: all but those the kernel made"
          + " itself (protocol kernel, rules 0, 32766, 32767), the local table, cached clones, and"
          + " ec2-net-utils' rules and tables (10000-11999).")
  boolean fromKernel;

  @Option(
      names = "--dev",
      paramLabel = "IF",
      description = "With --from-kernel: only the routes through this interface, and the rules naming it.")
  String dev;

  @Override
  public Integer call() throws Exception {
    if (fromKernel == (file != null)) {
      throw new ParameterException(spec.commandLine(), "Give a script FILE (- for stdin), or --from-kernel.");
    }
    if (dev != null && !fromKernel) {
      throw new ParameterException(spec.commandLine(), "--dev goes with --from-kernel.");
    }
    if (dev != null) {
      Optional<String> problem = DeviceSelector.Name.problem(dev);
      if (problem.isPresent()) {
        throw new ParameterException(spec.commandLine(), "--dev: " + problem.get());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TableNames tables = TableNames.system();
    Translation translation;
    String header;
    if (fromKernel) {
      KernelSnapshot snapshot;
      try (RtnetlinkClient kernel = RtnetlinkClient.open()) {
        snapshot = kernel.snapshot();
      }
      try {
        translation = new KernelExport(tables).export(snapshot, dev);
      } catch (UnknownInterface e) {
        err.println("route-agent: " + e.getMessage() + "; nothing was written");
        return ExitStatus.ERROR;
      }
      header = "Captured by `route-agent import --from-kernel" + (dev == null ? "" : " --dev " + dev) + "`.";
      if (translation.routes().stream().allMatch(Entry::commentedOut)) {
        err.println("route-agent: note: no route to capture" + (dev == null ? "" : " through " + dev)
            + ": the file says `routes: []`, which applied removes every route the agent owns");
      }
    } else {
      String script;
      try {
        script = read(file);
      } catch (NoSuchFileException e) {
        err.println("route-agent: " + file + ": the file does not exist");
        return ExitStatus.ERROR;
      } catch (IOException e) {
        err.println("route-agent: " + file + ": cannot read it: " + FileAccessException.describe(e));
        return ExitStatus.ERROR;
      }
      translation = new ScriptTranslator(tables).translate(script);
      header = "Imported by `route-agent import` from " + (file.equals("-") ? "standard input" : file) + ".";
    }
    out.print(RoutesFileWriter.write(header, translation.routes(), translation.rules()));
    out.flush();
    for (Entry entry : translation.entries()) {
      if (entry.note() != null) {
        err.println("route-agent: note: " + entry.origin() + "\n    " + entry.note());
      }
    }
    for (Rejection rejection : translation.rejected()) {
      err.println("route-agent: cannot translate " + rejection);
    }
    err.flush();
    return translation.rejected().isEmpty() ? ExitStatus.OK : ExitStatus.ERROR;
  }

  private static String read(String file) throws IOException {
    if (file.equals("-")) {
      return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
