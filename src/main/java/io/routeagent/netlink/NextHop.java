package io.routeagent.netlink;

import io.routeagent.net.IpAddresses;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One entry of RTA_MULTIPATH: {@code struct rtnexthop} (unsigned short rtnh_len; unsigned char
 * rtnh_flags; unsigned char rtnh_hops; int rtnh_ifindex) followed by its own attributes, of which
 * the agent reads and writes RTA_GATEWAY.
 *
 * @param flags rtnh_flags: RTNH_F_ONLINK is ours to set; RTNH_F_DEAD and RTNH_F_LINKDOWN are the
 *     kernel's word on the link
 * @param weight rtnh_hops + 1, 1 to 256
 * @param interfaceIndex rtnh_ifindex, 0 when not given
 * @param gateway RTA_GATEWAY inside the entry, or null
 */
public record NextHop(int flags, int weight, int interfaceIndex, InetAddress gateway) {
  /** {@code sizeof(struct rtnexthop)}, which is also {@code RTNH_ALIGN(sizeof(struct rtnexthop))}. */
  public static final int RTNEXTHOP_SIZE = 8;

  public NextHop {
    if (weight < 1 || weight > 256) {
      throw new IllegalArgumentException("weight " + weight + " is not within 1 to 256");
    }
    if ((flags & ~0xff) != 0) {
      throw new IllegalArgumentException("rtnh_flags " + flags + " does not fit a byte");
    }
  }

  /** The kernel's liveness marks (RTNH_F_DEAD, RTNH_F_LINKDOWN) are set on this next hop. */
  public boolean down() {
    return (flags & (Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN)) != 0;
  }

  /** Appends the RTA_MULTIPATH attribute holding the given next hops, in the given order. */
  static void encodeMultipath(MessageBuilder b, List<NextHop> nextHops) {
    int nest = b.beginNested(Rtnetlink.RTA_MULTIPATH);
    for (NextHop hop : nextHops) {
      int mark = b.beginNextHop(hop.flags, hop.weight - 1, hop.interfaceIndex);
      if (hop.gateway != null) {
        b.attribute(Rtnetlink.RTA_GATEWAY, hop.gateway.getAddress());
      }
      b.endNested(mark);
    }
    b.endNested(nest);
  }

  /**
   * Reads the payload of RTA_MULTIPATH as RTNH_OK / RTNH_NEXT walk it. Empty when an entry holds
   * what this record cannot describe (RTA_VIA, an IPv6 gateway of an IPv4 route; RTA_ENCAP): the
   * caller then knows the route has next hops it must leave alone.
   *
   * @throws MalformedMessageException when an entry or its attributes overrun the payload
   */
  static Optional<List<NextHop>> decodeMultipath(ByteBuffer buffer, int offset, int length) {
    List<NextHop> hops = new ArrayList<>();
    boolean described = true;
    int p = offset;
    int end = offset + length;
    while (p + RTNEXTHOP_SIZE <= end) {
      int len = Short.toUnsignedInt(buffer.getShort(p));
      if (len < RTNEXTHOP_SIZE || p + len > end) {
        throw new MalformedMessageException("rtnexthop of " + len + " bytes in RTA_MULTIPATH");
      }
      int flags = Byte.toUnsignedInt(buffer.get(p + 2));
      int rtnhHops = Byte.toUnsignedInt(buffer.get(p + 3));
      int ifindex = buffer.getInt(p + 4);
      InetAddress gateway = null;
      Attributes a = new Attributes(buffer, p + RTNEXTHOP_SIZE, len - RTNEXTHOP_SIZE);
      while (a.next()) {
        switch (a.type()) {
          case Rtnetlink.RTA_GATEWAY -> {
            int n = a.payloadLength();
            if (n != 4 && n != 16) {
              throw new MalformedMessageException("RTA_GATEWAY of " + n + " bytes in a next hop");
            }
            gateway = IpAddresses.fromBytes(a.bytes());
          }
          case Rtnetlink.RTA_VIA, Rtnetlink.RTA_ENCAP -> described = false;
          default -> {}
        }
      }
      if (a.malformed()) {
        throw new MalformedMessageException("next hop attributes overrun their rtnexthop");
      }
      hops.add(new NextHop(flags, rtnhHops + 1, ifindex, gateway));
      p += Netlink.align(len);
    }
    if (hops.isEmpty()) {
      throw new MalformedMessageException("RTA_MULTIPATH without a next hop");
    }
    return described ? Optional.of(List.copyOf(hops)) : Optional.empty();
  }
}
