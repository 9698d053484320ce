package io.routeagent.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.IpAddresses;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkAndAddressMessageTest {
  @Test
  void decodesTheKernelsLinkDump() {
    ByteBuffer dump = Dumps.load("link.hex");
    List<LinkMessage> links = new ArrayList<>();
    MessageCursor m = new MessageCursor(dump, dump.capacity());
    while (m.next()) {
      if (m.type() == Rtnetlink.RTM_NEWLINK) {
        links.add(LinkMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()));
      }
    }
    // Link messages are large: this first datagram of the dump holds two of the three links.
    assertThat(links).extracting(LinkMessage::name).containsExactly("lo", "eth2");
    assertThat(links).extracting(LinkMessage::index).containsExactly(1, 2);
    assertThat(links.get(0).mac()).isEqualTo("00:00:00:00:00:00");
    assertThat(links.get(1).mac()).isEqualTo("f2:73:08:cd:5a:95");
    assertThat(links).allMatch(LinkMessage::isUp);
  }

  @Test
  void decodesTheKernelsAddressDump() {
    ByteBuffer dump = Dumps.load("addr.hex");
    List<AddressMessage> addresses = new ArrayList<>();
    MessageCursor m = new MessageCursor(dump, dump.capacity());
    while (m.next()) {
      if (m.type() == Rtnetlink.RTM_NEWADDR) {
        addresses.add(AddressMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()));
      }
    }
    AddressMessage eth2 = addresses.stream()
        .filter(a -> a.index() == 2 && a.family() == io.routeagent.net.Family.INET)
        .findFirst()
        .orElseThrow();
    assertThat(IpAddresses.format(eth2.address())).isEqualTo("172.31.64.10");
    assertThat(eth2.prefixLength()).isEqualTo(20);
    assertThat(eth2.scope()).isEqualTo(Rtnetlink.RT_SCOPE_UNIVERSE);
    assertThat(eth2.subnet().toString()).isEqualTo("172.31.64.0/20");
    assertThat(addresses)
        .filteredOn(a -> a.family() == io.routeagent.net.Family.INET6 && a.scope() == Rtnetlink.RT_SCOPE_LINK)
        .extracting(AddressMessage::index)
        .containsExactlyInAnyOrder(2, 3);
  }
}
