package io.routeagent.daemon;

import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.RouteKernel;
import io.routeagent.kernel.RtnetlinkClient;
import io.routeagent.reconcile.Planner;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.state.DisplacedRouteFile;
import io.routeagent.state.RuleRecordFile;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The one wiring of the agent over the kernel, used by {@code run} ({@link Service}) and by the
 * one-shot commands: the request socket, the kernel the reconciler talks to through it, and the
 * reconciler with this network namespace's records in the state directory.
 */
public final class Wiring {
  private Wiring() {}

  /**
   * The request socket and the kernel seen through it: the socket itself, unless a test wraps it
   * (to play a kernel before 4.17, say). Closing closes the socket.
   */
  public record Opened(RtnetlinkClient client, RouteKernel kernel) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }

  /** @param kernelView {@link UnaryOperator#identity()} but in tests */
  public static Opened openKernel(UnaryOperator<RouteKernel> kernelView) throws KernelException {
    RtnetlinkClient client = RtnetlinkClient.open();
    try {
      return new Opened(client, kernelView.apply(client));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * @param stateDirectory where the records of owned rules and of displaced routes live, one
   *     file each per network namespace; null to keep them in memory only
   * @param warnings where a damaged record is reported
   * @param sending where large plans' changes are sent from ({@link Reconciler#keptSendingThread}
   *     for the daemon)
   */
  public static Reconciler reconciler(
      RouteKernel kernel, Planner planner, Path stateDirectory, Consumer<String> warnings, Executor sending) {
    if (stateDirectory == null) {
      return new Reconciler(kernel, planner, null, null, sending);
    }
    String namespace = NetworkNamespace.name();
    return new Reconciler(kernel, planner,
        RuleRecordFile.inDirectory(stateDirectory, namespace, warnings),
        DisplacedRouteFile.inDirectory(stateDirectory, namespace, warnings), sending);
  }
}
