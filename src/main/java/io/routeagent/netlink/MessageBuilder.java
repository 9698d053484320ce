package io.routeagent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Appends netlink messages to one buffer, so that many requests leave in a single send. Headers
 * and attributes are in host byte order, addresses in network order, all 4-byte aligned. The
 * buffer is written with absolute puts only: its position stays 0, which is what the native
 * send expects.
 */
public final class MessageBuilder {
  private ByteBuffer buffer;
  private int length;
  private int messageStart = -1;
  private int lastMessageStart = -1;
  private int messageCount;

  public MessageBuilder(int initialCapacity) {
    buffer = ByteBuffer.allocateDirect(initialCapacity).order(ByteOrder.nativeOrder());
  }

  /** Starts a message: writes a {@code struct nlmsghdr} whose length is patched by {@link #end}. */
  public MessageBuilder begin(int type, int flags, int seq) {
    if (messageStart >= 0) {
      throw new IllegalStateException("the previous message was not ended");
    }
    messageStart = length;
    ensure(Netlink.NLMSG_HDRLEN);
    buffer.putInt(length, 0);
    buffer.putShort(length + 4, (short) type);
    buffer.putShort(length + 6, (short) flags);
    buffer.putInt(length + 8, seq);
    buffer.putInt(length + 12, 0); // nlmsg_pid 0: the kernel fills in our port
    length += Netlink.NLMSG_HDRLEN;
    return this;
  }

  /** Ends the current message: patches nlmsg_len and pads to NLMSG_ALIGNTO. */
  public MessageBuilder end() {
    if (messageStart < 0) {
      throw new IllegalStateException("no message was begun");
    }
    buffer.putInt(messageStart, length - messageStart);
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
    buffer.putShort(at, (short) (buffer.getShort(at) | flags));
    return this;
  }

  public MessageBuilder u8(int value) {
    ensure(1);
    buffer.put(length++, (byte) value);
    return this;
  }

  public MessageBuilder u16(int value) {
    ensure(2);
    buffer.putShort(length, (short) value);
    length += 2;
    return this;
  }

  public MessageBuilder u32(int value) {
    ensure(4);
    buffer.putInt(length, value);
    length += 4;
    return this;
  }

  public MessageBuilder bytes(byte[] value) {
    ensure(value.length);
    buffer.put(length, value);
    length += value.length;
    return this;
  }

  /** An attribute with a raw payload ({@code struct nlattr} + data + padding). */
  public MessageBuilder attribute(int type, byte[] payload) {
    ensure(Netlink.NLA_HDRLEN + payload.length + 3);
    buffer.putShort(length, (short) (Netlink.NLA_HDRLEN + payload.length));
    buffer.putShort(length + 2, (short) type);
    length += Netlink.NLA_HDRLEN;
    bytes(payload);
    pad();
    return this;
  }

  public MessageBuilder attributeU32(int type, int value) {
    ensure(Netlink.NLA_HDRLEN + 4);
    buffer.putShort(length, (short) (Netlink.NLA_HDRLEN + 4));
    buffer.putShort(length + 2, (short) type);
    buffer.putInt(length + 4, value);
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
    buffer.putShort(length + 2, (short) type);
    length += Netlink.NLA_HDRLEN;
    return mark;
  }

  public MessageBuilder endNested(int mark) {
    if (length - mark > 0xffff) {
      throw new IllegalStateException("nested attribute of " + (length - mark) + " bytes overflows nla_len");
    }
    buffer.putShort(mark, (short) (length - mark));
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

  /** The buffer holding the messages, position 0; valid until the next write. */
  public ByteBuffer buffer() {
    return buffer;
  }

  /** A copy of what was written: a datagram prepared to be sent later, from another buffer. */
  public byte[] toByteArray() {
    byte[] out = new byte[length];
    buffer.get(0, out);
    return out;
  }

  /** Forgets every message, keeping the buffer for reuse. */
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
      buffer.put(length++, (byte) 0);
    }
  }

  private void ensure(int more) {
    if (length + more <= buffer.capacity()) {
      return;
    }
    int capacity = Math.max(buffer.capacity() * 2, length + more);
    ByteBuffer grown = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    grown.put(0, buffer, 0, length);
    buffer = grown;
  }
}
