package io.routeagent.netlink;

import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;

/**
 * A route as RTM_NEWROUTE / RTM_DELROUTE carry it: {@code struct rtmsg} (u8 rtm_family,
 * rtm_dst_len, rtm_src_len, rtm_tos, rtm_table, rtm_protocol, rtm_scope, rtm_type; u32 rtm_flags)
 * and the attributes the agent reads or writes. Unsigned kernel values (metric, table) keep their
 * bits in Java ints and longs.
 *
 * @param family AF_INET or AF_INET6
 * @param destination RTA_DST with rtm_dst_len (the default route is /0)
 * @param tos rtm_tos
 * @param table RTA_TABLE, or rtm_table when the kernel sent no RTA_TABLE
 * @param protocol rtm_protocol: who installed the route
 * @param scope rtm_scope
 * @param type rtm_type (RTN_*)
 * @param flags rtm_flags (RTNH_F_ONLINK, ...)
 * @param gateway RTA_GATEWAY, or null
 * @param outputInterface RTA_OIF, 0 when absent
 * @param priority RTA_PRIORITY (the metric), absent when not sent
 * @param preferredSource RTA_PREFSRC, or null
 * @param mtu RTAX_MTU inside RTA_METRICS, absent when not set
 * @param hasSourcePrefix rtm_src_len is not 0 (a source-specific IPv6 route)
 * @param multipath RTA_MULTIPATH, RTA_NH_ID or RTA_VIA was present: the route's next hops are not
 *     its gateway and output interface
 * @param nextHops RTA_MULTIPATH's entries in the kernel's order; empty for a single-path route and
 *     for one whose next hops this record cannot describe (RTA_NH_ID, RTA_VIA, RTA_ENCAP in an
 *     entry), which is then {@code multipath} with no next hops
 */
public record RouteMessage(
    int family,
    IpPrefix destination,
    int tos,
    long table,
    int protocol,
    int scope,
    int type,
    int flags,
    InetAddress gateway,
    int outputInterface,
    OptionalInt priority,
    InetAddress preferredSource,
    OptionalInt mtu,
    boolean hasSourcePrefix,
    boolean multipath,
    List<NextHop> nextHops) {

  public RouteMessage {
    nextHops = List.copyOf(nextHops);
    if (!nextHops.isEmpty() && !multipath) {
      throw new IllegalArgumentException("next hops given for a route that is not multipath");
    }
  }

  /** The route has RTA_MULTIPATH entries this record describes. */
  public boolean hasNextHops() {
    return !nextHops.isEmpty();
  }

  /**
   * Appends this route as one message. For RTM_DELROUTE the kernel matches on what is given, so
   * only the identifying fields and the next hop are sent.
   */
  public void encode(MessageBuilder b, int messageType, int nlFlags, int seq) {
    b.begin(messageType, nlFlags, seq);
    b.u8(family)
        .u8(destination.length())
        .u8(0)
        .u8(tos)
        .u8(table < 256 ? (int) table : Rtnetlink.RT_TABLE_UNSPEC)
        .u8(protocol)
        .u8(scope)
        .u8(type)
        .u32(flags);
    // The kernel's own order (fib_dump_info), so that a route we encode and the kernel's dump
    // of it are the same bytes.
    b.attributeU32(Rtnetlink.RTA_TABLE, (int) table);
    if (destination.length() > 0) {
      b.attribute(Rtnetlink.RTA_DST, destination.bytes());
    }
    priority.ifPresent(p -> b.attributeU32(Rtnetlink.RTA_PRIORITY, p));
    if (messageType != Rtnetlink.RTM_DELROUTE) {
      if (mtu.isPresent()) {
        int nest = b.beginNested(Rtnetlink.RTA_METRICS);
        b.attributeU32(Rtnetlink.RTAX_MTU, mtu.getAsInt());
        b.endNested(nest);
      }
      if (preferredSource != null) {
        b.attribute(Rtnetlink.RTA_PREFSRC, preferredSource.getAddress());
      }
    }
    if (gateway != null) {
      b.attribute(Rtnetlink.RTA_GATEWAY, gateway.getAddress());
    }
    if (outputInterface != 0) {
      b.attributeU32(Rtnetlink.RTA_OIF, outputInterface);
    }
    if (!nextHops.isEmpty()) {
      NextHop.encodeMultipath(b, nextHops);
    }
    b.end();
  }

  /** Encodes an RTM_GETROUTE dump request body for one family. */
  public static void encodeDumpRequest(MessageBuilder b, int family) {
    b.u8(family).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0);
  }

  public static RouteMessage decode(ByteBuffer buffer, int offset, int length) {
    if (length < Rtnetlink.RTMSG_SIZE) {
      throw new MalformedMessageException("rtmsg of " + length + " bytes");
    }
    int family = Byte.toUnsignedInt(buffer.get(offset));
    int dstLength = Byte.toUnsignedInt(buffer.get(offset + 1));
    int srcLength = Byte.toUnsignedInt(buffer.get(offset + 2));
    int tos = Byte.toUnsignedInt(buffer.get(offset + 3));
    long table = Byte.toUnsignedInt(buffer.get(offset + 4));
    int protocol = Byte.toUnsignedInt(buffer.get(offset + 5));
    int scope = Byte.toUnsignedInt(buffer.get(offset + 6));
    int type = Byte.toUnsignedInt(buffer.get(offset + 7));
    int flags = buffer.getInt(offset + 8);
    byte[] dst = null;
    InetAddress gateway = null;
    int oif = 0;
    OptionalInt priority = OptionalInt.empty();
    InetAddress prefsrc = null;
    OptionalInt mtu = OptionalInt.empty();
    boolean multipath = false;
    List<NextHop> nextHops = List.of();
    boolean undescribed = false; // a nexthop object's expansion (nexthop_compat_mode) is not ours
    Attributes a =
        new Attributes(buffer, offset + Rtnetlink.RTMSG_SIZE, length - Rtnetlink.RTMSG_SIZE);
    while (a.next()) {
      switch (a.type()) {
        case Rtnetlink.RTA_DST -> dst = a.bytes();
        case Rtnetlink.RTA_GATEWAY -> gateway = address(a);
        case Rtnetlink.RTA_OIF -> oif = a.u32();
        case Rtnetlink.RTA_PRIORITY -> priority = OptionalInt.of(a.u32());
        case Rtnetlink.RTA_PREFSRC -> prefsrc = address(a);
        case Rtnetlink.RTA_TABLE -> table = Integer.toUnsignedLong(a.u32());
        case Rtnetlink.RTA_METRICS -> {
          Attributes metrics = a.nested();
          while (metrics.next()) {
            if (metrics.type() == Rtnetlink.RTAX_MTU) {
              mtu = OptionalInt.of(metrics.u32());
            }
          }
        }
        case Rtnetlink.RTA_MULTIPATH -> {
          multipath = true;
          nextHops = NextHop.decodeMultipath(buffer, a.payloadOffset(), a.payloadLength())
              .orElse(List.of());
        }
        case Rtnetlink.RTA_NH_ID, Rtnetlink.RTA_VIA -> {
          multipath = true;
          undescribed = true;
        }
        default -> {}
      }
    }
    if (a.malformed()) {
      throw new MalformedMessageException("route attributes overrun their message");
    }
    if (undescribed) {
      nextHops = List.of();
    }
    int addressLength = family == io.routeagent.net.Family.INET6 ? 16 : 4;
    if (dst == null) {
      dst = new byte[addressLength];
    }
    if (dst.length != addressLength || dstLength > addressLength * 8) {
      throw new MalformedMessageException("RTA_DST of " + dst.length + " bytes for /" + dstLength);
    }
    IpPrefix destination = IpPrefix.containing(IpAddresses.fromBytes(dst), dstLength);
    return new RouteMessage(
        family,
        destination,
        tos,
        table,
        protocol,
        scope,
        type,
        flags,
        gateway,
        oif,
        priority,
        prefsrc,
        mtu,
        srcLength != 0,
        multipath,
        nextHops);
  }

  private static InetAddress address(Attributes a) {
    int n = a.payloadLength();
    if (n != 4 && n != 16) {
      throw new MalformedMessageException("address attribute " + a.type() + " of " + n + " bytes");
    }
    return IpAddresses.fromBytes(a.bytes());
  }
}
