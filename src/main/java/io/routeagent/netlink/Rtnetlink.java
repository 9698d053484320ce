package io.routeagent.netlink;

/**
 * Constants of {@code linux/rtnetlink.h}, {@code linux/if_link.h} and {@code linux/if_addr.h};
 * each quotes the kernel definition it mirrors.
 */
public final class Rtnetlink {
  private Rtnetlink() {}

  // enum { RTM_BASE = 16, ... }
  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;
  public static final int RTM_NEWROUTE = 24;
  public static final int RTM_DELROUTE = 25;
  public static final int RTM_GETROUTE = 26;
  public static final int RTM_NEWRULE = 32;
  public static final int RTM_DELRULE = 33;
  public static final int RTM_GETRULE = 34;

  /** {@code sizeof(struct rtmsg)}: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), u32 flags. */
  public static final int RTMSG_SIZE = 12;
  /** {@code sizeof(struct ifinfomsg)}: u8 family, u8 pad, u16 type, s32 index, u32 flags, u32 change. */
  public static final int IFINFOMSG_SIZE = 16;
  /** {@code sizeof(struct ifaddrmsg)}: family, prefixlen, flags, scope (u8 each), u32 index. */
  public static final int IFADDRMSG_SIZE = 8;

  // enum rtattr_type_t
  public static final int RTA_DST = 1;
  public static final int RTA_SRC = 2;
  public static final int RTA_IIF = 3;
  public static final int RTA_OIF = 4;
  public static final int RTA_GATEWAY = 5;
  public static final int RTA_PRIORITY = 6;
  public static final int RTA_PREFSRC = 7;
  public static final int RTA_METRICS = 8;
  public static final int RTA_MULTIPATH = 9;
  public static final int RTA_TABLE = 15;
  public static final int RTA_VIA = 18;
  public static final int RTA_PREF = 20;
  public static final int RTA_ENCAP = 22;
  public static final int RTA_EXPIRES = 23;
  public static final int RTA_NH_ID = 30;

  /** {@code RTAX_MTU}, inside RTA_METRICS. */
  public static final int RTAX_MTU = 2;

  /** {@code #define RTNH_F_DEAD 1}: the next hop is dead; the kernel sets it, never us. */
  public static final int RTNH_F_DEAD = 1;
  /** {@code #define RTNH_F_ONLINK 4}: in rtm_flags or rtnh_flags, the gateway is forced on link. */
  public static final int RTNH_F_ONLINK = 4;
  /** {@code #define RTNH_F_LINKDOWN 16}: carrier down; the kernel sets it, never us. */
  public static final int RTNH_F_LINKDOWN = 16;
  /** {@code #define RTM_F_CLONED 0x200}: a cached clone, not a FIB entry. */
  public static final int RTM_F_CLONED = 0x200;

  // enum { RTN_UNSPEC, RTN_UNICAST, RTN_LOCAL, RTN_BROADCAST, RTN_ANYCAST, RTN_MULTICAST,
  //        RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT, RTN_THROW, RTN_NAT, RTN_XRESOLVE }
  public static final int RTN_UNSPEC = 0;
  public static final int RTN_UNICAST = 1;
  public static final int RTN_LOCAL = 2;
  public static final int RTN_BLACKHOLE = 6;
  public static final int RTN_UNREACHABLE = 7;
  public static final int RTN_PROHIBIT = 8;
  public static final int RTN_THROW = 9;

  // enum rt_scope_t
  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_HOST = 254;
  public static final int RT_SCOPE_NOWHERE = 255;

  /** {@code #define RTPROT_UNSPEC 0}: no originator given. */
  public static final int RTPROT_UNSPEC = 0;
  /** {@code #define RTPROT_KERNEL 2}: routes the kernel made for an address. */
  public static final int RTPROT_KERNEL = 2;

  /**
   * The originator {@code linux/rtnetlink.h} gives {@code protocol} to ({@code #define RTPROT_BOOT
   * 3}, {@code RTPROT_DHCP 16}, …), in {@code ip route}'s words, or null where the header names
   * none.
   */
  public static String protocolOriginator(int protocol) {
    return switch (protocol) {
      case 0 -> "unspec";
      case 1 -> "redirect";
      case 2 -> "kernel";
      case 3 -> "boot";
      case 4 -> "static";
      case 8 -> "gated";
      case 9 -> "ra";
      case 10 -> "mrt";
      case 11 -> "zebra";
      case 12 -> "bird";
      case 13 -> "dnrouted";
      case 14 -> "xorp";
      case 15 -> "ntk";
      case 16 -> "dhcp";
      case 17 -> "mrouted";
      case 18 -> "keepalived";
      case 42 -> "babel";
      case 99 -> "openr";
      case 186 -> "bgp";
      case 187 -> "isis";
      case 188 -> "ospf";
      case 189 -> "rip";
      case 192 -> "eigrp";
      default -> null;
    };
  }

  // enum rt_class_t
  public static final int RT_TABLE_UNSPEC = 0;
  public static final int RT_TABLE_MAIN = 254;
  public static final int RT_TABLE_LOCAL = 255;

  // enum IFLA_* (linux/if_link.h)
  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;
  public static final int IFLA_OPERSTATE = 16;
  public static final int IFLA_PROP_LIST = 52;
  public static final int IFLA_ALT_IFNAME = 53;

  /** {@code IFF_UP 1<<0} (linux/if.h). */
  public static final int IFF_UP = 0x1;
  /** {@code IFF_LOWER_UP 1<<16} (linux/if.h): carrier. */
  public static final int IFF_LOWER_UP = 0x10000;

  // enum IFA_* (linux/if_addr.h)
  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  public static final int IFA_FLAGS = 8;
  /** {@code #define IFA_F_TENTATIVE 0x40}: IPv6 DAD not yet done. */
  public static final int IFA_F_TENTATIVE = 0x40;

  // enum rtnetlink_groups: a group g is joined with NETLINK_ADD_MEMBERSHIP g.
  public static final int RTNLGRP_LINK = 1;
  public static final int RTNLGRP_IPV4_IFADDR = 5;
  public static final int RTNLGRP_IPV4_ROUTE = 7;
  public static final int RTNLGRP_IPV4_RULE = 8;
  public static final int RTNLGRP_IPV6_IFADDR = 9;
  public static final int RTNLGRP_IPV6_ROUTE = 11;
  public static final int RTNLGRP_IPV6_RULE = 19;
}
