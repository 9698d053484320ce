package io.routeagent.reconcile;

import io.routeagent.config.DeviceSelector;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.netlink.RouteMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Interfaces and their addresses from one snapshot, looked up by name or index. */
public final class InterfaceView {
  private final Map<String, LinkMessage> byName = new HashMap<>();
  private final Map<Integer, LinkMessage> byIndex = new HashMap<>();
  private final Map<Integer, List<AddressMessage>> addressesByIndex = new HashMap<>();
  private final List<IpPrefix> connectedSubnets = new ArrayList<>();
  /** What each interface reaches directly: its addresses' subnets and the link-scope routes through it. */
  private final Map<Integer, List<IpPrefix>> onLinkByIndex = new HashMap<>();
  /**
   * The host's own IPv6 addresses, on any interface: none of them may be a gateway, but a
   * link-local one only on its own interface (the kernel's ip6_validate_gw looks for it there alone:
   * docker0's fe80::1 is a fine gateway through eth2).
   */
  private final java.util.Set<java.net.InetAddress> localIpv6 = new java.util.HashSet<>();
  /** {@link #reach}'s last answer, and what it was asked. */
  private Reach lastReach;
  private int lastReachIndex = -1;
  private java.net.InetAddress lastReachGateway;

  public InterfaceView(KernelSnapshot snapshot) {
    for (LinkMessage link : snapshot.links()) {
      byIndex.put(link.index(), link);
      byName.put(link.name(), link);
    }
    // Alternative names never shadow a primary name.
    for (LinkMessage link : snapshot.links()) {
      for (String alt : link.altNames()) {
        byName.putIfAbsent(alt, link);
      }
    }
    for (AddressMessage address : snapshot.addresses()) {
      listAt(addressesByIndex, address.index()).add(address);
      // A host-scope address (lo's 127.0.0.1/8) connects no link for the guard rails, but the kernel
      // routes its subnet through its interface all the same ("via 127.0.0.2 dev lo" is accepted):
      // without it, lo would seem to have no IPv4 subnet, and a gateway off it would wait forever.
      if (address.scope() != Rtnetlink.RT_SCOPE_HOST) {
        connectedSubnets.add(address.subnet());
      }
      listAt(onLinkByIndex, address.index()).add(address.subnet());
      if (address.family() == Family.INET6 && !address.address().isLinkLocalAddress()) {
        localIpv6.add(address.address());
      }
    }
    // A gateway is also reachable through a route to the link itself ("ip route add 10.9.0.0/16 dev
    // eth2"): the kernel accepts a gateway that such a route covers.
    for (RouteMessage route : snapshot.routes()) {
      if (route.gateway() == null && route.outputInterface() != 0 && route.type() == Rtnetlink.RTN_UNICAST
          && (route.scope() == Rtnetlink.RT_SCOPE_LINK || route.family() == Family.INET6)) {
        listAt(onLinkByIndex, route.outputInterface()).add(route.destination());
      }
    }
  }

  /**
   * The list kept for an interface, made on first use. Not computeIfAbsent with a lambda: each
   * lambda's first use costs a one-shot command milliseconds of bootstrap when the bundle's AOT
   * training did not reach it (its namespace has no address).
   */
  static <T> List<T> listAt(Map<Integer, List<T>> byIndex, int index) {
    List<T> list = byIndex.get(index);
    if (list == null) {
      list = new ArrayList<>();
      byIndex.put(index, list);
    }
    return list;
  }

  /**
   * The subnets of this family that the interface reaches directly (its addresses', and those of
   * routes to the link), or an empty list when it has no address of the family.
   */
  List<IpPrefix> onLink(int index, int family) {
    // Loops, not streams: asked per route, and no lambda to bootstrap (see listAt).
    boolean addressed = false;
    for (AddressMessage address : addressesByIndex.getOrDefault(index, List.of())) {
      addressed |= address.family() == family;
    }
    if (!addressed) {
      return List.of();
    }
    List<IpPrefix> subnets = new ArrayList<>();
    for (IpPrefix subnet : onLinkByIndex.getOrDefault(index, List.of())) {
      if (subnet.family() == family) {
        subnets.add(subnet);
      }
    }
    return subnets;
  }

  /** Where a gateway stands on an interface (see {@link #reach}). */
  enum Reach {
    /** On one of the subnets the interface reaches directly. */
    ON_LINK,
    /** The interface has no address of the gateway's family (yet). */
    NO_ADDRESS,
    /** On none of them. */
    OFF_LINK,
    /**
     * An IPv6 address of this host, on any interface: the kernel refuses it as a gateway ("Gateway
     * can not be a local address"), where an IPv4 one is taken.
     */
    LOCAL
  }

  /**
   * Where {@code gateway} stands on the interface. Asked for every route of a reconcile, and most
   * routes share their interface and gateway: the last answer is kept.
   */
  Reach reach(int index, java.net.InetAddress gateway) {
    if (index != lastReachIndex || !gateway.equals(lastReachGateway)) {
      List<IpPrefix> subnets = onLink(index, gateway instanceof java.net.Inet4Address ? Family.INET : Family.INET6);
      lastReach = isLocal(index, gateway) ? Reach.LOCAL : subnets.isEmpty() ? Reach.NO_ADDRESS : Reach.OFF_LINK;
      for (int i = 0; lastReach != Reach.LOCAL && i < subnets.size(); i++) {
        IpPrefix subnet = subnets.get(i);
        if (subnet.contains(gateway)) {
          lastReach = Reach.ON_LINK;
          break;
        }
      }
      lastReachIndex = index;
      lastReachGateway = gateway;
    }
    return lastReach;
  }

  /** Whether {@code gateway} is an IPv6 address of this host that the kernel refuses as one through {@code index}. */
  private boolean isLocal(int index, java.net.InetAddress gateway) {
    if (!gateway.isLinkLocalAddress()) {
      return localIpv6.contains(gateway);
    }
    for (AddressMessage address : addressesByIndex.getOrDefault(index, List.of())) {
      if (address.address().equals(gateway)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The interfaces a {@code dev} selects, in index order: at most one for a name; for a MAC, those
   * whose IFLA_ADDRESS it is; for a subnet, those holding an address inside it.
   */
  List<LinkMessage> select(DeviceSelector selector) {
    if (selector instanceof DeviceSelector.Name n) {
      LinkMessage link = byName.get(n.name());
      return link == null ? List.of() : List.of(link);
    }
    java.util.function.Predicate<LinkMessage> matches;
    if (selector instanceof DeviceSelector.Mac m) {
      matches = link -> m.mac().equalsIgnoreCase(link.mac());
    } else {
      IpPrefix range = ((DeviceSelector.Subnet) selector).range();
      matches = link -> addressesByIndex.getOrDefault(link.index(), List.of()).stream()
          .anyMatch(a -> range.contains(a.address()));
    }
    return byIndex.values().stream()
        .filter(matches)
        .sorted(Comparator.comparingInt(LinkMessage::index))
        .toList();
  }

  /** The interface with this name, or with this alternative name when none has it as its name. */
  public Optional<LinkMessage> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * The interface whose name {@code name}, absent, looks like a typo of ("eht2": did you mean
   * eth2?); not one that differs in its number alone (eth3 is another interface, which may come:
   * an ENI attached later). Names sorted, so that the answer does not depend on the dump's order.
   */
  Optional<String> nameLike(String name) {
    String stem = name.replaceFirst("[0-9]+$", "");
    List<String> others = byName.keySet().stream().filter(n -> !n.replaceFirst("[0-9]+$", "").equals(stem))
        .sorted().toList();
    return io.routeagent.config.Suggestions.closest(name, others);
  }

  /** Whether the snapshot had an interface with this index. */
  boolean has(int index) {
    return byIndex.containsKey(index);
  }

  /** The interface's name, or "if#N" for an index the snapshot does not know. */
  public String name(int index) {
    LinkMessage link = byIndex.get(index);
    return link != null ? link.name() : "if#" + index;
  }

  /**
   * The VPC router of the interface's IPv4 subnet: the first host of the subnet of its first
   * global IPv4 address.
   */
  Optional<java.net.InetAddress> subnetRouter(int index) {
    return subnetRouter(index, IpPrefix.defaultRoute(Family.INET));
  }

  /**
   * The VPC router of the subnet of the interface's first global IPv4 address inside {@code
   * within}: a subnet selector picks the address that made it select the interface.
   */
  Optional<java.net.InetAddress> subnetRouter(int index, IpPrefix within) {
    for (AddressMessage address : addressesByIndex.getOrDefault(index, List.of())) {
      if (address.family() == Family.INET
          && address.scope() == Rtnetlink.RT_SCOPE_UNIVERSE
          && address.prefixLength() <= 30
          && within.contains(address.address())) {
        byte[] first = address.subnet().bytes();
        first[3] |= 1;
        return Optional.of(io.routeagent.net.IpAddresses.fromBytes(first));
      }
    }
    return Optional.empty();
  }

  List<IpPrefix> connectedSubnets() {
    return connectedSubnets;
  }
}
