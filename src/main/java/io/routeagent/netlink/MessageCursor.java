package io.routeagent.netlink;

import java.nio.ByteBuffer;

/**
 * A cursor over the {@code struct nlmsghdr}-framed messages of one received datagram. A header
 * whose length runs past the datagram is reported as malformed rather than read.
 */
public final class MessageCursor {
  private final ByteBuffer buffer;
  private final int end;
  private int next;
  private int type;
  private int flags;
  private int seq;
  private int portId;
  private int offset;
  private int length;

  public MessageCursor(ByteBuffer buffer, int length) {
    this.buffer = buffer;
    this.end = length;
  }

  public boolean next() {
    if (next + Netlink.NLMSG_HDRLEN > end) {
      return false;
    }
    int messageLength = buffer.getInt(next);
    if (messageLength < Netlink.NLMSG_HDRLEN || messageLength > end - next) {
      throw new MalformedMessageException(
          "netlink message at offset " + next + " claims " + messageLength + " bytes of "
              + (end - next));
    }
    type = Short.toUnsignedInt(buffer.getShort(next + 4));
    flags = Short.toUnsignedInt(buffer.getShort(next + 6));
    seq = buffer.getInt(next + 8);
    portId = buffer.getInt(next + 12);
    offset = next + Netlink.NLMSG_HDRLEN;
    length = messageLength - Netlink.NLMSG_HDRLEN;
    next += Netlink.align(messageLength);
    return true;
  }

  public ByteBuffer buffer() {
    return buffer;
  }

  public int type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  public int seq() {
    return seq;
  }

  public int portId() {
    return portId;
  }

  /** Where the payload (after the header) starts in {@link #buffer}. */
  public int payloadOffset() {
    return offset;
  }

  public int payloadLength() {
    return length;
  }
}
