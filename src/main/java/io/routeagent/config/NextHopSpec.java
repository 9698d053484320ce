package io.routeagent.config;

/**
 * One next hop of a multipath entry.
 *
 * @param via the gateway, or null (then {@code dev} is given)
 * @param dev the interface: a name or a selector; or null (then {@code via} is an address)
 * @param weight its share of the flows, 1 to 256 ({@code rtnh_hops} + 1)
 * @param onlink RTNH_F_ONLINK: the gateway is on the link even if no subnet says so
 */
public record NextHopSpec(Gateway via, DeviceSelector dev, int weight, boolean onlink) {
  public static final int MIN_WEIGHT = 1;
  public static final int MAX_WEIGHT = 256;
  /**
   * Next hops of one route at most: RTA_MULTIPATH is one attribute, whose u16 nla_len holds at most
   * 65,535 bytes (about 2,300 IPv6 next hops); far more than ECMP uses (BIRD merges 16).
   */
  public static final int MAX_PER_ROUTE = 256;

  public NextHopSpec {
    if (weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException("weight " + weight + " is not within 1 to 256");
    }
    if (via == null && dev == null) {
      throw new IllegalArgumentException("a next hop needs a gateway or an interface");
    }
  }

  /** As {@code ip route} writes it: "nexthop via 172.31.64.1 dev eth2 weight 3". */
  public String describe() {
    StringBuilder sb = new StringBuilder("nexthop");
    if (via != null) {
      sb.append(" via ").append(via);
    }
    if (dev != null) {
      sb.append(" dev ").append(dev.describe());
    }
    if (weight != 1) {
      sb.append(" weight ").append(weight);
    }
    if (onlink) {
      sb.append(" onlink");
    }
    return sb.toString();
  }
}
