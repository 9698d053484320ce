package io.routeagent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteMessageTest {
  private static final int SEQ = 7;

  private static RouteMessage route(String to, String via, int oif, OptionalInt metric, long table) {
    return new RouteMessage(
        Family.INET,
        IpPrefix.parse(to).prefix(),
        0,
        table,
        157,
        Rtnetlink.RT_SCOPE_UNIVERSE,
        Rtnetlink.RTN_UNICAST,
        0,
        via == null ? null : IpAddresses.parse(via).orElseThrow(),
        oif,
        metric,
        null,
        OptionalInt.empty(),
        false,
        false,
        List.of());
  }

  private static List<RouteMessage> decodeAll(ByteBuffer datagram, List<byte[]> payloads) {
    List<RouteMessage> routes = new ArrayList<>();
    MessageCursor m = new MessageCursor(datagram, datagram.capacity());
    while (m.next()) {
      if (m.type() == Rtnetlink.RTM_NEWROUTE) {
        routes.add(RouteMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()));
        payloads.add(Dumps.slice(m.buffer(), m.payloadOffset(), m.payloadLength()));
      }
    }
    return routes;
  }

  @Test
  void encodesAnAddAsTheHeadersLayItOut() {
    MessageBuilder b = new MessageBuilder(64);
    route("10.0.0.0/16", "172.31.64.1", 2, OptionalInt.of(50), 254)
        .encode(b, Rtnetlink.RTM_NEWROUTE,
            Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_REPLACE, SEQ);
    String expected =
        // nlmsghdr: len 68, RTM_NEWROUTE 24, REQUEST|ACK|REPLACE|CREATE 0x505, seq 7, pid 0
        "44000000" + "1800" + "0505" + "07000000" + "00000000"
        // rtmsg: AF_INET, /16, src_len 0, tos 0, table 254, proto 157, scope 0, RTN_UNICAST; flags 0
        + "02100000" + "fe9d0001" + "00000000"
        // RTA_TABLE 254, RTA_DST 10.0.0.0, RTA_PRIORITY 50, RTA_GATEWAY 172.31.64.1, RTA_OIF 2
        + "08000f00fe000000" + "080001000a000000" + "0800060032000000" + "08000500ac1f4001"
        + "0800040002000000";
    assertThat(Dumps.hex(b.toByteArray())).isEqualTo(expected);
  }

  @Test
  void encodesATableAbove255OnlyInRtaTable() {
    MessageBuilder b = new MessageBuilder(64);
    route("10.0.0.0/8", null, 3, OptionalInt.empty(), 10001).encode(b, Rtnetlink.RTM_NEWROUTE, 1, SEQ);
    byte[] bytes = b.toByteArray();
    assertThat(bytes[16 + 4]).as("rtm_table").isEqualTo((byte) Rtnetlink.RT_TABLE_UNSPEC);
    RouteMessage back = RouteMessage.decode(ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.nativeOrder()), 16, bytes.length - 16);
    assertThat(back.table()).isEqualTo(10001);
  }

  @Test
  void encodesMtuAsRtaxMtuInsideRtaMetrics() {
    MessageBuilder b = new MessageBuilder(64);
    RouteMessage r = route("10.1.0.0/16", "172.31.64.1", 2, OptionalInt.empty(), 100);
    new RouteMessage(r.family(), r.destination(), 0, 100, 3, 0, 1, 0, r.gateway(), 2,
            OptionalInt.empty(), null, OptionalInt.of(1400), false, false, List.of())
        .encode(b, Rtnetlink.RTM_NEWROUTE, 0x2, 0);
    // RTA_METRICS (8), 12 bytes, holding RTAX_MTU (2) = 1400
    assertThat(Dumps.hex(b.toByteArray())).contains("0c000800" + "0800020078050000");
  }

  @Test
  void decodesTheKernelsIpv4Dump() {
    List<RouteMessage> routes = decodeAll(Dumps.load("route4.hex"), new ArrayList<>());

    RouteMessage owned = find(routes, "10.0.0.0/16");
    assertThat(owned.table()).isEqualTo(254);
    assertThat(owned.protocol()).isEqualTo(157);
    assertThat(owned.priority()).hasValue(50);
    assertThat(IpAddresses.format(owned.gateway())).isEqualTo("172.31.64.1");
    assertThat(owned.outputInterface()).isEqualTo(2);
    assertThat(owned.type()).isEqualTo(Rtnetlink.RTN_UNICAST);

    RouteMessage inTable100 = find(routes, "10.1.0.0/16");
    assertThat(inTable100.table()).isEqualTo(100);
    assertThat(inTable100.mtu()).hasValue(1400);
    assertThat(inTable100.priority()).isEmpty();
    assertThat(inTable100.protocol()).isEqualTo(3); // boot: what `ip route add` says

    assertThat(find(routes, "10.9.0.0/16").type()).isEqualTo(Rtnetlink.RTN_BLACKHOLE);

    RouteMessage connected = find(routes, "172.31.64.0/20");
    assertThat(connected.protocol()).isEqualTo(Rtnetlink.RTPROT_KERNEL);
    assertThat(connected.scope()).isEqualTo(Rtnetlink.RT_SCOPE_LINK);
    assertThat(IpAddresses.format(connected.preferredSource())).isEqualTo("172.31.64.10");

    assertThat(routes).filteredOn(r -> r.table() == Rtnetlink.RT_TABLE_LOCAL).hasSize(5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"route4.hex", "mp4.hex", "mp4-down.hex"})
  void reEncodesKernelRoutesToTheKernelsOwnBytes(String dump) {
    List<byte[]> payloads = new ArrayList<>();
    List<RouteMessage> routes = decodeAll(Dumps.load(dump), payloads);
    for (int i = 0; i < routes.size(); i++) {
      MessageBuilder b = new MessageBuilder(128);
      routes.get(i).encode(b, Rtnetlink.RTM_NEWROUTE, 0, 0);
      byte[] encoded = b.toByteArray();
      byte[] payload = java.util.Arrays.copyOfRange(encoded, Netlink.NLMSG_HDRLEN, encoded.length);
      assertThat(Dumps.hex(payload)).as("route %s", routes.get(i).destination()).isEqualTo(Dumps.hex(payloads.get(i)));
    }
  }

  @Test
  void decodesAnIpv4MultipathRouteWithItsNextHopsInTheKernelsOrder() {
    List<RouteMessage> routes = decodeAll(Dumps.load("mp4.hex"), new ArrayList<>());
    RouteMessage ecmp = find(routes, "10.0.0.0/16", 254);
    assertThat(ecmp.multipath()).isTrue();
    assertThat(ecmp.gateway()).isNull();
    assertThat(ecmp.outputInterface()).isZero();
    assertThat(ecmp.priority()).hasValue(50);
    // eth2 is index 3, eth3 index 5 (see dumps/README.md)
    assertThat(ecmp.nextHops()).containsExactly(
        new NextHop(0, 1, 3, ip("172.31.64.1")), new NextHop(0, 3, 5, ip("172.31.80.1")));

    RouteMessage inTable100 = find(routes, "10.1.0.0/16", 100);
    assertThat(inTable100.nextHops()).containsExactly(
        new NextHop(Rtnetlink.RTNH_F_ONLINK, 1, 3, ip("172.31.64.1")),
        new NextHop(0, 256, 5, ip("172.31.80.1")));
    assertThat(routes).filteredOn(r -> !r.multipath()).allMatch(r -> r.nextHops().isEmpty());
  }

  @Test
  void decodesAnIpv6MultipathRouteAsOneMessage() {
    List<RouteMessage> routes = decodeAll(Dumps.load("mp6.hex"), new ArrayList<>());
    assertThat(routes).filteredOn(r -> r.destination().toString().equals("fd00:1::/64")).hasSize(1);
    RouteMessage linkLocal = find(routes, "fd00:1::/64", 254);
    assertThat(linkLocal.priority()).hasValue(1024);
    assertThat(linkLocal.nextHops()).containsExactly(
        new NextHop(0, 1, 3, ip("fe80::1")), new NextHop(0, 2, 5, ip("fe80::2")));
    assertThat(find(routes, "fd00:2::/64", 254).nextHops()).containsExactly(
        new NextHop(0, 1, 3, ip("2001:db8:64::1")), new NextHop(0, 1, 5, ip("2001:db8:80::1")));
  }

  @ParameterizedTest
  @CsvSource({"mp4-down.hex, 10.0.0.0/16", "mp6-down.hex, fd00:1::/64", "mp6-down.hex, fd00:2::/64"})
  void aDownLinksNextHopIsMarkedDeadAndLinkdownAndTheRouteStays(String dump, String destination) {
    RouteMessage route = find(decodeAll(Dumps.load(dump), new ArrayList<>()), destination, 254);
    assertThat(route.flags()).as("rtm_flags").isZero();
    assertThat(route.nextHops()).hasSize(2);
    NextHop eth2 = route.nextHops().get(0);
    NextHop eth3 = route.nextHops().get(1);
    assertThat(eth2.down()).isFalse();
    assertThat(eth3.interfaceIndex()).isEqualTo(5);
    assertThat(eth3.flags()).isEqualTo(Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN);
    assertThat(eth3.down()).isTrue();
  }

  @Test
  void encodesRtaMultipathAsRtnexthopEntriesWithNestedGateways() {
    RouteMessage single = route("10.0.0.0/16", null, 0, OptionalInt.empty(), 254);
    RouteMessage ecmp = withNextHops(single,
        List.of(new NextHop(0, 1, 3, ip("172.31.64.1")), new NextHop(Rtnetlink.RTNH_F_ONLINK, 256, 5, ip("172.31.80.1"))));
    MessageBuilder b = new MessageBuilder(16);
    ecmp.encode(b, Rtnetlink.RTM_NEWROUTE, Netlink.NLM_F_REQUEST, SEQ);
    assertThat(Dumps.hex(b.toByteArray())).endsWith(
        // RTA_MULTIPATH (9), 36 bytes:
        "24000900"
        // rtnexthop len 16, flags 0, hops 0 (weight 1), ifindex 3; RTA_GATEWAY 172.31.64.1
        + "10000000" + "03000000" + "08000500ac1f4001"
        // rtnexthop len 16, flags ONLINK, hops 255 (weight 256), ifindex 5; RTA_GATEWAY 172.31.80.1
        + "100004ff" + "05000000" + "08000500ac1f5001");
  }

  @Test
  void nextHopsThatWouldOverflowNlaLenAreRefusedNotTruncated() {
    List<NextHop> hops = new ArrayList<>();
    for (int i = 0; i < 2400; i++) { // 28 bytes each in IPv6: 67,204 bytes
      hops.add(new NextHop(0, 1, 3, ip("fe80::" + Integer.toHexString(i + 1))));
    }
    RouteMessage route = new RouteMessage(Family.INET6, IpPrefix.parse("fd00::/64").prefix(), 0, 254, 157, 0,
        Rtnetlink.RTN_UNICAST, 0, null, 0, OptionalInt.empty(), null, OptionalInt.empty(), false, true, hops);
    assertThatThrownBy(() -> route.encode(new MessageBuilder(64), Rtnetlink.RTM_NEWROUTE, 0, SEQ))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("overflows nla_len");
  }

  @Test
  void aRouteThatAlsoNamesANexthopObjectHasNoNextHopsOfOurs() {
    // what nexthop_compat_mode dumps: RTA_NH_ID 7, then the group's expansion in RTA_MULTIPATH
    ByteBuffer withId = Dumps.hex("02100000fe9d0001" + "00000000" + "08001e0007000000"
        + "14000900" + "10000000" + "03000000" + "08000500ac1f4001");
    RouteMessage route = RouteMessage.decode(withId, 0, withId.capacity());
    assertThat(route.multipath()).isTrue();
    assertThat(route.nextHops()).isEmpty();
  }

  @Test
  void aNextHopWithRtaViaLeavesTheRouteUndescribed() {
    // an IPv4 route whose next hop is an IPv6 gateway: RTA_VIA (18) holds family 10 and 16 bytes
    ByteBuffer via = Dumps.hex("02100000fe9d0001" + "00000000"
        + "24000900" + "20000000" + "03000000" + "16001200" + "0a00" + "fe800000000000000000000000000001" + "0000");
    RouteMessage route = RouteMessage.decode(via, 0, via.capacity());
    assertThat(route.multipath()).isTrue();
    assertThat(route.nextHops()).isEmpty();
  }

  @Test
  void refusesAnRtnexthopThatOverrunsRtaMultipath() {
    // RTA_MULTIPATH of 16 bytes holding an rtnexthop that claims 20
    ByteBuffer bad = Dumps.hex("02100000fe9d0001" + "00000000" + "10000900" + "14000000" + "03000000" + "00000000");
    assertThatThrownBy(() -> RouteMessage.decode(bad, 0, bad.capacity()))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("rtnexthop of 20 bytes");
  }

  @Test
  void nextHopsAreOnlyForAMultipathRoute() {
    RouteMessage r = route("10.0.0.0/16", null, 0, OptionalInt.empty(), 254);
    assertThatThrownBy(() -> new RouteMessage(r.family(), r.destination(), 0, 254, 157, 0, 1, 0, null, 0,
            OptionalInt.empty(), null, OptionalInt.empty(), false, false, List.of(new NextHop(0, 1, 3, null))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NextHop(0, 257, 3, null)).hasMessageContaining("257");
    assertThatThrownBy(() -> new NextHop(0, 0, 3, null)).hasMessageContaining("0");
  }

  @Test
  void decodesTheKernelsIpv6Dump() {
    List<RouteMessage> routes = decodeAll(Dumps.load("route6.hex"), new ArrayList<>());
    assertThat(routes).allMatch(r -> r.family() == Family.INET6);
    List<RouteMessage> linkLocal = routes.stream()
        .filter(r -> r.destination().toString().equals("fe80::/64")).toList();
    assertThat(linkLocal).hasSize(2);
    assertThat(linkLocal).allMatch(r -> r.priority().equals(OptionalInt.of(256)) && r.table() == 254);
    assertThat(linkLocal).extracting(RouteMessage::outputInterface).containsExactlyInAnyOrder(2, 3);
    assertThat(find(routes, "::1").type()).isEqualTo(Rtnetlink.RTN_LOCAL);
  }

  @Test
  void refusesAnAttributeThatOverrunsItsMessage() {
    // rtmsg then an RTA_DST claiming 12 bytes where only 8 remain
    ByteBuffer bad = Dumps.hex("02100000fe9d0001" + "00000000" + "0c0001000a000000");
    assertThatThrownBy(() -> RouteMessage.decode(bad, 0, bad.capacity()))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void refusesAnAddressOfTheWrongSize() {
    ByteBuffer bad = Dumps.hex("02100000fe9d0001" + "00000000" + "0700050001020300");
    assertThatThrownBy(() -> RouteMessage.decode(bad, 0, bad.capacity()))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("3 bytes");
  }

  private static RouteMessage withNextHops(RouteMessage r, List<NextHop> hops) {
    return new RouteMessage(r.family(), r.destination(), r.tos(), r.table(), r.protocol(), r.scope(),
        r.type(), r.flags(), r.gateway(), r.outputInterface(), r.priority(), r.preferredSource(), r.mtu(),
        r.hasSourcePrefix(), true, hops);
  }

  private static java.net.InetAddress ip(String text) {
    return IpAddresses.parse(text).orElseThrow();
  }

  private static RouteMessage find(List<RouteMessage> routes, String destination, long table) {
    return routes.stream()
        .filter(r -> r.destination().toString().equals(destination) && r.table() == table)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no route " + destination + " in table " + table + " in " + routes));
  }

  private static RouteMessage find(List<RouteMessage> routes, String destination) {
    return routes.stream()
        .filter(r -> r.destination().toString().equals(destination))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no route " + destination + " in " + routes));
  }
}
