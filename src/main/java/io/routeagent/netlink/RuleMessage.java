package io.routeagent.netlink;

import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.nio.ByteBuffer;
import java.util.OptionalInt;

/**
 * A policy rule as RTM_NEWRULE / RTM_DELRULE carry it: {@code struct fib_rule_hdr} (u8 family,
 * dst_len, src_len, tos, table, res1, res2, action; u32 flags) and the FRA_* attributes the agent
 * reads or writes. Unsigned kernel values keep their bits in Java ints and longs.
 *
 * @param family AF_INET or AF_INET6
 * @param source FRA_SRC with src_len, or null when the rule selects every source
 * @param destination FRA_DST with dst_len, or null for every destination
 * @param table FRA_TABLE, or the header's table when the kernel sent none
 * @param action the header's action (FR_ACT_*)
 * @param flags the header's flags (FIB_RULE_*)
 * @param inputInterface FRA_IIFNAME, or null
 * @param outputInterface FRA_OIFNAME, or null
 * @param fwmark FRA_FWMARK, absent when not sent
 * @param fwmask FRA_FWMASK, absent when not sent (the kernel reports 0xffffffff for a mark given
 *     without a mask)
 * @param priority FRA_PRIORITY; the kernel leaves it out for priority 0
 * @param protocol FRA_PROTOCOL; absent when a dump did not carry it (kernels before 4.17 neither keep
 *     nor report it), and then not sent either
 * @param otherSelectors the rule also selects on something this record does not carry (tos, not,
 *     uid range, ports, ip proto, l3mdev, tunnel id, suppressors, goto): it is not the agent's to
 *     judge
 */
public record RuleMessage(
    int family,
    IpPrefix source,
    IpPrefix destination,
    long table,
    int action,
    int flags,
    String inputInterface,
    String outputInterface,
    OptionalInt fwmark,
    OptionalInt fwmask,
    long priority,
    OptionalInt protocol,
    boolean otherSelectors) {

  /** A rule that carries FRA_PROTOCOL {@code protocol}. */
  public RuleMessage(int family, IpPrefix source, IpPrefix destination, long table, int action, int flags,
      String inputInterface, String outputInterface, OptionalInt fwmark, OptionalInt fwmask, long priority,
      int protocol, boolean otherSelectors) {
    this(family, source, destination, table, action, flags, inputInterface, outputInterface, fwmark, fwmask,
        priority, OptionalInt.of(protocol), otherSelectors);
  }

  /** FRA_PROTOCOL, or 0 (RTPROT_UNSPEC, "no originator") when absent. */
  public int protocolOrUnspec() {
    return protocol.orElse(Rtnetlink.RTPROT_UNSPEC);
  }

  /** This rule as a kernel before 4.17 would report it, or should be sent it: without FRA_PROTOCOL. */
  public RuleMessage withoutProtocol() {
    return new RuleMessage(family, source, destination, table, action, flags, inputInterface, outputInterface,
        fwmark, fwmask, priority, OptionalInt.empty(), otherSelectors);
  }

  /** Appends this rule as one message; RTM_DELRULE matches on the same fields. */
  public void encode(MessageBuilder b, int messageType, int nlFlags, int seq) {
    b.begin(messageType, nlFlags, seq);
    b.u8(family)
        .u8(destination == null ? 0 : destination.length())
        .u8(source == null ? 0 : source.length())
        .u8(0)
        .u8(table < 256 ? (int) table : Rtnetlink.RT_TABLE_UNSPEC)
        .u8(0)
        .u8(0)
        .u8(action)
        .u32(0);
    // The kernel's order (fib_nl_fill_rule, then fib4_rule_fill / fib6_rule_fill), so that an
    // encoded rule and the kernel's dump of it line up.
    b.attributeU32(FibRules.FRA_TABLE, (int) table);
    // Sent whenever known, as the kernel reports it; a kernel before 4.17 ignores an attribute past
    // its FRA_MAX anyway, and 0 (or none) matches any protocol in a delete.
    protocol.ifPresent(p -> b.attribute(FibRules.FRA_PROTOCOL, new byte[] {(byte) p}));
    if (inputInterface != null) {
      b.attributeString(FibRules.FRA_IIFNAME, inputInterface);
    }
    if (outputInterface != null) {
      b.attributeString(FibRules.FRA_OIFNAME, outputInterface);
    }
    if (priority != 0) {
      b.attributeU32(FibRules.FRA_PRIORITY, (int) priority);
    }
    fwmark.ifPresent(m -> b.attributeU32(FibRules.FRA_FWMARK, m));
    fwmask.ifPresent(m -> b.attributeU32(FibRules.FRA_FWMASK, m));
    if (destination != null) {
      b.attribute(FibRules.FRA_DST, destination.bytes());
    }
    if (source != null) {
      b.attribute(FibRules.FRA_SRC, source.bytes());
    }
    b.end();
  }

  /** Encodes an RTM_GETRULE dump request body for one family. */
  public static void encodeDumpRequest(MessageBuilder b, int family) {
    b.u8(family).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0);
  }

  public static RuleMessage decode(ByteBuffer buffer, int offset, int length) {
    if (length < FibRules.FIB_RULE_HDR_SIZE) {
      throw new MalformedMessageException("fib_rule_hdr of " + length + " bytes");
    }
    int family = Byte.toUnsignedInt(buffer.get(offset));
    int dstLength = Byte.toUnsignedInt(buffer.get(offset + 1));
    int srcLength = Byte.toUnsignedInt(buffer.get(offset + 2));
    int tos = Byte.toUnsignedInt(buffer.get(offset + 3));
    long table = Byte.toUnsignedInt(buffer.get(offset + 4));
    int action = Byte.toUnsignedInt(buffer.get(offset + 7));
    int flags = buffer.getInt(offset + 8);
    byte[] src = null;
    byte[] dst = null;
    String iif = null;
    String oif = null;
    OptionalInt fwmark = OptionalInt.empty();
    OptionalInt fwmask = OptionalInt.empty();
    long priority = 0;
    OptionalInt protocol = OptionalInt.empty();
    boolean other = tos != 0 || (flags & FibRules.FIB_RULE_INVERT) != 0;
    Attributes a = new Attributes(
        buffer, offset + FibRules.FIB_RULE_HDR_SIZE, length - FibRules.FIB_RULE_HDR_SIZE);
    while (a.next()) {
      switch (a.type()) {
        case FibRules.FRA_SRC -> src = a.bytes();
        case FibRules.FRA_DST -> dst = a.bytes();
        case FibRules.FRA_IIFNAME -> iif = a.string();
        case FibRules.FRA_OIFNAME -> oif = a.string();
        case FibRules.FRA_FWMARK -> fwmark = OptionalInt.of(a.u32());
        case FibRules.FRA_FWMASK -> fwmask = OptionalInt.of(a.u32());
        case FibRules.FRA_PRIORITY -> priority = Integer.toUnsignedLong(a.u32());
        case FibRules.FRA_TABLE -> table = Integer.toUnsignedLong(a.u32());
        case FibRules.FRA_PROTOCOL -> protocol = OptionalInt.of(a.u8());
        // -1 is "not set" for the suppressors; the kernel always reports the prefix length one.
        case FibRules.FRA_SUPPRESS_PREFIXLEN, FibRules.FRA_SUPPRESS_IFGROUP -> other |= a.u32() != -1;
        case FibRules.FRA_L3MDEV -> other |= a.u8() != 0;
        case FibRules.FRA_GOTO, FibRules.FRA_FLOW, FibRules.FRA_TUN_ID, FibRules.FRA_UID_RANGE,
            FibRules.FRA_IP_PROTO, FibRules.FRA_SPORT_RANGE, FibRules.FRA_DPORT_RANGE -> other = true;
        default -> {}
      }
    }
    if (a.malformed()) {
      throw new MalformedMessageException("rule attributes overrun their message");
    }
    return new RuleMessage(family, prefix(family, src, srcLength, "FRA_SRC"),
        prefix(family, dst, dstLength, "FRA_DST"), table, action, flags, iif, oif, fwmark, fwmask,
        priority, protocol, other);
  }

  private static IpPrefix prefix(int family, byte[] address, int length, String what) {
    if (length == 0) {
      return null;
    }
    int size = family == Family.INET6 ? 16 : 4;
    if (address == null || address.length != size || length > size * 8) {
      throw new MalformedMessageException(what + " of " + (address == null ? 0 : address.length)
          + " bytes for /" + length);
    }
    return IpPrefix.containing(IpAddresses.fromBytes(address), length);
  }
}
