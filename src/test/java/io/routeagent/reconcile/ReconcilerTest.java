package io.routeagent.reconcile;

import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.testing.FakeKernel;

import static io.routeagent.reconcile.Specs.config;
import static io.routeagent.reconcile.Specs.via;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.netlink.AddressMessage;
import io.routeagent.netlink.RouteMessage;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  final FakeKernel kernel = new FakeKernel();
  final Reconciler reconciler = new Reconciler(kernel, new Planner(157));
  final DesiredConfig desired = config(
      via("10.0.0.0/16", "172.31.64.1", "eth2"),
      via("10.1.0.0/16", "172.31.64.1", "eth2"),
      via("10.2.0.0/16", "172.31.64.1", "eth2"));

  @Test
  void aFailureIsAttributedToItsOwnRouteAndTheOthersStillGoIn() throws KernelException {
    kernel.failNextRequestFor("10.0.0.0/16", "EEXIST");
    ApplyResult result = reconciler.apply(desired);
    assertThat(result.failed()).isTrue();
    assertThat(result.results()).filteredOn(r -> r.verdict() == ErrnoPolicy.Verdict.FAILED)
        .singleElement()
        .satisfies(r -> assertThat(r.message())
            .startsWith("EEXIST adding 10.0.0.0/16 via 172.31.64.1 dev eth2: ")
            .endsWith("(kernel: injected)"));
    assertThat(kernel.routesNow()).hasSize(2);
    assertThat(result.statuses()).extracting(RouteStatus::state)
        .containsExactly(RouteState.FAILED, RouteState.INSTALLED, RouteState.INSTALLED);
  }

  @Test
  void convergesAfterEverySingleFailure() throws KernelException {
    for (String errno : new String[] {"EEXIST", "ENOMEM", "EINVAL", "ENETUNREACH", "ENODEV"}) {
      kernel.withoutRoutes(r -> true);
      kernel.failNext(errno);
      reconciler.apply(desired);
      ApplyResult second = reconciler.apply(desired);
      assertThat(second.failed()).as(errno).isFalse();
      assertThat(reconciler.plan(desired).inSync()).as(errno).isTrue();
    }
  }

  /** The kernel's ENETUNREACH for a gateway the snapshot showed on the link (a neighbour going away): it waits. */
  @Test
  void aGatewayTheKernelCannotReachNowWaits() throws KernelException {
    kernel.failNextRequestFor("10.0.0.0/16", "ENETUNREACH");
    ApplyResult result = reconciler.apply(config(via("10.0.0.0/16", "172.31.64.99", "eth2")));
    assertThat(result.failed()).isFalse();
    assertThat(result.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.WAITING);
      assertThat(s.reason()).startsWith("ENETUNREACH adding 10.0.0.0/16 via 172.31.64.99 dev eth2");
    });
  }

  /** A gateway on no subnet of its interface is not even tried: the file must change. */
  @Test
  void aGatewayOnNoSubnetOfItsInterfaceIsUnreachableAndAFailure() throws KernelException {
    ApplyResult result = reconciler.apply(config(via("10.0.0.0/16", "10.99.0.1", "eth2")));
    assertThat(result.results()).isEmpty();
    assertThat(result.failed()).isTrue();
    assertThat(result.statuses()).extracting(RouteStatus::state).containsExactly(RouteState.UNREACHABLE);
  }

  @Test
  void deletingWhatIsAlreadyGoneIsDone() throws KernelException {
    reconciler.apply(desired);
    KernelSnapshot beforeTheyWent = kernel.snapshot();
    kernel.withoutRoutes(r -> true);
    ApplyResult result = reconciler.apply(config(), beforeTheyWent);
    assertThat(result.results()).hasSize(3).allMatch(r -> r.verdict() == ErrnoPolicy.Verdict.DONE);
  }

  /**
   * The daemon's periodic resync reads the routes as a digest: after a reconcile that changed
   * nothing, and until anything the planner reads changes, there is nothing to plan.
   */
  @Test
  void aReconcileThatChangedNothingIsSettledUntilAnythingItReadsChanges() throws KernelException {
    reconciler.reconcile(desired);
    assertThat(reconciler.settled(desired)).as("the last reconcile added routes").isFalse();
    assertThat(reconciler.reconcile(desired).results()).isEmpty();
    assertThat(reconciler.settled(desired)).isTrue();
    assertThat(reconciler.settled(config(via("10.0.0.0/16", "172.31.64.1", "eth2")))).as("another config").isFalse();
    assertThat(reconciler.settled(desired)).as("still, for the config in force").isTrue();

    RouteMessage first = kernel.routesNow().get(0);
    kernel.ipRouteDelete(first);
    assertThat(reconciler.settled(desired)).as("a route deleted").isFalse();
    kernel.ipRouteReplace(first);
    assertThat(reconciler.settled(desired)).as("not even once it is back: only a reconcile settles again").isFalse();
    reconciler.reconcile(desired);
    assertThat(reconciler.settled(desired)).isTrue();

    kernel.ipRouteReplace(new RouteMessage(first.family(), first.destination(), first.tos(), first.table(),
        first.protocol(), first.scope(), first.type(), first.flags(), first.gateway(), 3, first.priority(),
        first.preferredSource(), first.mtu(), first.hasSourcePrefix(), first.multipath(), first.nextHops()));
    assertThat(reconciler.settled(desired)).as("a route moved to another interface").isFalse();
    reconciler.reconcile(desired);
    reconciler.reconcile(desired);
    assertThat(reconciler.settled(desired)).isTrue();

    kernel.ipAddressAdd(new AddressMessage(Family.INET, 24, 0, 0, 3, IpAddresses.parse("192.0.2.11").orElseThrow()));
    assertThat(reconciler.settled(desired)).as("an address added").isFalse();
    reconciler.reconcile(desired);
    kernel.ipLinkSet(3, false);
    assertThat(reconciler.settled(desired)).as("a link down").isFalse();
    reconciler.reconcile(desired);
    reconciler.forgetInstalled();
    assertThat(reconciler.settled(desired)).as("after the policy failed closed").isFalse();
  }
}
