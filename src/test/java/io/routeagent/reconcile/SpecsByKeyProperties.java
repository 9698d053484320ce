package io.routeagent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routeagent.config.Location;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.RouteType;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.RouteKey;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The index answers as a {@code HashMap<RouteKey, RouteSpec>} would, for any entries and any route. */
class SpecsByKeyProperties {
  /** A key drawn from a small space, so that lookups hit, miss and collide. */
  record Key(boolean inet6, int table, int third, int metric, int tos) {
    IpPrefix destination() {
      return IpPrefix.parse(inet6 ? "fd00:" + third + "::/64" : "10.0." + third + ".0/24").prefix();
    }

    OptionalInt priority() {
      return metric == 0 ? OptionalInt.empty() : OptionalInt.of(metric);
    }
  }

  @Provide
  Arbitrary<Key> keys() {
    return Combinators.combine(
            Arbitraries.of(false, true),
            Arbitraries.of(254, 100, 200),
            Arbitraries.integers().between(0, 40),
            Arbitraries.of(0, 100, 1024),
            Arbitraries.of(0, 0, 0, 4))
        .as(Key::new);
  }

  @Property(tries = 300)
  void findsExactlyTheEntryWithTheRoutesKey(
      @ForAll @Size(max = 60) List<@From("keys") Key> entryKeys, @ForAll List<@From("keys") Key> lookups) {
    Map<RouteKey, RouteSpec> oracle = new HashMap<>();
    Map<RouteSpec, Key> written = new HashMap<>();
    for (Key key : entryKeys) {
      if (key.tos() == 0) { // the routes file has no TOS
        RouteSpec spec = spec(key);
        if (oracle.putIfAbsent(spec.key(), spec) == null) {
          written.put(spec, key);
        }
      }
    }
    SpecsByKey index = new SpecsByKey(new ArrayList<>(oracle.values()));
    for (int i = 0; i < index.size(); i++) {
      assertThat(index.positionOf(route(written.get(index.spec(i))))).as("the position of an entry").isEqualTo(i);
    }

    assertThat(index.size()).isEqualTo(oracle.size());
    for (Key key : lookups) {
      RouteMessage route = route(key);
      assertThat(found(index, route)).as(key.toString()).isSameAs(oracle.get(RouteKey.of(route)));
    }
    written.forEach((spec, key) -> assertThat(found(index, route(key))).isSameAs(spec));
  }

  @Example
  void twoEntriesForOneRouteAreRefused() {
    Key key = new Key(false, 254, 1, 0, 0);
    assertThatThrownBy(() -> new SpecsByKey(List.of(spec(key), spec(key))))
        .hasMessageContaining("two entries for the route of blackhole 10.0.1.0/24");
  }

  @Example
  void anEmptyIndexFindsNothing() {
    assertThat(new SpecsByKey(List.of()).positionOf(route(new Key(false, 254, 1, 0, 0)))).isEqualTo(-1);
  }

  /** The entry the index finds for the route, or null. */
  private static RouteSpec found(SpecsByKey index, RouteMessage route) {
    int position = index.positionOf(route);
    return position < 0 ? null : index.spec(position);
  }

  private static RouteSpec spec(Key key) {
    return new RouteSpec(new Location("routes.yaml", 1, 1), key.destination(), null, null, key.priority(),
        key.table(), RouteType.BLACKHOLE, null, OptionalInt.empty(), false, false, List.of());
  }

  private static RouteMessage route(Key key) {
    IpPrefix destination = key.destination();
    return new RouteMessage(destination.family(), destination, key.tos(), key.table(), 157,
        Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RTN_BLACKHOLE, 0, null, 0, key.priority(), null,
        OptionalInt.empty(), false, false, List.of());
  }
}
