package io.routeagent.kernel;

import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.MessageCursor;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's notifications for links, addresses, routes and rules, on a socket of their own (a
 * socket that also carried requests would mix answers into events). Each {@link #receive} waits
 * in poll(2) for the first datagram, then reads everything queued, so that a burst (a link flap
 * that drops 10,000 routes) comes out as one batch and the kernel's queue is empty when the caller
 * acts. An eventfd beside the socket lets other threads wake the waiting loop, so that one thread
 * can own both the notifications and everything else, with no hand-off on the repair path.
 */
public final class EventSocket implements EventSource, AutoCloseable {
  /**
   * Room for a burst: a route notification costs about 1 KiB of socket memory, and a link going
   * down on another program's 10,000 routes, or a script adding them, sends 10,000 of them. Our own
   * changes take none of it ({@link #ignoreChangesBy}). SO_RCVBUFFORCE passes the rmem_max cap
   * (CAP_NET_ADMIN).
   */
  private static final int SOCKET_RECEIVE_BUFFER_BYTES = 64 << 20;

  private static final int[] GROUPS = {
    Rtnetlink.RTNLGRP_LINK,
    Rtnetlink.RTNLGRP_IPV4_IFADDR,
    Rtnetlink.RTNLGRP_IPV6_IFADDR,
    Rtnetlink.RTNLGRP_IPV4_ROUTE,
    Rtnetlink.RTNLGRP_IPV6_ROUTE,
    Rtnetlink.RTNLGRP_IPV4_RULE,
    Rtnetlink.RTNLGRP_IPV6_RULE,
  };

  private final LibC libc = NativeLibC.libc();
  private final NetlinkSocket socket;
  private final int wakeFd;
  private final DatagramBuffer received = new DatagramBuffer(1 << 20);
  private final ByteBuffer buffer = received.buffer();
  private final ByteBuffer pollFds =
      ByteBuffer.allocateDirect(2 * LibC.POLLFD_SIZE).order(ByteOrder.nativeOrder());
  private final ByteBuffer counter = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
  private final ByteBuffer one = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putLong(0, 1);

  private EventSocket(NetlinkSocket socket, int wakeFd) {
    this.socket = socket;
    this.wakeFd = wakeFd;
    pollFds.putInt(0, socket.fd());
    pollFds.putShort(4, LibC.POLLIN);
    pollFds.putInt(LibC.POLLFD_SIZE, wakeFd);
    pollFds.putShort(LibC.POLLFD_SIZE + 4, LibC.POLLIN);
  }

  public static EventSocket open() throws KernelException {
    return open(SOCKET_RECEIVE_BUFFER_BYTES);
  }

  /**
   * As {@link #open()}, with another receive buffer: tests shrink it to provoke overruns
   * (ENOBUFS). The kernel doubles the value and enforces a small minimum.
   */
  public static EventSocket open(int receiveBufferBytes) throws KernelException {
    NetlinkSocket socket = NetlinkSocket.open();
    try {
      socket.setReceiveBuffer(receiveBufferBytes);
      for (int group : GROUPS) {
        socket.join(group);
      }
      int wakeFd = NativeLibC.libc().eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
      if (wakeFd < 0) {
        throw new KernelException(NativeLibC.lastErrno(), "opening an eventfd", false, null);
      }
      return new EventSocket(socket, wakeFd);
    } catch (KernelException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Drops, in the kernel, the notifications of the changes {@code requester} (the request socket's
   * port) makes: they would say only what the daemon just did. Without this, a start-up or a
   * link-up re-adding 100,000 routes sent 100,000 of them back, more than the receive buffer
   * holds (an overrun, then a full resync for nothing) and 20 MB of garbage to decode; and each
   * repair woke the loop a second time for its own echo.
   */
  public void ignoreChangesBy(int requester) throws KernelException {
    socket.ignoreChangesBy(requester);
  }

  /**
   * One drained batch.
   *
   * @param events the notifications, in the kernel's order
   * @param overrun the kernel dropped notifications (ENOBUFS): only a full re-read is reliable
   * @param receivedNanos {@link System#nanoTime} when the first datagram arrived
   */
  public record Batch(List<KernelEvent> events, boolean overrun, long receivedNanos) {}

  @Override
  public Batch receive(long timeoutNanos) throws KernelException {
    int timeoutMillis = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
    pollFds.putShort(6, (short) 0);
    pollFds.putShort(LibC.POLLFD_SIZE + 6, (short) 0);
    if (libc.poll(pollFds, 2, timeoutMillis) < 0) {
      Errno errno = NativeLibC.lastErrno();
      if (!ErrnoPolicy.retry(errno)) {
        throw new KernelException(errno, "waiting for kernel notifications", false, null);
      }
    }
    if (pollFds.getShort(LibC.POLLFD_SIZE + 6) != 0) {
      libc.read(wakeFd, counter, 8); // clears the eventfd; EAGAIN if another read won the race
    }
    return drain();
  }

  @Override
  public void wakeup() {
    libc.write(wakeFd, one, 8); // cannot fail short of a counter overflow after 2^64 wake-ups
  }

  /** Reads every queued datagram without waiting. */
  private Batch drain() throws KernelException {
    List<KernelEvent> events = new ArrayList<>();
    boolean overrun = false;
    long received = 0;
    while (true) {
      int length;
      try {
        length = socket.receive(buffer, true);
      } catch (KernelException e) {
        if (!ErrnoPolicy.overrun(e)) {
          throw e;
        }
        // The error is reported once and the queue stays readable: keep draining.
        overrun = true;
        if (received == 0) {
          received = System.nanoTime();
        }
        continue;
      }
      if (length < 0) {
        return new Batch(events, overrun, received);
      }
      if (received == 0) {
        received = System.nanoTime();
      }
      decode(length, events);
    }
  }

  private void decode(int length, List<KernelEvent> events) {
    decode(buffer, length, events);
  }

  /** The notifications of one datagram, in order; the types no one acts on are skipped. */
  static void decode(ByteBuffer datagram, int length, List<KernelEvent> events) {
    MessageCursor m = new MessageCursor(datagram, length);
    while (m.next()) {
      switch (m.type()) {
        case Rtnetlink.RTM_NEWROUTE, Rtnetlink.RTM_DELROUTE -> events.add(new KernelEvent.RouteChanged(
            m.type() == Rtnetlink.RTM_DELROUTE,
            RouteMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength())));
        case Rtnetlink.RTM_NEWLINK, Rtnetlink.RTM_DELLINK -> {
          LinkMessage.Header link = LinkMessage.decodeHeader(m.buffer(), m.payloadOffset(), m.payloadLength());
          // Not "link-up" for a link that is up without a carrier: a veth whose peer went down
          // sends that, after its peer's own message, and the latest link event names the reconcile.
          String cause = m.type() == Rtnetlink.RTM_DELLINK
              ? "link-removed"
              : link.carries() ? KernelEvent.InterfaceChanged.LINK_UP : "link-down";
          events.add(new KernelEvent.InterfaceChanged(cause));
        }
        case Rtnetlink.RTM_NEWADDR, Rtnetlink.RTM_DELADDR -> {
          AddressMessage.checkHeader(m.payloadLength());
          events.add(new KernelEvent.InterfaceChanged(
              m.type() == Rtnetlink.RTM_NEWADDR ? "address-added" : "address-removed"));
        }
        case Rtnetlink.RTM_NEWRULE, Rtnetlink.RTM_DELRULE -> events.add(new KernelEvent.RuleChanged());
        default -> {}
      }
    }
  }

  @Override
  public void close() {
    socket.close();
    libc.close(wakeFd);
    received.close();
  }
}
