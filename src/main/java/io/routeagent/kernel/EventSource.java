package io.routeagent.kernel;

/** Where the daemon's kernel notifications come from: the event socket, or a test's script. */
public interface EventSource {
  /** Blocks until something happens, then returns everything queued as one batch. */
  EventSocket.Batch receive() throws KernelException, InterruptedException;
}
