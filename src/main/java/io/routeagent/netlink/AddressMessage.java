package io.routeagent.netlink;

import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * An interface address as RTM_NEWADDR describes it: {@code struct ifaddrmsg} (u8 ifa_family,
 * u8 ifa_prefixlen, u8 ifa_flags, u8 ifa_scope, u32 ifa_index) and IFA_LOCAL / IFA_ADDRESS.
 *
 * @param family AF_INET or AF_INET6
 * @param prefixLength ifa_prefixlen
 * @param flags IFA_FLAGS when present, else ifa_flags
 * @param scope ifa_scope
 * @param index ifa_index
 * @param address the interface's own address: IFA_LOCAL when present (IPv4; IFA_ADDRESS is then
 *     the peer on point-to-point links), else IFA_ADDRESS
 */
public record AddressMessage(
    int family, int prefixLength, int flags, int scope, int index, InetAddress address) {

  /** The subnet this address makes directly reachable. */
  public IpPrefix subnet() {
    return IpPrefix.containing(address, prefixLength);
  }

  /** Throws unless a message body of {@code length} bytes holds a whole {@code struct ifaddrmsg}. */
  public static void checkHeader(int length) {
    if (length < Rtnetlink.IFADDRMSG_SIZE) {
      throw new MalformedMessageException("ifaddrmsg of " + length + " bytes");
    }
  }

  public static AddressMessage decode(ByteBuffer buffer, int offset, int length) {
    checkHeader(length);
    int index = buffer.getInt(offset + 4);
    int family = Byte.toUnsignedInt(buffer.get(offset));
    int prefixLength = Byte.toUnsignedInt(buffer.get(offset + 1));
    int flags = Byte.toUnsignedInt(buffer.get(offset + 2));
    int scope = Byte.toUnsignedInt(buffer.get(offset + 3));
    byte[] local = null;
    byte[] address = null;
    Attributes a =
        new Attributes(buffer, offset + Rtnetlink.IFADDRMSG_SIZE, length - Rtnetlink.IFADDRMSG_SIZE);
    while (a.next()) {
      switch (a.type()) {
        case Rtnetlink.IFA_LOCAL -> local = a.bytes();
        case Rtnetlink.IFA_ADDRESS -> address = a.bytes();
        case Rtnetlink.IFA_FLAGS -> flags = a.u32();
        default -> {}
      }
    }
    byte[] own = local != null ? local : address;
    if (a.malformed() || own == null || (own.length != 4 && own.length != 16)) {
      throw new MalformedMessageException("address on link " + index + " without IFA_ADDRESS");
    }
    return new AddressMessage(family, prefixLength, flags, scope, index, IpAddresses.fromBytes(own));
  }

  /** Encodes an RTM_GETADDR dump request body for one family (AF_UNSPEC for all). */
  public static void encodeDumpRequest(MessageBuilder b, int family) {
    b.u8(family).u8(0).u8(0).u8(0).u32(0);
  }
}
