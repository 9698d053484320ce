package io.routeagent.reconcile;

import io.routeagent.testing.FakeKernel;

import static io.routeagent.reconcile.Specs.config;
import static io.routeagent.reconcile.Specs.via;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.KernelSnapshot;
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
    kernel.failNext("EEXIST");
    ApplyResult result = reconciler.apply(desired);
    assertThat(result.failed()).isTrue();
    assertThat(result.results()).filteredOn(r -> r.verdict() == ErrnoPolicy.Verdict.FAILED)
        .singleElement()
        .satisfies(r -> assertThat(r.message())
            .startsWith("EEXIST adding 10.0.0.0/16 via 172.31.64.1 dev eth2: ")
            .endsWith("(kernel: injected)"));
    assertThat(kernel.routes).hasSize(2);
    assertThat(result.statuses()).extracting(RouteStatus::state)
        .containsExactly(RouteState.FAILED, RouteState.INSTALLED, RouteState.INSTALLED);
  }

  @Test
  void convergesAfterEverySingleFailure() throws KernelException {
    for (String errno : new String[] {"EEXIST", "ENOMEM", "EINVAL", "ENETUNREACH", "ENODEV"}) {
      kernel.routes.clear();
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
    kernel.failNext("ENETUNREACH");
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
    kernel.routes.clear();
    ApplyResult result = reconciler.apply(config(), beforeTheyWent);
    assertThat(result.results()).hasSize(3).allMatch(r -> r.verdict() == ErrnoPolicy.Verdict.DONE);
  }
}
