package io.routeagent.kernel;

import java.util.List;

/** The kernel as the reconciler sees it; a namespace test hands in the real one, a unit test a fake. */
public interface RouteKernel {
  /** Interfaces, addresses, routes and rules of both families, each a consistent dump. */
  KernelSnapshot snapshot() throws KernelException;

  /**
   * The interfaces and their addresses alone, as {@link #snapshot} reads them (its routes and
   * rules empty): what a decision about interfaces needs, without a dump of a table that may
   * hold 100,000 routes.
   */
  default KernelSnapshot interfaces() throws KernelException {
    KernelSnapshot all = snapshot();
    return new KernelSnapshot(all.links(), all.addresses(), List.of(), List.of());
  }

  /** The same reads as {@link #snapshot}, with the routes kept only as their digest. */
  default KernelSnapshot.Summary summary() throws KernelException {
    return snapshot().summary();
  }

  /**
   * Sends the requests in order and returns one outcome per request, in the same order. Throws
   * only when the exchange itself failed, so that no outcome can be trusted.
   */
  List<RequestOutcome> execute(List<? extends KernelRequest> requests) throws KernelException;

  /**
   * Does now, on this thread, what {@link #execute(PreparedRequests)} would otherwise do before
   * sending: for a socket, the encoding. By default nothing.
   */
  default PreparedRequests prepare(List<? extends KernelRequest> requests) {
    return PreparedRequests.of(requests);
  }

  /** As {@link #execute(List)}, for requests {@link #prepare}d by this kernel. */
  default List<RequestOutcome> execute(PreparedRequests prepared) throws KernelException {
    return execute(prepared.requests());
  }
}
