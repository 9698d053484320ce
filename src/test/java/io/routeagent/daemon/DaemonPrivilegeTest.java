package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routeagent.config.ConfigException;
import io.routeagent.config.ConfigLoader;
import io.routeagent.config.TableNames;
import io.routeagent.kernel.EventSocket;
import io.routeagent.kernel.EventSource;
import io.routeagent.metrics.AgentMetrics;
import io.routeagent.reconcile.Planner;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.testing.FakeKernel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 11, defect 4: where the kernel refuses every change for want of privilege, the daemon
 * sent READY=1 and ran on, "0/2 routes installed". It now stops before READY with a status the
 * unit does not restart.
 */
class DaemonPrivilegeTest {
  private static final String TWO_ROUTES = """
      routes:
        - "10.0.0.0/16 via 172.31.64.1 dev eth2"
        - "10.1.0.0/16 via 172.31.64.1 dev eth2"
      """;

  final FakeKernel kernel = new FakeKernel();
  final ConfigLoader loader = new ConfigLoader(TableNames.of(java.util.Map.of()));
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger("route-agent");
  final EventSource quiet = new EventSource() {
    @Override
    public EventSocket.Batch receive(long timeoutNanos) throws InterruptedException {
      Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(Math.max(timeoutNanos, 0)), 10)));
      return new EventSocket.Batch(List.of(), false, System.nanoTime());
    }

    @Override
    public void wakeup() {}
  };

  @BeforeEach
  void listen() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void stopListening() {
    logger.detachAppender(logged);
  }

  private Daemon daemon() throws ConfigException {
    Planner planner = new Planner(157);
    return new Daemon(inForce -> loader.parse("routes.yaml", TWO_ROUTES), loader.parse("routes.yaml", TWO_ROUTES),
        new Reconciler(kernel, planner), quiet, new AgentMetrics(new SimpleMeterRegistry()), Optional.empty(),
        new Daemon.Settings(Duration.ofHours(1), Duration.ofMillis(1), Duration.ofMillis(1), Optional.empty(), Duration.ofHours(1), () -> {}));
  }

  /** {@link Daemon#run} on another thread; its exit status, or -1 if interrupted. */
  private static CompletableFuture<Integer> runInBackground(Daemon daemon) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return daemon.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    });
  }

  @Test
  void everyChangeRefusedWithEpermAtStartIsNoPrivilegeNotReady() throws Exception {
    kernel.failAll("EPERM");
    Daemon daemon = daemon();
    CompletableFuture<Integer> run = runInBackground(daemon);
    Integer status;
    try {
      status = run.get(10, TimeUnit.SECONDS);
    } finally {
      daemon.stop();
    }
    assertThat(status).isEqualTo(Daemon.NO_PRIVILEGE).isEqualTo(77);
    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).startsWith("no privilege to change routes").contains("CAP_NET_ADMIN"));
  }

  @Test
  void aRefusalAmongSuccessesIsNotALackOfPrivilege() throws Exception {
    kernel.failNext("EPERM");
    Daemon daemon = daemon();
    CompletableFuture<Integer> run = runInBackground(daemon);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (kernel.routesNow().size() < 1 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(run).isNotDone();
    daemon.stop();
    assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
  }
}
