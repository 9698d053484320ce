package io.routeagent.daemon;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.routeagent.kernel.EventSocket;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.RouteKernel;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.UnaryOperator;

/**
 * What {@code run} opens on a second thread while the first one configures logging, takes the
 * lock and loads the routes file: the request and event sockets (loading libc's binding, a tenth
 * of a second or more of a cold start, which the routes file's reader then finds loaded), and the
 * metrics registry with its JVM binders. Nothing here changes the kernel or is seen from outside
 * before {@link Service} takes it; it closes what it opened unless {@link Service} took it.
 */
public final class Opening implements AutoCloseable {
  /** The sockets and the registry, as {@link Service} takes them. */
  record Opened(Wiring.Opened requests, EventSocket events, PrometheusMeterRegistry registry) {}

  private final FutureTask<Opened> task;
  private boolean taken;

  private Opening(FutureTask<Opened> task) {
    this.task = task;
  }

  /**
   * Starts opening.
   *
   * @param kernelView {@link UnaryOperator#identity()} but in tests
   * @param eventReceiveBuffer the event socket's receive buffer in bytes, or empty for the default
   */
  public static Opening start(UnaryOperator<RouteKernel> kernelView, OptionalInt eventReceiveBuffer) {
    FutureTask<Opened> task = new FutureTask<>(() -> open(kernelView, eventReceiveBuffer));
    Thread opener = new Thread(task, "route-agent-open");
    opener.setDaemon(true);
    opener.start();
    return new Opening(task);
  }

  private static Opened open(UnaryOperator<RouteKernel> kernelView, OptionalInt eventReceiveBuffer)
      throws KernelException {
    Wiring.Opened requests = Wiring.openKernel(kernelView);
    EventSocket events;
    try {
      events = eventReceiveBuffer.isPresent() ? EventSocket.open(eventReceiveBuffer.getAsInt()) : EventSocket.open();
    } catch (KernelException | RuntimeException | Error e) {
      requests.close();
      throw e;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    return new Opened(requests, events, registry);
  }

  /**
   * What was opened, now the caller's to close; or the failure of opening, thrown as if it
   * happened here.
   */
  Opened take() throws KernelException, InterruptedException {
    try {
      Opened opened = task.get();
      taken = true;
      return opened;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KernelException kernel) {
        throw kernel;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Closes the sockets once they are open, unless they were taken; a failure to open is moot. */
  @Override
  public void close() {
    if (taken) {
      return;
    }
    try {
      Opened opened = task.get();
      opened.events().close();
      opened.requests().close();
    } catch (ExecutionException e) {
      // Nothing was opened.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
