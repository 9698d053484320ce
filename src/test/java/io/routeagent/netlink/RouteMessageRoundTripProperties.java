package io.routeagent.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RouteMessageRoundTripProperties {

  @Property(tries = 2000)
  void decodeOfEncodeIsIdentity(@ForAll("routes") RouteMessage route) {
    MessageBuilder b = new MessageBuilder(16);
    route.encode(b, Rtnetlink.RTM_NEWROUTE, Netlink.NLM_F_REQUEST, 1);
    ByteBuffer bytes = ByteBuffer.wrap(b.toByteArray()).order(ByteOrder.nativeOrder());
    MessageCursor m = new MessageCursor(bytes, bytes.capacity());
    assertThat(m.next()).isTrue();
    assertThat(m.payloadLength() % Netlink.NLMSG_ALIGNTO).isZero();
    assertThat(RouteMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength())).isEqualTo(route);
    assertThat(m.next()).as("exactly one message").isFalse();
  }

  @Provide
  Arbitrary<RouteMessage> routes() {
    Arbitrary<Integer> family = Arbitraries.of(Family.INET, Family.INET6);
    return family.flatMap(f -> {
      int size = f == Family.INET ? 4 : 16;
      Arbitrary<byte[]> address = Arbitraries.bytes().array(byte[].class).ofSize(size);
      Arbitrary<IpPrefix> prefix = Combinators.combine(address, Arbitraries.integers().between(0, size * 8))
          .as((bytes, length) -> IpPrefix.containing(IpAddresses.fromBytes(bytes), length));
      Arbitrary<java.net.InetAddress> maybeAddress =
          address.map(IpAddresses::fromBytes).injectNull(0.3);
      Arbitrary<NextHop> nextHop = Combinators.combine(
              Arbitraries.of(0, Rtnetlink.RTNH_F_ONLINK, Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN,
                  Rtnetlink.RTNH_F_LINKDOWN),
              Arbitraries.integers().between(1, 256),
              Arbitraries.integers().between(0, 1 << 20),
              maybeAddress)
          .as(NextHop::new);
      // most routes single-path; the rest with the 2 to 16 next hops BIRD would merge
      Arbitrary<java.util.List<NextHop>> nextHops = Arbitraries.oneOf(
          Arbitraries.just(java.util.List.<NextHop>of()),
          nextHop.list().ofMinSize(1).ofMaxSize(16));
      Arbitrary<OptionalInt> maybeInt =
          Arbitraries.integers().map(OptionalInt::of).injectNull(0.3).map(o -> o == null ? OptionalInt.empty() : o);
      return Combinators.combine(
              prefix,
              Arbitraries.longs().between(1, 0xffffffffL),
              Arbitraries.integers().between(0, 255),
              Arbitraries.of(Rtnetlink.RTN_UNICAST, Rtnetlink.RTN_BLACKHOLE, Rtnetlink.RTN_UNREACHABLE,
                  Rtnetlink.RTN_PROHIBIT, Rtnetlink.RTN_THROW),
              maybeAddress,
              Arbitraries.integers().between(0, 1 << 20),
              maybeInt,
              maybeAddress)
          .flatAs((to, table, protocol, type, gateway, oif, metric, source) ->
              Combinators.combine(
                      maybeInt,
                      Arbitraries.of(0, Rtnetlink.RTNH_F_ONLINK),
                      Arbitraries.of(Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RT_SCOPE_LINK),
                      nextHops)
                  .as((mtu, flags, scope, hops) -> new RouteMessage(
                      f, to, 0, table, protocol, scope, type, flags, gateway, oif, metric, source, mtu,
                      false, !hops.isEmpty(), hops)));
    });
  }
}
