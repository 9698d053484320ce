package io.routeagent.netlink;

import io.routeagent.net.IpPrefix;
import java.net.InetAddress;

/**
 * A digest of routes as decoded: two reads of a table that did not change give the same one, and
 * a change of any component of any route changes it (but with a chance of 2^-64). The sum of one
 * digest per route, so the order of a dump does not matter. It lets the daemon's periodic resync
 * read 100,000 routes without keeping them (see {@code reconcile.Reconciler}).
 */
public final class RouteDigest {
  /** The digest of some routes, and how many they were. */
  public record Value(long sum, int routes) {}

  private long sum;
  private int routes;

  public void add(RouteMessage route) {
    sum += of(route);
    routes++;
  }

  /** Starts again (a dump interrupted by a change is read again from its start). */
  public void clear() {
    sum = 0;
    routes = 0;
  }

  public Value value() {
    return new Value(sum, routes);
  }

  /** The digest of one route: every component of {@link RouteMessage}, in its order. */
  static long of(RouteMessage r) {
    long h = 0x6a09e667f3bcc908L;
    h = mix(h, r.family());
    h = mix(h, r.destination());
    h = mix(h, r.tos());
    h = mix(h, r.table());
    h = mix(h, r.protocol());
    h = mix(h, r.scope());
    h = mix(h, r.type());
    h = mix(h, r.flags());
    h = mix(h, r.gateway());
    h = mix(h, r.outputInterface());
    h = mix(h, r.priority().isPresent() ? 1L << 32 | r.priority().getAsInt() & 0xffffffffL : -1);
    h = mix(h, r.preferredSource());
    h = mix(h, r.mtu().isPresent() ? 1L << 32 | r.mtu().getAsInt() & 0xffffffffL : -1);
    h = mix(h, r.hasSourcePrefix() ? 1 : 0);
    h = mix(h, r.multipath() ? 1 : 0);
    h = mix(h, r.nextHops().size());
    for (NextHop hop : r.nextHops()) {
      h = mix(h, hop.flags());
      h = mix(h, hop.weight());
      h = mix(h, hop.interfaceIndex());
      h = mix(h, hop.gateway());
    }
    return finish(h);
  }

  private static long mix(long h, IpPrefix prefix) {
    return mix(mix(h, prefix.length()), prefix.bytes());
  }

  private static long mix(long h, InetAddress address) {
    return address == null ? mix(h, -2) : mix(h, address.getAddress());
  }

  private static long mix(long h, byte[] bytes) {
    h = mix(h, bytes.length);
    for (byte b : bytes) {
      h = mix(h, b & 0xff);
    }
    return h;
  }

  private static long mix(long h, long x) {
    return Long.rotateLeft((h ^ x) * 0x9e3779b97f4a7c15L, 31);
  }

  /** SplitMix64's finaliser: every bit of the input reaches every bit of the sum's terms. */
  private static long finish(long h) {
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
