package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.IpAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@link RouteSpec.Extras}'s equals and hashCode, written out instead of the record's own. */
class RouteSpecExtrasTest {
  private static final NextHopSpec HOP_A =
      new NextHopSpec(new Gateway.Address(ip("172.31.64.1")), new DeviceSelector.Name("eth2"), 1, false);
  private static final NextHopSpec HOP_B =
      new NextHopSpec(new Gateway.Address(ip("172.31.80.1")), new DeviceSelector.Name("eth3"), 1, false);

  private static InetAddress ip(String text) {
    return IpAddresses.parse(text).orElseThrow();
  }

  /** An Extras with every attribute given. */
  private static RouteSpec.Extras full() {
    return new RouteSpec.Extras(100, OptionalInt.of(50), ip("172.31.64.10"), OptionalInt.of(9001),
        true, true, List.of(HOP_A, HOP_B));
  }

  @Test
  void equalValuesAreEqualWithTheSameHash() {
    assertThat(full()).isEqualTo(full()).hasSameHashCodeAs(full());
    RouteSpec.Extras defaults =
        new RouteSpec.Extras(RouteSpec.TABLE_MAIN, OptionalInt.empty(), null, OptionalInt.empty(), false, false, List.of());
    assertThat(defaults).isEqualTo(RouteSpec.Extras.NONE).hasSameHashCodeAs(RouteSpec.Extras.NONE);
    assertThat(RouteSpec.Extras.of(RouteSpec.TABLE_MAIN, OptionalInt.empty(), null, OptionalInt.empty(), false, false,
        List.of())).isSameAs(RouteSpec.Extras.NONE);
  }

  @Test
  void eachAttributeCounts() {
    RouteSpec.Extras x = full();
    List<UnaryOperator<RouteSpec.Extras>> changes = List.of(
        e -> new RouteSpec.Extras(101, e.metric(), e.src(), e.mtu(), e.onlink(), e.override(), e.nexthops()),
        e -> new RouteSpec.Extras(e.table(), OptionalInt.of(51), e.src(), e.mtu(), e.onlink(), e.override(), e.nexthops()),
        e -> new RouteSpec.Extras(e.table(), OptionalInt.empty(), e.src(), e.mtu(), e.onlink(), e.override(), e.nexthops()),
        e -> new RouteSpec.Extras(e.table(), e.metric(), null, e.mtu(), e.onlink(), e.override(), e.nexthops()),
        e -> new RouteSpec.Extras(e.table(), e.metric(), ip("172.31.64.11"), e.mtu(), e.onlink(),
            e.override(), e.nexthops()),
        e -> new RouteSpec.Extras(e.table(), e.metric(), e.src(), OptionalInt.of(1500), e.onlink(), e.override(),
            e.nexthops()),
        e -> new RouteSpec.Extras(e.table(), e.metric(), e.src(), e.mtu(), false, e.override(), e.nexthops()),
        e -> new RouteSpec.Extras(e.table(), e.metric(), e.src(), e.mtu(), e.onlink(), false, e.nexthops()),
        e -> new RouteSpec.Extras(e.table(), e.metric(), e.src(), e.mtu(), e.onlink(), e.override(), List.of(HOP_B, HOP_A)));
    for (UnaryOperator<RouteSpec.Extras> change : changes) {
      RouteSpec.Extras other = change.apply(x);
      assertThat(other).isNotEqualTo(x);
      assertThat(x).isNotEqualTo(other);
    }
    assertThat(x).isNotEqualTo(null).isNotEqualTo("extras");
  }
}
