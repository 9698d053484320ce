package io.routeagent.reconcile;

import static io.routeagent.reconcile.Specs.config;
import static io.routeagent.reconcile.Specs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.DeviceSelector;
import io.routeagent.config.Gateway;
import io.routeagent.config.RouteType;
import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.testing.FakeKernel;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The planner resolves `dev` selectors against the snapshot's interfaces on every plan. */
class SelectorPlannerTest {
  final FakeKernel kernel = new FakeKernel();
  final Planner planner = new Planner(157);

  private Plan plan(DeviceSelector dev) {
    return planner.plan(
        config(spec("10.0.0.0/16", new Gateway.SubnetRouter(), dev, OptionalInt.empty(), RouteType.UNICAST)),
        kernel.snapshot());
  }

  private static DeviceSelector.Mac mac(String mac) {
    return new DeviceSelector.Mac(mac);
  }

  private static DeviceSelector.Subnet subnet(String cidr) {
    return new DeviceSelector.Subnet(IpPrefix.parse(cidr).prefix());
  }

  private void addLink(int index, String name, String mac) {
    kernel.withLink(new LinkMessage(index, Rtnetlink.IFF_UP, name, mac, List.of()));
  }

  private void addAddress(int index, String address, int length) {
    int family = address.contains(":") ? Family.INET6 : Family.INET;
    kernel.withAddresses(new AddressMessage(family, length, 0, 0, index, IpAddresses.parse(address).orElseThrow()));
  }

  private static void assertRoute(Plan plan, String description) {
    assertThat(plan.statuses()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(RouteState.MISSING));
    assertThat(plan.changes()).singleElement().satisfies(c -> assertThat(c.description()).isEqualTo(description));
  }

  private static void assertState(Plan plan, RouteState state, String reason) {
    assertThat(plan.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(state);
      assertThat(s.reason()).isEqualTo(reason);
    });
    assertThat(plan.changes()).isEmpty();
  }

  @Test
  void aMacSelectsItsInterfaceWhateverTheCase() {
    assertRoute(plan(mac("0A:00:00:00:00:02")), "10.0.0.0/16 via 172.31.64.1 dev eth2");
  }

  @Test
  void aSubnetSelectsTheInterfaceHoldingAnAddressInIt() {
    assertRoute(plan(subnet("172.31.0.0/16")), "10.0.0.0/16 via 172.31.64.1 dev eth2");
    assertRoute(plan(subnet("192.0.2.10/32")), "10.0.0.0/16 via 192.0.2.1 dev eth0");
  }

  @Test
  void anIpv6SubnetSelectsToo() {
    addAddress(3, "2001:db8:1::10", 64);
    Plan plan = planner.plan(
        config(Specs.spec("2001:db8:9::/48", new Gateway.Address(IpAddresses.parse("2001:db8:1::1").orElseThrow()),
            subnet("2001:db8:1::/64"), OptionalInt.empty(), RouteType.UNICAST)),
        kernel.snapshot());
    assertThat(plan.changes()).singleElement()
        .satisfies(c -> assertThat(c.description()).isEqualTo("2001:db8:9::/48 via 2001:db8:1::1 dev eth0"));
  }

  @Test
  void subnetRouterUsesTheAddressInsideTheSelectedSubnet() {
    // eth2 holds another IPv4 address first; the selector's range picks the router.
    kernel.withFirstAddress(new AddressMessage(Family.INET, 24, 0, 0, 2, IpAddresses.parse("10.200.0.5").orElseThrow()));
    assertRoute(plan(subnet("172.31.0.0/16")), "10.0.0.0/16 via 172.31.64.1 dev eth2");
    assertRoute(plan(mac("0a:00:00:00:00:02")), "10.0.0.0/16 via 10.200.0.1 dev eth2");
  }

  @Test
  void aRenamedOrRecreatedInterfaceIsFoundAgain() {
    kernel.replacingLink(2, new LinkMessage(9, Rtnetlink.IFF_UP, "ens6", "0a:00:00:00:00:02", List.of()));
    kernel.withoutAddresses(a -> a.index() == 2).withFirstAddress(new AddressMessage(Family.INET, 20, 0, 0, 9, IpAddresses.parse("172.31.64.10").orElseThrow()));
    Plan byMac = plan(mac("0a:00:00:00:00:02"));
    assertRoute(byMac, "10.0.0.0/16 via 172.31.64.1 dev ens6");
    assertThat(byMac.changes().get(0).route().outputInterface()).isEqualTo(9);
    assertRoute(plan(subnet("172.31.0.0/16")), "10.0.0.0/16 via 172.31.64.1 dev ens6");
  }

  @Test
  void nothingMatchingWaits() {
    assertState(plan(mac("0a:00:00:00:00:99")), RouteState.WAITING, "no interface has MAC 0a:00:00:00:00:99");
    assertState(plan(subnet("10.99.0.0/16")), RouteState.WAITING, "no interface holds an address in 10.99.0.0/16");
    assertState(plan(new DeviceSelector.Name("eth7")), RouteState.WAITING, "interface eth7 is absent");
  }

  @Test
  void severalMatchingIsRefusedNamingThem() {
    addLink(4, "eth3", "0a:00:00:00:00:02");
    addAddress(4, "172.31.96.10", 20);
    assertState(plan(mac("0a:00:00:00:00:02")), RouteState.REFUSED,
        "dev mac:0a:00:00:00:00:02 matches 2 interfaces: eth2, eth3; a route leaves by one: make the"
            + " selector narrower, or name the interface");
    assertThat(plan(subnet("172.31.0.0/16")).statuses().get(0).reason())
        .startsWith("dev subnet:172.31.0.0/16 matches 2 interfaces: eth2, eth3");
    assertRoute(plan(subnet("172.31.96.0/20")), "10.0.0.0/16 via 172.31.96.1 dev eth3");
  }

  @Test
  void aSelectedInterfaceThatIsDownOrHasNoIpv4Waits() {
    addLink(4, "eth3", "0a:00:00:00:00:04");
    addAddress(4, "2001:db8:1::10", 64);
    assertState(plan(mac("0a:00:00:00:00:04")), RouteState.WAITING,
        "interface eth3 (mac:0a:00:00:00:00:04) has no IPv4 subnet yet for subnet-router");
    kernel.withLink(new LinkMessage(4, 0, "eth3", "0a:00:00:00:00:04", List.of()));
    assertState(plan(subnet("2001:db8:1::/64")), RouteState.WAITING,
        "interface eth3 (subnet:2001:db8:1::/64) is down");
  }

  @Test
  void anAlternativeNameSelectsItsInterface() {
    kernel.withLink(new LinkMessage(2, Rtnetlink.IFF_UP, "eth2", "0a:00:00:00:00:02", List.of("device-number-1")));
    assertRoute(plan(new DeviceSelector.Name("device-number-1")), "10.0.0.0/16 via 172.31.64.1 dev eth2");
  }
}
