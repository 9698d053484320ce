package io.routeagent.netlink;

/** Constants of {@code linux/netlink.h}; each quotes the kernel definition it mirrors. */
public final class Netlink {
  private Netlink() {}

  /** {@code #define NETLINK_ROUTE 0} */
  public static final int NETLINK_ROUTE = 0;

  /** {@code sizeof(struct nlmsghdr)}: u32 len, u16 type, u16 flags, u32 seq, u32 pid. */
  public static final int NLMSG_HDRLEN = 16;
  /** {@code #define NLMSG_ALIGNTO 4U} */
  public static final int NLMSG_ALIGNTO = 4;
  /** {@code sizeof(struct nlattr)}: u16 len, u16 type. */
  public static final int NLA_HDRLEN = 4;

  /** {@code #define NLMSG_NOOP 0x1} */
  public static final int NLMSG_NOOP = 0x1;
  /** {@code #define NLMSG_ERROR 0x2} */
  public static final int NLMSG_ERROR = 0x2;
  /** {@code #define NLMSG_DONE 0x3} */
  public static final int NLMSG_DONE = 0x3;
  /** {@code #define NLMSG_OVERRUN 0x4} */
  public static final int NLMSG_OVERRUN = 0x4;

  /** {@code #define NLM_F_REQUEST 0x01} */
  public static final int NLM_F_REQUEST = 0x01;
  /** {@code #define NLM_F_MULTI 0x02} */
  public static final int NLM_F_MULTI = 0x02;
  /** {@code #define NLM_F_ACK 0x04} */
  public static final int NLM_F_ACK = 0x04;
  /** {@code #define NLM_F_DUMP_INTR 0x10} */
  public static final int NLM_F_DUMP_INTR = 0x10;
  /** {@code #define NLM_F_ROOT 0x100} */
  public static final int NLM_F_ROOT = 0x100;
  /** {@code #define NLM_F_MATCH 0x200} */
  public static final int NLM_F_MATCH = 0x200;
  /** {@code #define NLM_F_DUMP (NLM_F_ROOT|NLM_F_MATCH)} */
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
  /** {@code #define NLM_F_REPLACE 0x100} */
  public static final int NLM_F_REPLACE = 0x100;
  /** {@code #define NLM_F_EXCL 0x200} */
  public static final int NLM_F_EXCL = 0x200;
  /** {@code #define NLM_F_CREATE 0x400} */
  public static final int NLM_F_CREATE = 0x400;
  /** {@code #define NLM_F_CAPPED 0x100}: flag of an NLMSG_ERROR whose request copy was cut. */
  public static final int NLM_F_CAPPED = 0x100;
  /** {@code #define NLM_F_ACK_TLVS 0x200}: extended ACK attributes follow. */
  public static final int NLM_F_ACK_TLVS = 0x200;

  /** {@code NLMSGERR_ATTR_MSG}: the kernel's error text. */
  public static final int NLMSGERR_ATTR_MSG = 1;
  /** {@code NLMSGERR_ATTR_OFFS}: offset of the offending attribute in the request. */
  public static final int NLMSGERR_ATTR_OFFS = 2;

  /** {@code #define NLA_F_NESTED (1 << 15)} */
  public static final int NLA_F_NESTED = 1 << 15;
  /** {@code #define NLA_F_NET_BYTEORDER (1 << 14)} */
  public static final int NLA_F_NET_BYTEORDER = 1 << 14;
  /** {@code #define NLA_TYPE_MASK ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)} */
  public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

  /** Socket options at {@code SOL_NETLINK} (270). */
  public static final int SOL_NETLINK = 270;
  /** {@code #define NETLINK_ADD_MEMBERSHIP 1} */
  public static final int NETLINK_ADD_MEMBERSHIP = 1;
  /** {@code #define NETLINK_CAP_ACK 10}: errors do not echo the whole request back. */
  public static final int NETLINK_CAP_ACK = 10;
  /** {@code #define NETLINK_EXT_ACK 11}: errors carry the kernel's explanation. */
  public static final int NETLINK_EXT_ACK = 11;

  /** {@code #define NLMSG_ALIGN(len) (((len)+NLMSG_ALIGNTO-1) & ~(NLMSG_ALIGNTO-1))} */
  public static int align(int length) {
    return (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
  }
}
