package io.routeagent.kernel;

import io.routeagent.net.Family;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.ErrorMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.MessageBuilder;
import io.routeagent.netlink.MessageCursor;
import io.routeagent.netlink.Netlink;
import io.routeagent.netlink.RouteDigest;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.RuleMessage;
import io.routeagent.netlink.Rtnetlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Requests over one rtnetlink socket: consistent dumps, and batched changes. A batch is many
 * messages in one send with NLM_F_ACK on the last only: the kernel handles them in order inside
 * the send and answers every failing one with its own NLMSG_ERROR, so the ack of the last means
 * every message without an error succeeded. The receive buffer is sized so that an error per
 * message of a full batch still fits, which keeps every error attributable to its route.
 */
public final class RtnetlinkClient implements RouteKernel, AutoCloseable {
  /** One datagram of a dump is about 32 KiB; errors are small. */
  private static final int RECEIVE_BUFFER_BYTES = 1 << 20;
  /** Kernel-side queue: room for one error per message of a full batch (~1 KiB each with skb overhead). */
  private static final int SOCKET_RECEIVE_BUFFER_BYTES = 32 << 20;
  private static final int WANTED_SEND_BUFFER_BYTES = 1 << 20;
  private static final int MAX_BATCH_MESSAGES = 4096;
  private static final int DUMP_ATTEMPTS = 10;

  private final NetlinkSocket socket;
  private final DatagramBuffer received = new DatagramBuffer(RECEIVE_BUFFER_BYTES);
  private final ByteBuffer receiveBuffer = received.buffer();
  /** Dump requests. */
  private final MessageBuilder builder = new MessageBuilder(256);
  /** Native memory for what is sent: a dump request, or a datagram {@link #prepare}d; grown to fit. */
  private ByteBuffer sendBuffer = ByteBuffer.allocateDirect(64 << 10).order(ByteOrder.nativeOrder());
  /** Where {@link #prepare} encodes, on the planning thread while another sends. */
  private final MessageBuilder preparing = new MessageBuilder(64 << 10);
  private final int maxBatchBytes;
  private final AtomicInteger nextSeq = new AtomicInteger(1);

  private RtnetlinkClient(NetlinkSocket socket, int maxBatchBytes) {
    this.socket = socket;
    this.maxBatchBytes = maxBatchBytes;
  }

  /** The port the kernel stamps on the notifications of the changes this client makes. */
  public int portId() {
    return socket.portId();
  }

  public static RtnetlinkClient open() throws KernelException {
    NetlinkSocket socket = NetlinkSocket.open();
    try {
      socket.setReceiveBuffer(SOCKET_RECEIVE_BUFFER_BYTES);
      socket.setSendBuffer(WANTED_SEND_BUFFER_BYTES);
      // netlink_sendmsg refuses a datagram over sk_sndbuf - 32 with EMSGSIZE: leave room for one
      // more message past the threshold.
      int batchBytes = Math.max(4096, socket.sendBuffer() / 2 - 1024);
      return new RtnetlinkClient(socket, batchBytes);
    } catch (KernelException e) {
      socket.close();
      throw e;
    }
  }

  @Override
  public KernelSnapshot snapshot() throws KernelException {
    List<LinkMessage> links = links();
    List<AddressMessage> addresses = addresses();
    List<RouteMessage> routes = new ArrayList<>();
    for (int family : new int[] {Family.INET, Family.INET6}) {
      List<RouteMessage> ofFamily = new ArrayList<>();
      routes(family, ofFamily::clear, ofFamily::add);
      routes.addAll(ofFamily);
    }
    return new KernelSnapshot(links, addresses, routes, rules());
  }

  @Override
  public KernelSnapshot interfaces() throws KernelException {
    List<LinkMessage> links = links();
    return new KernelSnapshot(links, addresses(), List.of(), List.of());
  }

  /**
   * The same dumps as {@link #snapshot}, each route decoded, added to the digest and dropped: no
   * route outlives its datagram (a snapshot of 100,000 routes is 20 MB that the collector would
   * copy into the old generation).
   */
  @Override
  public KernelSnapshot.Summary summary() throws KernelException {
    List<LinkMessage> links = links();
    List<AddressMessage> addresses = addresses();
    RouteDigest digest = new RouteDigest();
    long sum = 0;
    int count = 0;
    for (int family : new int[] {Family.INET, Family.INET6}) {
      routes(family, digest::clear, digest::add);
      sum += digest.value().sum();
      count += digest.value().routes();
    }
    return new KernelSnapshot.Summary(links, addresses, rules(), new RouteDigest.Value(sum, count));
  }

  private List<LinkMessage> links() throws KernelException {
    List<LinkMessage> links = new ArrayList<>();
    dump(Rtnetlink.RTM_GETLINK, b -> LinkMessage.encodeDumpRequest(b), links::clear, m -> {
      if (m.type() == Rtnetlink.RTM_NEWLINK) {
        links.add(LinkMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()));
      }
    });
    return links;
  }

  private List<AddressMessage> addresses() throws KernelException {
    List<AddressMessage> addresses = new ArrayList<>();
    dump(Rtnetlink.RTM_GETADDR, b -> AddressMessage.encodeDumpRequest(b, Family.UNSPEC), addresses::clear, m -> {
      if (m.type() == Rtnetlink.RTM_NEWADDR) {
        addresses.add(AddressMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()));
      }
    });
    return addresses;
  }

  /** The routes of one family, each to {@code each}; {@code restart} when the dump starts again. */
  private void routes(int family, Runnable restart, Consumer<RouteMessage> each) throws KernelException {
    dump(Rtnetlink.RTM_GETROUTE, b -> RouteMessage.encodeDumpRequest(b, family), restart, m -> {
      if (m.type() == Rtnetlink.RTM_NEWROUTE) {
        each.accept(RouteMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()));
      }
    });
  }

  /** The policy rules of both families. */
  private List<RuleMessage> rules() throws KernelException {
    List<RuleMessage> rules = new ArrayList<>();
    for (int family : new int[] {Family.INET, Family.INET6}) {
      List<RuleMessage> ofFamily = new ArrayList<>();
      dump(Rtnetlink.RTM_GETRULE, b -> RuleMessage.encodeDumpRequest(b, family), ofFamily::clear, m -> {
        if (m.type() == Rtnetlink.RTM_NEWRULE) {
          ofFamily.add(RuleMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()));
        }
      });
      rules.addAll(ofFamily);
    }
    return rules;
  }

  @Override
  public List<RequestOutcome> execute(List<? extends KernelRequest> requests) throws KernelException {
    return execute(prepare(requests));
  }

  /**
   * Encodes the requests into datagrams of up to {@code maxBatchBytes} and {@value
   * #MAX_BATCH_MESSAGES} messages, each asking for NLM_F_ACK on its last message only.
   */
  @Override
  public PreparedRequests prepare(List<? extends KernelRequest> requests) {
    List<PreparedRequests.Datagram> datagrams = new ArrayList<>();
    synchronized (preparing) {
      int next = 0;
      while (next < requests.size()) {
        preparing.clear();
        int first = next;
        // A block of sequence numbers, so that a dump's on another thread cannot fall amid them; those
        // a datagram full of bytes leaves unused are skipped.
        int firstSeq = nextSeq.getAndAdd(Math.min(requests.size() - first, MAX_BATCH_MESSAGES));
        int seq = firstSeq;
        while (next < requests.size()
            && preparing.length() < maxBatchBytes
            && next - first < MAX_BATCH_MESSAGES) {
          requests.get(next++).encode(preparing, seq++);
        }
        preparing.addFlagsToLast(Netlink.NLM_F_ACK);
        datagrams.add(new PreparedRequests.Datagram(preparing.toByteArray(), firstSeq, seq - 1));
      }
    }
    return PreparedRequests.encoded(datagrams, requests.size());
  }

  @Override
  public List<RequestOutcome> execute(PreparedRequests prepared) throws KernelException {
    if (prepared.datagrams() == null) {
      prepared = prepare(prepared.requests());
    }
    RequestOutcome[] outcomes = new RequestOutcome[prepared.size()];
    Arrays.fill(outcomes, RequestOutcome.DONE);
    int first = 0;
    for (PreparedRequests.Datagram datagram : prepared.datagrams()) {
      send(datagram.bytes());
      awaitAck(datagram.firstSeq(), datagram.lastSeq(), first, outcomes);
      first += datagram.messages();
    }
    return List.of(outcomes);
  }

  private void send(byte[] datagram) throws KernelException {
    if (datagram.length > sendBuffer.capacity()) {
      sendBuffer = ByteBuffer.allocateDirect(Math.max(datagram.length, sendBuffer.capacity() * 2))
          .order(ByteOrder.nativeOrder());
    }
    sendBuffer.put(0, datagram);
    socket.send(sendBuffer, datagram.length);
  }

  private void awaitAck(int firstSeq, int lastSeq, int firstIndex, RequestOutcome[] outcomes)
      throws KernelException {
    while (true) {
      int length = receiveOrDrain("waiting for the kernel's answers");
      MessageCursor m = new MessageCursor(receiveBuffer, length);
      while (m.next()) {
        if (m.type() != Netlink.NLMSG_ERROR || (m.portId() != socket.portId() && m.portId() != 0)) {
          continue;
        }
        ErrorMessage error = ErrorMessage.decode(m);
        int offset = error.requestSeq() - firstSeq;
        if (offset < 0 || offset > lastSeq - firstSeq) {
          continue; // an answer to an earlier exchange that gave up on it
        }
        if (!error.isAck()) {
          outcomes[firstIndex + offset] = new RequestOutcome(Errno.of(error.errno()), error.kernelMessage());
        }
        if (error.requestSeq() == lastSeq) {
          return;
        }
      }
    }
  }

  private void dump(
      int type, Consumer<MessageBuilder> body, Runnable reset, Consumer<MessageCursor> handler)
      throws KernelException {
    for (int attempt = 1; ; attempt++) {
      reset.run();
      int seq = nextSeq.getAndIncrement();
      builder.clear();
      builder.begin(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, seq);
      body.accept(builder);
      builder.end();
      send(builder.toByteArray());
      boolean interrupted = receiveDump(seq, type, handler);
      if (!interrupted) {
        return;
      }
      if (attempt == DUMP_ATTEMPTS) {
        throw new KernelException(Errno.EINTR, "dumping (the table kept changing during " + DUMP_ATTEMPTS + " dumps)", true, null);
      }
    }
  }

  /** Reads one dump to NLMSG_DONE; true when the kernel flagged it inconsistent (NLM_F_DUMP_INTR). */
  private boolean receiveDump(int seq, int type, Consumer<MessageCursor> handler)
      throws KernelException {
    boolean interrupted = false;
    while (true) {
      int length = receiveOrDrain("reading a dump");
      MessageCursor m = new MessageCursor(receiveBuffer, length);
      while (m.next()) {
        if (m.seq() != seq) {
          continue;
        }
        interrupted |= (m.flags() & Netlink.NLM_F_DUMP_INTR) != 0;
        switch (m.type()) {
          case Netlink.NLMSG_DONE -> {
            return interrupted;
          }
          case Netlink.NLMSG_ERROR -> {
            ErrorMessage error = ErrorMessage.decode(m);
            if (!error.isAck()) {
              throw new KernelException(Errno.of(error.errno()), "dumping (request " + type + ")", true, error.kernelMessage());
            }
          }
          default -> handler.accept(m);
        }
      }
    }
  }

  /**
   * Receives one datagram. After ENOBUFS the kernel has dropped answers: read what is still
   * queued so the next exchange starts clean, then report it.
   */
  private int receiveOrDrain(String operation) throws KernelException {
    try {
      return socket.receive(receiveBuffer, false);
    } catch (KernelException e) {
      if (ErrnoPolicy.overrun(e)) {
        while (socket.receive(receiveBuffer, true) >= 0) {
          // discard: the exchange that these belong to has failed
        }
        throw new KernelException(e.errno(), operation + " (answers were lost)", false, null);
      }
      throw e;
    }
  }

  @Override
  public void close() {
    socket.close();
    received.close();
  }
}
