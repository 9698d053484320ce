package io.routeagent.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The digest the daemon's resync compares instead of the routes themselves. */
class RouteDigestProperties {

  @Provide
  Arbitrary<RouteMessage> routes() {
    return new RouteMessageRoundTripProperties().routes();
  }

  @Provide
  Arbitrary<List<RouteMessage>> tables() {
    return routes().list().ofMaxSize(40);
  }

  @Property(tries = 100)
  void theOrderOfADumpDoesNotMatter(@ForAll("tables") List<RouteMessage> routes, @ForAll long seed) {
    List<RouteMessage> shuffled = new ArrayList<>(routes);
    Collections.shuffle(shuffled, new Random(seed));
    assertThat(digest(shuffled)).isEqualTo(digest(routes));
  }

  /**
   * Every component of the record, changed alone, changes the digest: a component added to
   * RouteMessage and left out of the digest fails here (and one of a type this test cannot vary
   * fails too, so that it is taught to).
   */
  @Property(tries = 500)
  void aChangeOfAnyComponentChangesTheDigest(@ForAll("routes") RouteMessage route) throws Exception {
    RecordComponent[] components = RouteMessage.class.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    for (int changed = 0; changed < components.length; changed++) {
      String name = components[changed].getName();
      if ((name.equals("multipath") && route.hasNextHops()) || (name.equals("nextHops") && !route.multipath())) {
        continue; // next hops are a multipath route's only: neither changes alone there
      }
      Object[] values = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        values[i] = components[i].getAccessor().invoke(route);
      }
      values[changed] = otherThan(values[changed], types[changed], name);
      RouteMessage other = RouteMessage.class.getDeclaredConstructor(types).newInstance(values);
      assertThat(other).isNotEqualTo(route);
      assertThat(digest(List.of(other))).as("changed %s", name)
          .isNotEqualTo(digest(List.of(route)));
    }
  }

  @Property(tries = 100)
  void aRouteMoreOrLessChangesTheDigest(@ForAll("tables") List<RouteMessage> routes, @ForAll("routes") RouteMessage one) {
    List<RouteMessage> more = new ArrayList<>(routes);
    more.add(one);
    assertThat(digest(more)).isNotEqualTo(digest(routes));
  }

  private static RouteDigest.Value digest(List<RouteMessage> routes) {
    RouteDigest digest = new RouteDigest();
    routes.forEach(digest::add);
    return digest.value();
  }

  private static Object otherThan(Object value, Class<?> type, String name) {
    if (type == int.class) {
      return (Integer) value + 1;
    } else if (type == long.class) {
      return (Long) value + 1;
    } else if (type == boolean.class) {
      return !(Boolean) value;
    } else if (type == OptionalInt.class) {
      OptionalInt o = (OptionalInt) value;
      return o.isPresent() ? OptionalInt.empty() : OptionalInt.of(0);
    } else if (type == InetAddress.class) {
      return value == null ? IpAddresses.fromBytes(new byte[] {10, 0, 0, 1}) : null;
    } else if (type == IpPrefix.class) {
      IpPrefix p = (IpPrefix) value;
      return IpPrefix.containing(p.address(), p.length() > 0 ? p.length() - 1 : 1);
    } else if (type == List.class) {
      List<NextHop> hops = new ArrayList<>(castHops(value));
      hops.add(new NextHop(0, 1, 7, null));
      return hops;
    }
    throw new AssertionError("teach this test to change " + name + " (" + type + ")");
  }

  @SuppressWarnings("unchecked")
  private static List<NextHop> castHops(Object value) {
    return (List<NextHop>) value;
  }
}
