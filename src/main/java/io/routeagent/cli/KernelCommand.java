package io.routeagent.cli;

import io.routeagent.config.ConfigException;
import io.routeagent.config.DesiredConfig;
import io.routeagent.config.Printable;
import io.routeagent.kernel.KernelException;
import io.routeagent.daemon.Wiring;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.kernel.RouteKernel;
import io.routeagent.reconcile.Planner;
import io.routeagent.reconcile.Reconciler;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import picocli.CommandLine.ParentCommand;

/**
 * A command that reads the routes file and talks to the kernel. The socket is opened and the
 * kernel's table read (both read-only) on a second thread while this one parses the routes file,
 * which halves a cold start; nothing is sent to change the kernel unless the whole file is valid.
 * A config problem wins over a kernel problem, as it would if the two were done in turn.
 */
abstract class KernelCommand implements Callable<Integer> {
  @ParentCommand RootCommand root;

  /** The socket and the table as it was read on opening. */
  private record Opened(Wiring.Opened kernel, KernelSnapshot snapshot) {}

  @Override
  public final Integer call() throws Exception {
    UnaryOperator<RouteKernel> kernelView = root.kernelView;
    FutureTask<Opened> opening = new FutureTask<>(() -> open(kernelView));
    Thread opener = new Thread(opening, "route-agent-open");
    opener.setDaemon(true);
    opener.start();
    DesiredConfig config;
    try {
      config = root.loadConfig();
    } catch (ConfigException | RuntimeException | Error e) {
      closeWhenOpened(opening);
      throw e;
    }
    Opened opened = await(opening);
    Planner planner = new Planner(root.protocol);
    // Buffered: an apply of 100,000 routes prints as many lines.
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(
        new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16));
    Consumer<String> warnings = warning -> System.err.println("route-agent: warning: " + Printable.escape(warning));
    try {
      return run(config, Wiring.reconciler(opened.kernel().kernel(), planner, root.stateDirectory(), warnings,
              Reconciler.sendingThreadPerPlan()),
          opened.snapshot(), out);
    } finally {
      out.flush();
      opened.kernel().close();
    }
  }

  /**
   * @param snapshot the kernel's table, read while the routes file was parsed
   */
  abstract int run(
      DesiredConfig config, Reconciler reconciler, KernelSnapshot snapshot, PrintWriter out)
      throws Exception;

  private static Opened open(UnaryOperator<RouteKernel> kernelView) throws KernelException {
    Wiring.Opened kernel = Wiring.openKernel(kernelView);
    try {
      return new Opened(kernel, kernel.kernel().snapshot());
    } catch (KernelException | RuntimeException e) {
      kernel.close();
      throw e;
    }
  }

  /** The opened kernel, or the exception of opening it, unwrapped as if it was thrown here. */
  private static Opened await(FutureTask<Opened> opening) throws Exception {
    try {
      return opening.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /** After a config problem: close the socket once it is open; its own failure no longer matters. */
  private static void closeWhenOpened(FutureTask<Opened> opening) {
    try {
      opening.get().kernel().close();
    } catch (ExecutionException e) {
      // Opening failed too: the config problem is the one to report.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
