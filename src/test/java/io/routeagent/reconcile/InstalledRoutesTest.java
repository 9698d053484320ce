package io.routeagent.reconcile;

import static io.routeagent.reconcile.Specs.config;
import static io.routeagent.reconcile.Specs.spec;
import static io.routeagent.reconcile.Specs.via;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.Gateway;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.RouteType;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.testing.FakeKernel;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class InstalledRoutesTest {
  final FakeKernel kernel = new FakeKernel();
  final Planner planner = new Planner(157);
  final Reconciler reconciler = new Reconciler(kernel, planner);

  private InstalledRoutes applied(DesiredConfig config) throws Exception {
    return InstalledRoutes.of(planner, config, reconciler.apply(config));
  }

  private RouteMessage kernelRouteTo(String destination) {
    return kernel.routesNow().stream()
        .filter(r -> r.destination().toString().equals(destination))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aDeletedRouteComesBackAsTheReconcileInstalledIt() throws Exception {
    InstalledRoutes installed = applied(config(via("10.0.0.0/16", "172.31.64.1", "eth2")));
    RouteMessage inKernel = kernelRouteTo("10.0.0.0/16");

    Change repair = installed.repair(inKernel, true);

    assertThat(repair.op()).isEqualTo(Change.Op.ADD);
    assertThat(repair.route()).isEqualTo(inKernel);
    assertThat(repair.description()).isEqualTo("10.0.0.0/16 via 172.31.64.1 dev eth2");
    assertThat(repair.spec().to().toString()).isEqualTo("10.0.0.0/16");
  }

  @Test
  void aSubnetRouterGatewayIsResolvedFromTheReconcilesInterfacesNotTodays() throws Exception {
    InstalledRoutes installed = applied(config(
        spec("10.0.0.0/16", new Gateway.SubnetRouter(), "eth2", OptionalInt.empty(), RouteType.UNICAST)));
    RouteMessage inKernel = kernelRouteTo("10.0.0.0/16");
    kernel.withoutAddresses(a -> true); // eth2 loses its address after the reconcile

    Change repair = installed.repair(inKernel, true);

    assertThat(IpAddresses.format(repair.route().gateway())).isEqualTo("172.31.64.1");
  }

  @Test
  void aRouteChangedToAnotherGatewayIsReplacedWithTheReasonInWords() throws Exception {
    InstalledRoutes installed = applied(config(via("10.0.0.0/16", "172.31.64.1", "eth2")));
    RouteMessage inKernel = kernelRouteTo("10.0.0.0/16");
    RouteMessage rewritten = new RouteMessage(inKernel.family(), inKernel.destination(), 0, inKernel.table(), 4,
        inKernel.scope(), inKernel.type(), 0, IpAddresses.parse("172.31.64.77").orElseThrow(),
        inKernel.outputInterface(), inKernel.priority(), null, OptionalInt.empty(), false, false, List.of());

    Change repair = installed.repair(rewritten, false);

    assertThat(repair.op()).isEqualTo(Change.Op.REPLACE);
    assertThat(repair.route()).isEqualTo(inKernel);
  }

  @Test
  void ourOwnRouteEchoingBackNeedsNoRepair() throws Exception {
    InstalledRoutes installed = applied(config(via("10.0.0.0/16", "172.31.64.1", "eth2")));

    assertThat(installed.repair(kernelRouteTo("10.0.0.0/16"), false)).isNull();
  }

  @Test
  void routesNotInstalledByTheReconcileAreNotRepaired() throws Exception {
    InstalledRoutes installed = applied(config(
        via("10.0.0.0/16", "172.31.64.1", "eth2"),
        via("10.1.0.0/16", "172.31.64.1", "eth9"))); // waits: no eth9
    RouteMessage ours = kernelRouteTo("10.0.0.0/16");
    RouteMessage waiting = new RouteMessage(ours.family(), io.routeagent.net.IpPrefix.parse("10.1.0.0/16").prefix(), 0,
        ours.table(), ours.protocol(), ours.scope(), ours.type(), 0, ours.gateway(), ours.outputInterface(),
        ours.priority(), null, OptionalInt.empty(), false, false, List.of());

    assertThat(installed.size()).isEqualTo(1);
    assertThat(installed.repair(waiting, true)).isNull();
    assertThat(InstalledRoutes.NONE.repair(ours, true)).isNull();
  }

  /** The same route in the kernel's eyes, but one the planner does not judge. */
  private static RouteMessage unjudged(RouteMessage r, int flags, long table, boolean sourceSpecific) {
    return new RouteMessage(r.family(), r.destination(), r.tos(), table, r.protocol(), r.scope(), r.type(),
        r.flags() | flags, r.gateway(), r.outputInterface(), r.priority(), r.preferredSource(), r.mtu(),
        sourceSpecific, r.multipath(), List.of());
  }

  @Test
  void aClonedSourceSpecificOrLocalTableRouteStartsNoRepair() throws Exception {
    // eth2's IPv6 link-local address, which every IPv6 interface has: fe80::1 is on its link.
    kernel.withAddresses(new io.routeagent.netlink.AddressMessage(io.routeagent.net.Family.INET6, 64, 0,
        Rtnetlink.RT_SCOPE_LINK, 2, io.routeagent.net.IpAddresses.parse("fe80::a00:ff:fe00:2").orElseThrow()));
    RouteSpec main = via("2001:db8::/32", "fe80::1", "eth2");
    RouteSpec local = new RouteSpec(main.location(), IpPrefix.parse("2001:db9::/32").prefix(), main.via(), main.dev(),
        main.metric(), Rtnetlink.RT_TABLE_LOCAL, main.type(), null, OptionalInt.empty(), false, false, List.of());
    InstalledRoutes installed = applied(config(main, local));
    RouteMessage ours = kernelRouteTo("2001:db8::/32");
    assertThat(installed.repair(ours, true)).as("the route itself").isNotNull();

    assertThat(installed.repair(unjudged(ours, Rtnetlink.RTM_F_CLONED, ours.table(), false), true)).isNull();
    assertThat(installed.repair(unjudged(ours, 0, ours.table(), true), true)).isNull();
    RouteMessage inLocal = kernelRouteTo("2001:db9::/32");
    assertThat(inLocal.table()).isEqualTo(Rtnetlink.RT_TABLE_LOCAL);
    assertThat(installed.repair(inLocal, true)).isNull();
  }

  @Test
  void interfaceNamesAreTheReconcilesSnapshots() throws Exception {
    InstalledRoutes installed = applied(config(via("10.0.0.0/16", "172.31.64.1", "eth2")));

    assertThat(installed.interfaceName(2)).isEqualTo("eth2");
    assertThat(installed.interfaceName(42)).isEqualTo("if#42");
  }
}
