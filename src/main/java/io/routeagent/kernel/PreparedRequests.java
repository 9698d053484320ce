package io.routeagent.kernel;

import java.util.List;

/**
 * Requests made ready by {@link RouteKernel#prepare} on one thread, to be sent by {@link
 * RouteKernel#execute(PreparedRequests)} on another. {@link RtnetlinkClient} encodes them there
 * into the datagrams it will send: the thread that sends a plan's changes then spends its time in
 * the kernel, not encoding the next ones (a fifth of its time, at 100,000 routes).
 */
public final class PreparedRequests {
  /**
   * One datagram ready to send: its messages, the last asking for NLM_F_ACK, with the sequence
   * numbers {@code firstSeq} to {@code lastSeq}.
   */
  record Datagram(byte[] bytes, int firstSeq, int lastSeq) {
    int messages() {
      return lastSeq - firstSeq + 1;
    }
  }

  private final List<? extends KernelRequest> requests;
  private final List<Datagram> datagrams;
  private final int size;

  private PreparedRequests(List<? extends KernelRequest> requests, List<Datagram> datagrams, int size) {
    this.requests = requests;
    this.datagrams = datagrams;
    this.size = size;
  }

  /** The requests as they are, for a kernel that sends them with {@link RouteKernel#execute(List)}. */
  public static PreparedRequests of(List<? extends KernelRequest> requests) {
    return new PreparedRequests(List.copyOf(requests), null, requests.size());
  }

  static PreparedRequests encoded(List<Datagram> datagrams, int size) {
    return new PreparedRequests(null, List.copyOf(datagrams), size);
  }

  /** How many requests: one outcome each. */
  public int size() {
    return size;
  }

  /** The requests, or null once encoded. */
  List<? extends KernelRequest> requests() {
    return requests;
  }

  /** The datagrams, in order, or null when not encoded. */
  List<Datagram> datagrams() {
    return datagrams;
  }
}
