package io.routeagent.reconcile;

import io.routeagent.net.IpAddresses;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import java.util.function.IntFunction;

/** Routes in {@code ip route} words, for plans, logs and errors. */
public final class RouteText {
  private RouteText() {}

  /** "10.0.0.0/16 via 172.31.64.1 dev eth2 metric 50", as {@code ip route} prints it. */
  public static String describe(RouteMessage route, IntFunction<String> interfaceName) {
    StringBuilder sb = new StringBuilder();
    String type = specialType(route);
    if (type != null) {
      sb.append(type).append(' ');
    }
    sb.append(route.destination());
    appendAttributes(route, interfaceName, " ", sb);
    return sb.toString();
  }

  /** The same as log fields: "to=10.0.0.0/16 via=172.31.64.1 dev=eth2 metric=50". */
  public static String fields(RouteMessage route, IntFunction<String> interfaceName) {
    StringBuilder sb = new StringBuilder("to=").append(route.destination());
    appendAttributes(route, interfaceName, "=", sb);
    String type = specialType(route);
    if (type != null) {
      sb.append(" type=").append(type);
    }
    return sb.toString();
  }

  private static String specialType(RouteMessage route) {
    return route.type() != Rtnetlink.RTN_UNICAST && route.type() != Rtnetlink.RTN_UNSPEC
        ? typeName(route.type())
        : null;
  }

  /** Each attribute that is set, as " NAME" + separator + "VALUE". */
  private static void appendAttributes(
      RouteMessage route, IntFunction<String> interfaceName, String separator, StringBuilder sb) {
    if (route.gateway() != null) {
      sb.append(" via").append(separator).append(IpAddresses.format(route.gateway()));
    }
    if (route.multipath() && !route.hasNextHops()) {
      // next hops the codec does not read: say so rather than show a route without a gateway
      sb.append(separator.equals("=") ? " via=\"RTA_VIA or nhid\"" : " via <an IPv6 gateway (RTA_VIA) or a nexthop object>");
    }
    if (route.outputInterface() != 0) {
      sb.append(" dev").append(separator).append(interfaceName.apply(route.outputInterface()));
    }
    if (route.table() != Rtnetlink.RT_TABLE_MAIN) {
      sb.append(" table").append(separator).append(route.table());
    }
    route.priority().ifPresent(p -> sb.append(" metric").append(separator).append(Integer.toUnsignedString(p)));
    if (route.preferredSource() != null) {
      sb.append(" src").append(separator).append(IpAddresses.format(route.preferredSource()));
    }
    route.mtu().ifPresent(m -> sb.append(" mtu").append(separator).append(m));
    if ((route.flags() & Rtnetlink.RTNH_F_ONLINK) != 0) {
      sb.append(separator.equals("=") ? " onlink=true" : " onlink");
    }
    for (io.routeagent.netlink.NextHop hop : route.nextHops()) {
      String words = NextHops.describe(hop, interfaceName, true);
      sb.append(separator.equals("=") ? " nexthop=\"" + words + "\"" : " nexthop " + words);
    }
  }

  public static String typeName(int type) {
    return switch (type) {
      case Rtnetlink.RTN_UNICAST -> "unicast";
      case Rtnetlink.RTN_LOCAL -> "local";
      case Rtnetlink.RTN_BLACKHOLE -> "blackhole";
      case Rtnetlink.RTN_UNREACHABLE -> "unreachable";
      case Rtnetlink.RTN_PROHIBIT -> "prohibit";
      case Rtnetlink.RTN_THROW -> "throw";
      default -> "type " + type;
    };
  }

  /** The name of the protocol's originator in linux/rtnetlink.h, as iproute2 shows it; a number otherwise. */
  public static String protocolName(int protocol) {
    String originator = Rtnetlink.protocolOriginator(protocol);
    return originator != null ? originator : Integer.toString(protocol);
  }
}
