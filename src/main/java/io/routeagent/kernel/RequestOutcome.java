package io.routeagent.kernel;

/** What became of one request: done, or the errno the kernel answered with. */
public record RequestOutcome(Errno errno, String kernelMessage) {
  public static final RequestOutcome DONE = new RequestOutcome(null, null);
}
