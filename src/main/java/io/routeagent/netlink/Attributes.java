package io.routeagent.netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over a run of {@code struct nlattr}: call {@link #next} until it returns false, reading
 * {@link #type} and the payload in between. A truncated or overlong attribute ends the run and
 * is reported by {@link #malformed}, so a decoder can refuse a message instead of guessing.
 */
public final class Attributes {
  private final ByteBuffer buffer;
  private final int end;
  private int next;
  private int type;
  private int payloadOffset;
  private int payloadLength;
  private boolean malformed;

  public Attributes(ByteBuffer buffer, int offset, int length) {
    this.buffer = buffer;
    this.next = offset;
    this.end = offset + length;
  }

  public boolean next() {
    if (next + Netlink.NLA_HDRLEN > end) {
      return false; // fewer bytes than a header left: padding, as nla_ok() treats it
    }
    int length = Short.toUnsignedInt(buffer.getShort(next));
    if (length < Netlink.NLA_HDRLEN || next + length > end) {
      malformed = true;
      return false;
    }
    type = Short.toUnsignedInt(buffer.getShort(next + 2)) & Netlink.NLA_TYPE_MASK;
    payloadOffset = next + Netlink.NLA_HDRLEN;
    payloadLength = length - Netlink.NLA_HDRLEN;
    next += Netlink.align(length);
    return true;
  }

  public boolean malformed() {
    return malformed;
  }

  public int type() {
    return type;
  }

  public int payloadOffset() {
    return payloadOffset;
  }

  public int payloadLength() {
    return payloadLength;
  }

  public byte[] bytes() {
    byte[] out = new byte[payloadLength];
    buffer.get(payloadOffset, out);
    return out;
  }

  public int u8() {
    requireLength(1);
    return Byte.toUnsignedInt(buffer.get(payloadOffset));
  }

  public int u32() {
    requireLength(4);
    return buffer.getInt(payloadOffset);
  }

  /** A NUL-terminated string; the terminator is optional, as the kernel accepts both. */
  public String string() {
    int length = payloadLength;
    while (length > 0 && buffer.get(payloadOffset + length - 1) == 0) {
      length--;
    }
    byte[] out = new byte[length];
    buffer.get(payloadOffset, out);
    return new String(out, StandardCharsets.UTF_8);
  }

  /** A cursor over this attribute's payload, for nested attributes. */
  public Attributes nested() {
    return new Attributes(buffer, payloadOffset, payloadLength);
  }

  private void requireLength(int size) {
    if (payloadLength < size) {
      throw new MalformedMessageException(
          "attribute " + type + " has " + payloadLength + " bytes, needs " + size);
    }
  }
}
