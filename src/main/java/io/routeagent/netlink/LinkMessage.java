package io.routeagent.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An interface as RTM_NEWLINK describes it: {@code struct ifinfomsg} (u8 ifi_family, u8 pad,
 * u16 ifi_type, s32 ifi_index, u32 ifi_flags, u32 ifi_change) and the attributes we use.
 *
 * @param index ifi_index
 * @param flags ifi_flags (IFF_UP, IFF_LOWER_UP, ...)
 * @param name IFLA_IFNAME
 * @param mac IFLA_ADDRESS as "0a:1b:...", or null
 * @param altNames IFLA_ALT_IFNAME entries of IFLA_PROP_LIST
 */
public record LinkMessage(int index, int flags, String name, String mac, List<String> altNames) {
  public LinkMessage {
    altNames = List.copyOf(altNames);
  }

  public boolean isUp() {
    return (flags & Rtnetlink.IFF_UP) != 0;
  }

  /**
   * The fixed part of a link message, {@code struct ifinfomsg}, without its attributes: what a
   * notification needs (an RTM_DELLINK is acted on whatever it carries).
   *
   * @param index ifi_index
   * @param flags ifi_flags
   */
  public record Header(int index, int flags) {
    /** Up and with its carrier: a link that lost its carrier is down to its traffic, though not to its routes. */
    public boolean carries() {
      int upWithCarrier = Rtnetlink.IFF_UP | Rtnetlink.IFF_LOWER_UP;
      return (flags & upWithCarrier) == upWithCarrier;
    }
  }

  /** Decodes the {@code struct ifinfomsg} at {@code offset}: s32 ifi_index at 4, u32 ifi_flags at 8. */
  public static Header decodeHeader(ByteBuffer buffer, int offset, int length) {
    if (length < Rtnetlink.IFINFOMSG_SIZE) {
      throw new MalformedMessageException("ifinfomsg of " + length + " bytes");
    }
    return new Header(buffer.getInt(offset + 4), buffer.getInt(offset + 8));
  }

  public static LinkMessage decode(ByteBuffer buffer, int offset, int length) {
    Header header = decodeHeader(buffer, offset, length);
    int index = header.index();
    int flags = header.flags();
    String name = null;
    String mac = null;
    List<String> altNames = new ArrayList<>();
    Attributes a =
        new Attributes(buffer, offset + Rtnetlink.IFINFOMSG_SIZE, length - Rtnetlink.IFINFOMSG_SIZE);
    while (a.next()) {
      switch (a.type()) {
        case Rtnetlink.IFLA_IFNAME -> name = a.string();
        case Rtnetlink.IFLA_ADDRESS -> mac = formatMac(a.bytes());
        case Rtnetlink.IFLA_PROP_LIST -> {
          Attributes props = a.nested();
          while (props.next()) {
            if (props.type() == Rtnetlink.IFLA_ALT_IFNAME) {
              altNames.add(props.string());
            }
          }
        }
        default -> {}
      }
    }
    if (a.malformed() || name == null) {
      throw new MalformedMessageException("link " + index + " without a valid IFLA_IFNAME");
    }
    return new LinkMessage(index, flags, name, mac, altNames);
  }

  /** Encodes an RTM_GETLINK dump request body. */
  public static void encodeDumpRequest(MessageBuilder b) {
    b.u8(0).u8(0).u16(0).u32(0).u32(0).u32(0);
  }

  static String formatMac(byte[] raw) {
    StringBuilder sb = new StringBuilder(raw.length * 3);
    for (byte x : raw) {
      if (sb.length() > 0) {
        sb.append(':');
      }
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }
}
