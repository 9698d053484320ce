package io.routeagent.reconcile;

import io.routeagent.config.DeviceSelector;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.Rtnetlink;
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

  InterfaceView(KernelSnapshot snapshot) {
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
      addressesByIndex.computeIfAbsent(address.index(), i -> new ArrayList<>()).add(address);
      if (address.scope() != Rtnetlink.RT_SCOPE_HOST) {
        connectedSubnets.add(address.subnet());
      }
    }
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

  /** The interface's name, or "if#N" for an index the snapshot does not know. */
  /** Whether the snapshot had an interface with this index. */
  boolean has(int index) {
    return byIndex.containsKey(index);
  }

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
