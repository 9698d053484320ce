package io.routeagent.kernel;

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
 * for the first datagram, then reads everything queued, so that a burst (a link flap that drops
 * 10,000 routes) comes out as one batch and the kernel's queue is empty when the caller acts.
 */
public final class EventSocket implements EventSource, AutoCloseable {
  /**
   * Room for a burst plus the echo of our own repairs: a route notification costs about 1 KiB of
   * socket memory, and 10,000 re-added routes echo back 10,000 of them. SO_RCVBUFFORCE passes the
   * rmem_max cap (CAP_NET_ADMIN).
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

  private final NetlinkSocket socket;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.nativeOrder());

  private EventSocket(NetlinkSocket socket) {
    this.socket = socket;
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
      return new EventSocket(socket);
    } catch (KernelException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * One drained batch.
   *
   * @param events the notifications, in the kernel's order
   * @param overrun the kernel dropped notifications (ENOBUFS): only a full re-read is reliable
   * @param receivedNanos {@link System#nanoTime} when the first datagram arrived
   */
  public record Batch(List<KernelEvent> events, boolean overrun, long receivedNanos) {}

  /** Blocks until the kernel says something, then drains the socket. */
  @Override
  public Batch receive() throws KernelException {
    List<KernelEvent> events = new ArrayList<>();
    boolean overrun = false;
    long received = 0;
    boolean wait = true;
    while (true) {
      int length;
      try {
        length = socket.receive(buffer, !wait);
      } catch (KernelException e) {
        if (!e.errno().equals(Errno.ENOBUFS)) {
          throw e;
        }
        // The error is reported once and the queue stays readable: keep draining.
        overrun = true;
        if (received == 0) {
          received = System.nanoTime();
        }
        wait = false;
        continue;
      }
      if (length < 0) {
        return new Batch(events, overrun, received);
      }
      if (received == 0) {
        received = System.nanoTime();
      }
      wait = false;
      decode(length, events);
    }
  }

  private void decode(int length, List<KernelEvent> events) {
    MessageCursor m = new MessageCursor(buffer, length);
    while (m.next()) {
      switch (m.type()) {
        case Rtnetlink.RTM_NEWROUTE, Rtnetlink.RTM_DELROUTE -> events.add(new KernelEvent.RouteChanged(
            m.type() == Rtnetlink.RTM_DELROUTE,
            RouteMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength())));
        case Rtnetlink.RTM_NEWLINK, Rtnetlink.RTM_DELLINK -> {
          // struct ifinfomsg: s32 ifi_index at 4, u32 ifi_flags at 8
          int flags = m.buffer().getInt(m.payloadOffset() + 8);
          String cause = m.type() == Rtnetlink.RTM_DELLINK
              ? "link-removed"
              : (flags & Rtnetlink.IFF_UP) != 0 ? "link-up" : "link-down";
          events.add(new KernelEvent.InterfaceChanged(cause, m.buffer().getInt(m.payloadOffset() + 4)));
        }
        case Rtnetlink.RTM_NEWADDR, Rtnetlink.RTM_DELADDR -> events.add(new KernelEvent.InterfaceChanged(
            m.type() == Rtnetlink.RTM_NEWADDR ? "address-added" : "address-removed",
            m.buffer().getInt(m.payloadOffset() + 4))); // struct ifaddrmsg: u32 ifa_index at 4
        case Rtnetlink.RTM_NEWRULE, Rtnetlink.RTM_DELRULE -> events.add(new KernelEvent.RuleChanged(m.type()));
        default -> {}
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
