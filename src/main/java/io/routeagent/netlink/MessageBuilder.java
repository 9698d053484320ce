package io.routeagent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Appends netlink messages to one array, so that many requests leave in a single send. Headers
 * and attributes are in host byte order, addresses in network order, all 4-byte aligned.
 *
 * <p>An array, not a direct buffer: the daemon's JIT is C1 alone, which compiles a direct
 * buffer's absolute puts to calls with their bounds and session checks, and encoding 100,000
 * routes that way took 100 ms; stores into an array are a few instructions. The socket copies
 * the bytes into native memory as it sends them.
 */
public final class MessageBuilder {
  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  private byte[] bytes;
  private int length;
  private int messageStart = -1;
  private int lastMessageStart = -1;
  private int messageCount;

  public MessageBuilder(int initialCapacity) {
    bytes = new byte[initialCapacity];
  }

  /** Starts a message: writes a {@code struct nlmsghdr} whose length is patched by {@link #end}. */
  public MessageBuilder begin(int type, int flags, int seq) {
    if (messageStart >= 0) {
      throw new IllegalStateException("the previous message was not ended");
    }
    messageStart = length;
    ensure(Netlink.NLMSG_HDRLEN);
    put32(length, 0);
    put16(length + 4, type);
    put16(length + 6, flags);
    put32(length + 8, seq);
    put32(length + 12, 0); // nlmsg_pid 0: the kernel fills in our port
    length += Netlink.NLMSG_HDRLEN;
    return this;
  }

  /** Ends the current message: patches nlmsg_len and pads to NLMSG_ALIGNTO. */
  public MessageBuilder end() {
    if (messageStart < 0) {
      throw new IllegalStateException("no message was begun");
    }
    put32(messageStart, length - messageStart);
    pad();
    lastMessageStart = messageStart;
    messageStart = -1;
    messageCount++;
    return this;
  }

  /**
   * Adds {@code flags} to the nlmsg_flags of the last ended message: a batch asks for
   * {@link Netlink#NLM_F_ACK} on its last message only.
   */
  public MessageBuilder addFlagsToLast(int flags) {
    if (lastMessageStart < 0) {
      throw new IllegalStateException("no message was ended");
    }
    int at = lastMessageStart + 6; // nlmsg_flags: u32 len, u16 type, then u16 flags
    put16(at, get16(at) | flags);
    return this;
  }

  public MessageBuilder u8(int value) {
    ensure(1);
    bytes[length++] = (byte) value;
    return this;
  }

  public MessageBuilder u16(int value) {
    ensure(2);
    put16(length, value);
    length += 2;
    return this;
  }

  public MessageBuilder u32(int value) {
    ensure(4);
    put32(length, value);
    length += 4;
    return this;
  }

  public MessageBuilder bytes(byte[] value) {
    ensure(value.length);
    System.arraycopy(value, 0, bytes, length, value.length);
    length += value.length;
    return this;
  }

  /** An attribute with a raw payload ({@code struct nlattr} + data + padding). */
  public MessageBuilder attribute(int type, byte[] payload) {
    ensure(Netlink.NLA_HDRLEN + payload.length + 3);
    put16(length, Netlink.NLA_HDRLEN + payload.length);
    put16(length + 2, type);
    length += Netlink.NLA_HDRLEN;
    bytes(payload);
    pad();
    return this;
  }

  public MessageBuilder attributeU32(int type, int value) {
    ensure(Netlink.NLA_HDRLEN + 4);
    put16(length, Netlink.NLA_HDRLEN + 4);
    put16(length + 2, type);
    put32(length + 4, value);
    length += Netlink.NLA_HDRLEN + 4;
    return this;
  }

  /** A NUL-terminated string attribute, as IFLA_IFNAME. */
  public MessageBuilder attributeString(int type, String value) {
    byte[] text = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] payload = new byte[text.length + 1];
    System.arraycopy(text, 0, payload, 0, text.length);
    return attribute(type, payload);
  }

  /**
   * Opens a nested attribute; returns the mark to pass to {@link #endNested}. The type is written
   * as given: rtnetlink's legacy nests (RTA_METRICS) go without NLA_F_NESTED, as iproute2 and the
   * kernel's own dumps write them.
   */
  public int beginNested(int type) {
    ensure(Netlink.NLA_HDRLEN);
    int mark = length;
    put16(length + 2, type);
    length += Netlink.NLA_HDRLEN;
    return mark;
  }

  public MessageBuilder endNested(int mark) {
    if (length - mark > 0xffff) {
      throw new IllegalStateException("nested attribute of " + (length - mark) + " bytes overflows nla_len");
    }
    put16(mark, length - mark);
    return this;
  }

  /**
   * Opens a {@code struct rtnexthop} inside RTA_MULTIPATH (u16 rtnh_len, u8 rtnh_flags, u8
   * rtnh_hops, s32 rtnh_ifindex); its attributes follow, and {@link #endNested} with the returned
   * mark patches rtnh_len, which sits where an attribute's length does.
   */
  public int beginNextHop(int flags, int hops, int ifindex) {
    int mark = length;
    u16(0).u8(flags).u8(hops).u32(ifindex);
    return mark;
  }

  /** Bytes written so far, all messages included. */
  public int length() {
    return length;
  }

  /** Messages ended so far. */
  public int messageCount() {
    return messageCount;
  }

  /** The messages, to read back (tests, decoding): a view, valid until the next write. */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(bytes, 0, length).slice().order(ByteOrder.nativeOrder());
  }

  /** A copy of what was written: what a socket sends. */
  public byte[] toByteArray() {
    return java.util.Arrays.copyOf(bytes, length);
  }

  /** Forgets every message, keeping the array for reuse. */
  public void clear() {
    length = 0;
    messageStart = -1;
    lastMessageStart = -1;
    messageCount = 0;
  }

  private void pad() {
    int aligned = Netlink.align(length);
    ensure(aligned - length);
    while (length < aligned) {
      bytes[length++] = 0;
    }
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  private void put16(int at, int value) {
    if (LITTLE_ENDIAN) {
      bytes[at] = (byte) value;
      bytes[at + 1] = (byte) (value >>> 8);
    } else {
      bytes[at] = (byte) (value >>> 8);
      bytes[at + 1] = (byte) value;
    }
  }

  private int get16(int at) {
    int first = bytes[at] & 0xff;
    int second = bytes[at + 1] & 0xff;
    return LITTLE_ENDIAN ? first | second << 8 : first << 8 | second;
  }

  private void put32(int at, int value) {
    if (LITTLE_ENDIAN) {
      bytes[at] = (byte) value;
      bytes[at + 1] = (byte) (value >>> 8);
      bytes[at + 2] = (byte) (value >>> 16);
      bytes[at + 3] = (byte) (value >>> 24);
    } else {
      bytes[at] = (byte) (value >>> 24);
      bytes[at + 1] = (byte) (value >>> 16);
      bytes[at + 2] = (byte) (value >>> 8);
      bytes[at + 3] = (byte) value;
    }
  }
}
