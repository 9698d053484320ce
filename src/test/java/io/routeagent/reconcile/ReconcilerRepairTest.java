package io.routeagent.reconcile;

import io.routeagent.kernel.ErrnoPolicy;
import static io.routeagent.reconcile.Specs.config;
import static io.routeagent.reconcile.Specs.via;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.kernel.KernelEvent;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.testing.FakeKernel;
import io.routeagent.testing.Notifications;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Reconciler#repair}: from the notifications to the judged results, in one call. */
class ReconcilerRepairTest {
  final Notifications notifications = new Notifications();
  final FakeKernel kernel = new FakeKernel().notifying(notifications);
  final Reconciler reconciler = new Reconciler(kernel, new Planner(157));

  private RouteMessage kernelRouteTo(String destination) {
    return kernel.routesNow().stream()
        .filter(r -> r.destination().toString().equals(destination))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void ourOwnChangesEchoingBackCallForNothing() throws Exception {
    reconciler.reconcile(config(via("10.0.0.0/16", "172.31.64.1", "eth2"), via("10.1.0.0/16", "172.31.64.1", "eth2")));
    List<KernelEvent.RouteChanged> echoes = notifications.routes();
    assertThat(echoes).hasSize(2);
    int before = kernel.requests().size();

    assertThat(reconciler.repair(echoes)).isSameAs(RepairResult.NOTHING);
    assertThat(kernel.requests()).hasSize(before);
  }

  @Test
  void aDeletedRouteIsPutBackAndJudged() throws Exception {
    reconciler.reconcile(config(via("10.0.0.0/16", "172.31.64.1", "eth2")));
    RouteMessage route = kernelRouteTo("10.0.0.0/16");
    notifications.clear();
    kernel.ipRouteDelete(route);

    RepairResult repair = reconciler.repair(notifications.routes());

    assertThat(repair.failure()).isNull();
    assertThat(repair.results()).singleElement().satisfies(r -> {
      assertThat(r.verdict()).isEqualTo(ErrnoPolicy.Verdict.DONE);
      assertThat(RepairResult.cause(r.change())).isEqualTo("deleted-externally");
    });
    assertThat(kernel.routesNow()).contains(route);
  }

  @Test
  void nothingIsRepairedBeforeAReconcileNorOnceItIsForgotten() throws Exception {
    reconciler.apply(config(via("10.0.0.0/16", "172.31.64.1", "eth2"))); // a one-shot apply keeps nothing
    RouteMessage route = kernelRouteTo("10.0.0.0/16");
    kernel.ipRouteDelete(route);
    List<KernelEvent.RouteChanged> deleted = notifications.routes();
    assertThat(reconciler.repair(deleted).isEmpty()).isTrue();

    reconciler.reconcile(config(via("10.0.0.0/16", "172.31.64.1", "eth2")));
    reconciler.forgetInstalled();
    assertThat(reconciler.repair(deleted).isEmpty()).isTrue();
    assertThat(reconciler.installed().size()).isZero();
  }

  @Test
  void aRefusedRepairSaysWhy() throws Exception {
    reconciler.reconcile(config(via("10.0.0.0/16", "172.31.64.1", "eth2")));
    RouteMessage route = kernelRouteTo("10.0.0.0/16");
    kernel.failNextRequestFor("10.0.0.0/16", "ENOMEM");
    kernel.ipRouteDelete(route);

    RepairResult repair = reconciler.repair(notifications.routes());

    assertThat(repair.results()).singleElement()
        .satisfies(r -> {
          assertThat(r.verdict()).isNotEqualTo(ErrnoPolicy.Verdict.DONE);
          assertThat(r.message()).contains("ENOMEM");
        });
    assertThat(kernel.routesNow()).doesNotContain(route);
  }
}
