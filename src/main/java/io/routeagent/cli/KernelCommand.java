package io.routeagent.cli;

import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.RtnetlinkClient;
import io.routeagent.reconcile.Planner;
import io.routeagent.reconcile.Reconciler;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/**
 * A command that reads the routes file and talks to the kernel: loads and validates the config
 * before opening the socket, so that an invalid file never reaches the kernel.
 */
abstract class KernelCommand implements Callable<Integer> {
  @ParentCommand RootCommand root;

  @Override
  public final Integer call() throws Exception {
    DesiredConfig config = root.loadConfig();
    Planner planner = new Planner(root.protocol);
    // Buffered: an apply of 100,000 routes prints as many lines.
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(
        new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16));
    try (RtnetlinkClient kernel = RtnetlinkClient.open()) {
      return run(config, new Reconciler(kernel, planner), out);
    } finally {
      out.flush();
    }
  }

  abstract int run(DesiredConfig config, Reconciler reconciler, PrintWriter out) throws Exception;
}
