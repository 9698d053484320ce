package io.routeagent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.MalformedMessageException;
import io.routeagent.netlink.MessageBuilder;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The notifications of a datagram as the daemon sees them, decoded through the codec. */
class EventSocketDecodeTest {
  private final MessageBuilder b = new MessageBuilder(256);

  private void link(int type, int index, int flags) {
    b.begin(type, 0, 0).u8(Family.UNSPEC).u8(0).u16(1).u32(index).u32(flags).u32(0)
        .attributeString(Rtnetlink.IFLA_IFNAME, "eth" + index).end();
  }

  private void address(int type, int index) {
    b.begin(type, 0, 0).u8(Family.INET).u8(24).u8(0).u8(0).u32(index)
        .attribute(Rtnetlink.IFA_ADDRESS, new byte[] {10, 0, 0, 1}).end();
  }

  private List<KernelEvent> decode() {
    List<KernelEvent> events = new ArrayList<>();
    EventSocket.decode(b.buffer(), b.length(), events);
    return events;
  }

  @Test
  void linksAndAddressesAreInterfaceChangesWithTheirCause() {
    link(Rtnetlink.RTM_NEWLINK, 2, Rtnetlink.IFF_UP | Rtnetlink.IFF_LOWER_UP);
    link(Rtnetlink.RTM_NEWLINK, 3, 0);
    link(Rtnetlink.RTM_NEWLINK, 7, Rtnetlink.IFF_UP); // up, without a carrier
    link(Rtnetlink.RTM_DELLINK, 4, Rtnetlink.IFF_UP);
    address(Rtnetlink.RTM_NEWADDR, 5);
    address(Rtnetlink.RTM_DELADDR, 6);
    assertThat(decode()).containsExactly(
        new KernelEvent.InterfaceChanged("link-up"),
        new KernelEvent.InterfaceChanged("link-down"),
        new KernelEvent.InterfaceChanged("link-down"),
        new KernelEvent.InterfaceChanged("link-removed"),
        new KernelEvent.InterfaceChanged("address-added"),
        new KernelEvent.InterfaceChanged("address-removed"));
  }

  @Test
  void routesAndRulesComeOutInOrderAndOtherTypesAreSkipped() {
    RouteMessage route = new RouteMessage(Family.INET, IpPrefix.parse("10.0.0.0/16").prefix(), 0, 254, 157,
        Rtnetlink.RT_SCOPE_LINK, Rtnetlink.RTN_UNICAST, 0, null, 2, OptionalInt.of(50), null,
        OptionalInt.empty(), false, false, List.of());
    route.encode(b, Rtnetlink.RTM_DELROUTE, 0, 1);
    b.begin(Rtnetlink.RTM_NEWRULE, 0, 0).u32(0).u32(0).end();
    b.begin(28 /* RTM_NEWNEIGH */, 0, 0).u32(0).end();
    List<KernelEvent> events = decode();
    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isInstanceOfSatisfying(KernelEvent.RouteChanged.class, r -> {
      assertThat(r.deleted()).isTrue();
      assertThat(r.route().destination()).isEqualTo(IpPrefix.parse("10.0.0.0/16").prefix());
    });
    assertThat(events.get(1)).isEqualTo(new KernelEvent.RuleChanged());
  }

  @Test
  void aTruncatedLinkHeaderIsMalformedNotAnIndexError() {
    b.begin(Rtnetlink.RTM_NEWLINK, 0, 0).u32(0).u32(2).end(); // 8 of ifinfomsg's 16 bytes
    assertThatThrownBy(this::decode).isInstanceOf(MalformedMessageException.class);
    b.clear();
    b.begin(Rtnetlink.RTM_NEWADDR, 0, 0).u32(0).end();
    assertThatThrownBy(this::decode).isInstanceOf(MalformedMessageException.class);
  }
}
