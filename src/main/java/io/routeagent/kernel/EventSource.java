package io.routeagent.kernel;

/** Where the daemon's kernel notifications come from: the event socket, or a test's script. */
public interface EventSource {
  /**
   * Waits until the kernel says something, {@link #wakeup} is called, or the timeout passes
   * (negative: no timeout), then returns everything queued as one batch, possibly empty.
   */
  EventSocket.Batch receive(long timeoutNanos) throws KernelException, InterruptedException;

  /** Makes a waiting or the next {@link #receive} return at once; safe from any thread. */
  void wakeup();
}
