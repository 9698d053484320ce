package io.routeagent.netlink;

import java.nio.ByteBuffer;

/**
 * An {@code NLMSG_ERROR} payload, {@code struct nlmsgerr}: an int error (0 for an ack, else a
 * negative errno), the header of the request it answers, then, with NLM_F_ACK_TLVS, extended-ack
 * attributes. The request body follows the header unless NLM_F_CAPPED says it was cut.
 *
 * @param errno the positive errno, 0 for an ack
 * @param requestSeq the sequence number of the request this answers
 * @param requestType the message type of that request
 * @param kernelMessage the kernel's extended-ack text, or null
 */
public record ErrorMessage(int errno, int requestSeq, int requestType, String kernelMessage) {

  public boolean isAck() {
    return errno == 0;
  }

  public static ErrorMessage decode(MessageCursor message) {
    ByteBuffer buffer = message.buffer();
    int offset = message.payloadOffset();
    int length = message.payloadLength();
    if (length < 4 + Netlink.NLMSG_HDRLEN) {
      throw new MalformedMessageException("NLMSG_ERROR of " + length + " bytes");
    }
    int error = buffer.getInt(offset);
    int requestLength = buffer.getInt(offset + 4);
    int requestType = Short.toUnsignedInt(buffer.getShort(offset + 8));
    int requestSeq = buffer.getInt(offset + 12);
    String text = null;
    // The request's copy: its header alone when capped, else all of it (nlmsg_len bytes). A copy
    // that claims less than a header or more than the payload leaves the text unread.
    int echoed = (message.flags() & Netlink.NLM_F_CAPPED) != 0 ? Netlink.NLMSG_HDRLEN : requestLength;
    if ((message.flags() & Netlink.NLM_F_ACK_TLVS) != 0 && echoed >= Netlink.NLMSG_HDRLEN && echoed <= length - 4) {
      int skip = 4 + Netlink.align(echoed);
      if (skip <= length) {
        Attributes tlv = new Attributes(buffer, offset + skip, length - skip);
        while (tlv.next()) {
          if (tlv.type() == Netlink.NLMSGERR_ATTR_MSG) {
            text = tlv.string();
          }
        }
      }
    }
    return new ErrorMessage(-error, requestSeq, requestType, text);
  }
}
