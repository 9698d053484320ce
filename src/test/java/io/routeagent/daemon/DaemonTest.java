package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.routeagent.config.ConfigException;
import io.routeagent.config.ConfigLoader;
import io.routeagent.config.DesiredConfig;
import io.routeagent.config.TableNames;
import io.routeagent.kernel.EventSocket;
import io.routeagent.kernel.EventSource;
import io.routeagent.kernel.KernelEvent;
import io.routeagent.kernel.RouteRequest;
import io.routeagent.metrics.AgentMetrics;
import io.routeagent.net.IpAddresses;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.reconcile.Planner;
import io.routeagent.reconcile.Reconciler;
import io.routeagent.testing.FakeKernel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event loop against a fake kernel and scripted notifications. */
class DaemonTest {
  private static final int PROTO = 157;
  private static final String TWO_ROUTES = """
      routes:
        - "10.0.0.0/16 via 172.31.64.1 dev eth2"
        - "10.1.0.0/16 via 172.31.64.1 dev eth2"
      """;

  final FakeKernel kernel = new FakeKernel();
  final BlockingQueue<EventSocket.Batch> notifications = new LinkedBlockingQueue<>();
  /** Times the loop has started to wait for notifications. */
  final java.util.concurrent.atomic.AtomicLong waits = new java.util.concurrent.atomic.AtomicLong();
  /** A batch that {@link #sync} put in, and at which wait the loop took it (-1: not yet). */
  volatile EventSocket.Batch probe;
  volatile long probeTakenAt = -1;
  final EventSource events = new EventSource() {
    @Override
    public EventSocket.Batch receive(long timeoutNanos) throws InterruptedException {
      long wait = waits.incrementAndGet();
      EventSocket.Batch batch = timeoutNanos < 0
          ? notifications.take()
          : notifications.poll(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
      if (batch != null && batch == probe) {
        probeTakenAt = wait;
      }
      return batch != null ? batch : new EventSocket.Batch(List.of(), false, System.nanoTime());
    }

    @Override
    public void wakeup() {
      notifications.add(new EventSocket.Batch(List.of(), false, System.nanoTime()));
    }
  };
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicReference<String> file = new AtomicReference<>(TWO_ROUTES);
  final AtomicInteger compactions = new AtomicInteger();
  final ConfigLoader loader = new ConfigLoader(TableNames.of(java.util.Map.of()));
  Daemon daemon;
  Thread loop;
  volatile Integer status;

  private DesiredConfig load() throws ConfigException {
    return loader.parse("routes.yaml", file.get());
  }

  @BeforeEach
  void start() throws ConfigException {
    start(Duration.ofMillis(1));
  }

  private void start(Duration compactionQuiet) throws ConfigException {
    start(compactionQuiet, inForce -> load(), 2);
  }

  /** The daemon's clock: the real one, moved on by {@link #later} instead of waiting. */
  final java.util.concurrent.atomic.AtomicLong clockAhead = new java.util.concurrent.atomic.AtomicLong();

  private void start(Duration compactionQuiet, Daemon.ConfigSource source, int routes) throws ConfigException {
    Planner planner = new Planner(PROTO);
    daemon = new Daemon(source, source.load(), new Reconciler(kernel, planner), events,
        new AgentMetrics(registry), Optional.empty(),
        new Daemon.Settings(Duration.ofHours(1), Duration.ofMillis(1), Optional.empty(), compactionQuiet,
            compactions::incrementAndGet, () -> System.nanoTime() + clockAhead.get()));
    loop = new Thread(() -> {
      try {
        status = daemon.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    loop.start();
    eventually(() -> kernel.routesNow().size() == routes, "startup installs the file's routes");
  }

  @AfterEach
  void stop() throws InterruptedException {
    daemon.stop();
    loop.join(2000);
    assertThat(status).as("exit status after stop").isZero();
  }

  private static void eventually(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 5 s: " + what);
      }
      Thread.onSpinWait();
    }
  }

  private RouteMessage installed(String to) {
    return kernel.routesNow().stream()
        .filter(r -> r.destination().toString().equals(to))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no route " + to));
  }

  private void notify(KernelEvent... happened) {
    notifications.add(new EventSocket.Batch(List.of(happened), false, System.nanoTime()));
  }

  private int requests() {
    synchronized (kernel) {
      return kernel.received.size();
    }
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }

  @Test
  void aDeletedRouteIsPutBackAtOnceWithoutReReadingTheTable() {
    RouteMessage route = installed("10.0.0.0/16");
    kernel.change(() -> kernel.routes.remove(route));
    int before = requests();
    notify(new KernelEvent.RouteChanged(true, route));
    eventually(() -> kernel.routesNow().contains(route), "the route is back");
    assertThat(requests() - before).isEqualTo(1);
    // The loop counts the repair after the kernel's answer, which the route's return may precede.
    eventually(() -> counter("route_agent_drift_repairs") == 1, "the repair is counted");
  }

  @Test
  void aRouteChangedBySomeoneElseIsReverted() {
    RouteMessage ours = installed("10.0.0.0/16");
    RouteMessage theirs = new RouteMessage(ours.family(), ours.destination(), 0, ours.table(), 4, 0,
        ours.type(), 0, IpAddresses.parse("172.31.64.77").orElseThrow(), ours.outputInterface(),
        ours.priority(), null, ours.mtu(), false, false);
    kernel.change(() -> {
      kernel.routes.remove(ours);
      kernel.routes.add(theirs);
    });
    notify(new KernelEvent.RouteChanged(false, theirs));
    eventually(() -> kernel.routesNow().contains(ours) && !kernel.routesNow().contains(theirs), "reverted");
  }

  @Test
  void ourOwnChangesEchoingBackCauseNothing() throws InterruptedException {
    int before = requests();
    notify(new KernelEvent.RouteChanged(false, installed("10.0.0.0/16")),
        new KernelEvent.RouteChanged(false, installed("10.1.0.0/16")));
    Thread.sleep(100); // nothing should happen: give it the chance to
    assertThat(requests()).isEqualTo(before);
  }

  @Test
  void aLinkEventReReadsTheTableBecauseTheKernelFlushesRoutesSilently() {
    kernel.change(kernel.routes::clear); // link down/up: routes gone, no RTM_DELROUTE
    notify(new KernelEvent.InterfaceChanged("link-up", 2));
    eventually(() -> kernel.routesNow().size() == 2, "both routes back after link-up");
  }

  @Test
  void aBigReconcileAfterALinkEventLogsHowLongAfterTheEventTheRoutesWereBack() throws Exception {
    reloadWithThirtyRoutes();
    ListAppender<ILoggingEvent> lines = captureLog();
    try {
      kernel.change(kernel.routes::clear);
      long sent = System.nanoTime();
      notify(new KernelEvent.InterfaceChanged("link-up", 2));
      eventually(() -> kernel.routesNow().size() == 30, "the routes back after link-up");
      eventually(() -> List.copyOf(lines.list).stream()
          .anyMatch(e -> e.getFormattedMessage().startsWith("reconciled changes=30 cause=link-up")), "the summary line");
      long elapsedMs = (System.nanoTime() - sent) / 1_000_000;
      String summary = List.copyOf(lines.list).stream().map(e -> e.getFormattedMessage())
          .filter(m -> m.startsWith("reconciled changes=30 cause=link-up")).findFirst().orElseThrow();
      assertThat(summary).matches("reconciled changes=30 cause=link-up latency_ms=\\d+");
      assertThat(Long.parseLong(summary.replaceAll(".*latency_ms=", ""))).isBetween(0L, elapsedMs);
    } finally {
      releaseLog(lines);
    }
  }

  @Test
  void anEntryThatStartsToWaitIsWarnedAboutOnceAndAgainWhenItWaitsAnew() {
    ListAppender<ILoggingEvent> lines = captureLog();
    try {
      file.set(TWO_ROUTES + "  - \"10.9.0.0/16 via 172.31.64.1 dev eth9\"\n");
      daemon.configChanged();
      eventually(() -> warnings(lines) == 1, "a warning for the entry that waits for eth9");
      assertThat(List.copyOf(lines.list).stream().filter(e -> e.getLevel() == Level.WARN).findFirst().orElseThrow()
          .getFormattedMessage()).startsWith("waiting route=\"10.9.0.0/16 via 172.31.64.1 dev eth9\"");

      double before = reconciles();
      notify(new KernelEvent.InterfaceChanged("link-up", 2));
      eventually(() -> reconciles() > before, "another full reconcile");
      assertThat(warnings(lines)).as("still waiting: no new warning").isEqualTo(1);

      LinkMessage eth9 = new LinkMessage(9, Rtnetlink.IFF_UP, "eth9", "0a:00:00:00:00:09", List.of());
      kernel.change(() -> kernel.links.add(eth9));
      notify(new KernelEvent.InterfaceChanged("link-up", 9));
      eventually(() -> kernel.routesNow().size() == 3, "installed once eth9 is there");

      kernel.change(() -> {
        kernel.links.remove(eth9);
        kernel.routes.removeIf(r -> r.outputInterface() == 9);
      });
      notify(new KernelEvent.InterfaceChanged("link-deleted", 9));
      eventually(() -> warnings(lines) == 2, "a second warning once it waits again");
    } finally {
      releaseLog(lines);
    }
  }

  @Test
  void aLinkGoingDownUnderManyRoutesWarnsAboutTwentyAndSumsUpTheRest() {
    reloadWithThirtyRoutes();
    ListAppender<ILoggingEvent> lines = captureLog();
    try {
      kernel.change(() -> {
        kernel.links.replaceAll(l -> l.index() == 2 ? new LinkMessage(2, 0, "eth2", l.mac(), List.of()) : l);
        kernel.routes.clear();
      });
      notify(new KernelEvent.InterfaceChanged("link-down", 2));
      eventually(() -> warnings(lines) == 21, "20 warnings and a summary");
      List<String> warned = List.copyOf(lines.list).stream()
          .filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(warned.subList(0, 20)).allMatch(m -> m.startsWith("waiting route=") && m.endsWith("reason=\"interface eth2 is down\""));
      assertThat(warned.get(20)).isEqualTo("and 10 more routes started to wait or were refused (route-agent status lists each)");
    } finally {
      releaseLog(lines);
    }
  }

  /** More routes than the daemon logs one by one, all via eth2. */
  private void reloadWithThirtyRoutes() {
    StringBuilder many = new StringBuilder("routes:\n");
    for (int i = 0; i < 30; i++) {
      many.append("  - \"10.").append(i).append(".0.0/16 via 172.31.64.1 dev eth2\"\n");
    }
    file.set(many.toString());
    daemon.configChanged();
    eventually(() -> kernel.routesNow().size() == 30, "the 30 routes of the new file");
  }

  private double reconciles() {
    return registry.get("route_agent_reconciles").tag("result", "success").counter().count();
  }

  private static long warnings(ListAppender<ILoggingEvent> lines) {
    return List.copyOf(lines.list).stream().filter(e -> e.getLevel() == Level.WARN).count();
  }

  private static ListAppender<ILoggingEvent> captureLog() {
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    routeAgentLogger().addAppender(lines);
    return lines;
  }

  private static void releaseLog(ListAppender<ILoggingEvent> lines) {
    routeAgentLogger().detachAppender(lines);
  }

  private static Logger routeAgentLogger() {
    return (Logger) org.slf4j.LoggerFactory.getLogger("route-agent");
  }

  @Test
  void anOverrunTakesAFullResync() {
    kernel.change(kernel.routes::clear);
    notifications.add(new EventSocket.Batch(List.of(), true, System.nanoTime()));
    eventually(() -> kernel.routesNow().size() == 2, "converged after the overrun");
    assertThat(counter("route_agent_netlink_overruns")).isEqualTo(1);
  }

  @Test
  void aRepairThatFailsFallsBackToAFullReconcileAndConverges() {
    RouteMessage route = installed("10.1.0.0/16");
    kernel.change(() -> {
      kernel.routes.remove(route);
      kernel.failNext("ENOMEM");
    });
    notify(new KernelEvent.RouteChanged(true, route));
    eventually(() -> kernel.routesNow().contains(route), "back after the failed repair");
  }

  @Test
  void theHeapIsCompactedOnceAfterTheStartUpAndOnceAfterAReload() throws InterruptedException {
    eventually(() -> compactions.get() == 1, "compacted after the start-up reconcile");
    Thread.sleep(20);
    assertThat(compactions).as("not again while nothing happens").hasValue(1);

    file.set("routes:\n  - \"10.2.0.0/16 via 172.31.64.1 dev eth2\"\n");
    daemon.configChanged();
    eventually(() -> compactions.get() == 2, "compacted after the reload's reconcile");
  }

  @Test
  void aStormPostponesTheCompactionButNotForever() throws Exception {
    stop();
    compactions.set(0);
    start(Duration.ofMillis(40));
    eventually(() -> compactions.get() == 1, "compacted after the start-up reconcile");

    // A link event every 5 ms for 1.2 s: a full reconcile every few ms, each postponing the
    // compaction by 40 ms, up to 400 ms after the first.
    long end = System.nanoTime() + Duration.ofMillis(1200).toNanos();
    while (System.nanoTime() < end) {
      notify(new KernelEvent.InterfaceChanged("link-up", 2));
      Thread.sleep(5);
    }
    // Not once per quiet period (about 30), and not only after the storm (0).
    assertThat(compactions.get() - 1).as("compactions while the storm lasted").isBetween(2, 4);
  }

  @Test
  void anInvalidConfigChangesNothingAndAFixedOneIsApplied() {
    file.set("routes:\n  - to: 10.2.0.0/33\n");
    int before = requests();
    daemon.configChanged();
    eventually(() -> registry.get("route_agent_config_valid").gauge().value() == 0, "config_valid drops");
    assertThat(requests()).isEqualTo(before);
    assertThat(kernel.routesNow()).hasSize(2);

    file.set("routes:\n  - \"10.2.0.0/16 via 172.31.64.1 dev eth2\"\n");
    daemon.configChanged();
    eventually(() -> registry.get("route_agent_config_valid").gauge().value() == 1, "config_valid back");
    eventually(() -> kernel.routesNow().size() == 1 && installed("10.2.0.0/16").protocol() == PROTO,
        "the new file replaced the old routes");
    synchronized (kernel) {
      assertThat(kernel.received).filteredOn(r -> r.kind() == RouteRequest.Kind.DELETE).hasSize(2);
    }
  }

  @Test
  void aFileFixedBackToTheLastGoodOneSaysItIsValidAgain() {
    ListAppender<ILoggingEvent> lines = captureLog();
    try {
      file.set("routes:\n  - to: 10.2.0.0/33\n");
      daemon.configChanged();
      eventually(() -> registry.get("route_agent_config_valid").gauge().value() == 0, "config_valid drops");

      file.set(TWO_ROUTES); // exactly the configuration in force
      daemon.configChanged();
      eventually(() -> infoLines(lines, "the routes file is valid again") == 1, "one line says it is valid again");
      assertThat(registry.get("route_agent_config_valid").gauge().value()).isEqualTo(1);
      assertThat(kernel.routesNow()).hasSize(2);

      daemon.configChanged(); // valid and unchanged again: nothing more to say
      file.set("routes:\n  - \"10.2.0.0/16 via 172.31.64.1 dev eth2\"\n");
      daemon.configChanged();
      eventually(() -> kernel.routesNow().size() == 1, "the next edit is applied");
      assertThat(infoLines(lines, "the routes file is valid again")).isEqualTo(1);
    } finally {
      releaseLog(lines);
    }
  }

  @Test
  void aChangedFileAfterAnInvalidOneSaysItIsValidAgainInTheReloadLine() {
    ListAppender<ILoggingEvent> lines = captureLog();
    try {
      file.set("routes:\n  - to: 10.2.0.0/33\n");
      daemon.configChanged();
      eventually(() -> registry.get("route_agent_config_valid").gauge().value() == 0, "config_valid drops");

      file.set("routes:\n  - \"10.2.0.0/16 via 172.31.64.1 dev eth2\"\n");
      daemon.configChanged();
      eventually(() -> kernel.routesNow().size() == 1, "the fixed file is applied");
      assertThat(List.copyOf(lines.list).stream().filter(e -> e.getLevel() == Level.INFO)
          .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("valid again")))
          .containsExactly("the routes file is valid again: config reloaded routes=1 files=0");
    } finally {
      releaseLog(lines);
    }
  }

  private static long infoLines(ListAppender<ILoggingEvent> lines, String prefix) {
    return List.copyOf(lines.list).stream()
        .filter(e -> e.getLevel() == Level.INFO && e.getFormattedMessage().startsWith(prefix)).count();
  }

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  /** The daemon reading real files in {@link #dir}, started with TWO_ROUTES and one drop-in. */
  private void restartOnFiles() throws Exception {
    stop();
    java.nio.file.Path routes = dir.resolve("routes.yaml");
    java.nio.file.Files.writeString(routes, TWO_ROUTES);
    java.nio.file.Files.createDirectories(dir.resolve("routes.d"));
    java.nio.file.Files.writeString(dir.resolve("routes.d/big.yaml"),
        "routes:\n  - \"10.5.0.0/16 via 172.31.64.1 dev eth2\"\n");
    start(Duration.ofMillis(1), inForce -> loader.load(routes, inForce), 3);
  }

  @Test
  void aNewEmptyDropInIsSkippedWithOneNoticeAndOtherEditsStillApply() throws Exception {
    restartOnFiles();
    ListAppender<ILoggingEvent> lines = captureLog();
    try {
      java.nio.file.Path untitled = dir.resolve("routes.d/untitled.yaml");
      java.nio.file.Files.writeString(untitled, ""); // Jupyter's "New File"
      java.nio.file.Files.writeString(dir.resolve("routes.yaml"),
          TWO_ROUTES + "  - \"10.6.0.0/16 via 172.31.64.1 dev eth2\"\n");
      daemon.configChanged();
      eventually(() -> kernel.routesNow().size() == 4, "the edit of routes.yaml is applied");

      daemon.configChanged(); // still empty: no second notice
      java.nio.file.Files.writeString(untitled, "# my routes\n");
      daemon.configChanged();
      java.nio.file.Files.writeString(untitled, "routes:\n  - \"10.7.0.0/16 via 172.31.64.1 dev eth2\"\n");
      daemon.configChanged();
      eventually(() -> kernel.routesNow().size() == 5, "its routes once it is written");
      assertThat(List.copyOf(lines.list).stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.startsWith("skipped "))).containsExactly("skipped " + untitled
              + ": the file is empty and declared nothing before, so it is taken as being written;"
              + " it is read again at its next change");
      assertThat(List.copyOf(lines.list)).noneMatch(e -> e.getLevel() == Level.ERROR);
    } finally {
      releaseLog(lines);
    }
  }

  @Test
  void aDropInWhoseRoutesAreInForceAndThatBecomesEmptyIsAnErrorAndPrunesNothing() throws Exception {
    restartOnFiles();
    ListAppender<ILoggingEvent> lines = captureLog();
    try {
      int before = requests();
      java.nio.file.Files.writeString(dir.resolve("routes.d/big.yaml"), ""); // half-written: cut by O_TRUNC
      daemon.configChanged();
      eventually(() -> List.copyOf(lines.list).stream().anyMatch(e -> e.getLevel() == Level.ERROR
          && e.getFormattedMessage().contains("big.yaml: the file is empty, and its routes are in force")),
          "the error");
      assertThat(requests()).isEqualTo(before);
      assertThat(kernel.routesNow()).hasSize(3);
    } finally {
      releaseLog(lines);
    }
  }

  /** Returns once the loop has acted on everything sent to it before. */
  private void sync() {
    EventSocket.Batch marker = new EventSocket.Batch(List.of(), false, System.nanoTime());
    probeTakenAt = -1;
    probe = marker;
    notifications.add(marker);
    eventually(() -> probeTakenAt >= 0 && waits.get() > probeTakenAt, "the loop has acted on what it was sent");
  }

  /** Moves the daemon's clock on, and lets the loop see it. */
  private void later(Duration by) {
    clockAhead.addAndGet(by.toNanos());
    sync();
  }

  @Test
  void theQuietAChangeWaitsForGrowsWithItsSize() {
    assertThat(ConfigReload.quietFor(1, 10_000)).isEqualTo(Duration.ofMillis(200));
    assertThat(ConfigReload.quietFor(100, 0)).isEqualTo(Duration.ofMillis(200));
    assertThat(ConfigReload.quietFor(550, 10_000)).isEqualTo(Duration.ofMillis(15_100));
    assertThat(ConfigReload.quietFor(999, 10_000)).isBetween(Duration.ofMillis(29_900), Duration.ofSeconds(30));
    assertThat(ConfigReload.quietFor(1_000, 10_000)).isEqualTo(Duration.ofSeconds(30));
    assertThat(ConfigReload.quietFor(101, 200)).as("more than half of those installed").isEqualTo(Duration.ofSeconds(30));
    assertThat(ConfigReload.quietFor(101, 202)).isLessThan(Duration.ofSeconds(1));
  }

  private static String routes(int from, int count) {
    StringBuilder text = new StringBuilder("routes:\n");
    for (int i = from; i < from + count; i++) {
      text.append("  - \"10.").append(i / 256).append('.').append(i % 256).append(".0/24 via 172.31.64.1 dev eth2\"\n");
    }
    return text.toString();
  }

  @Test
  void aLargeChangeWaitsUntilTheFileHasBeenQuietAndANewWriteRestartsTheWait() {
    ListAppender<ILoggingEvent> lines = captureLog();
    try {
      file.set(routes(0, 150)); // 152 routes changed, more than half of the 2 installed: 30 s
      daemon.configChanged();
      sync();
      assertThat(kernel.routesNow()).hasSize(2);
      assertThat(infoLines(lines, "holding a change until ")).isEqualTo(1);
      assertThat(List.copyOf(lines.list).stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.startsWith("holding")).findFirst().orElseThrow())
          .matches("holding a change until \\S+ \\(added=150 replaced=0 removed=2, 2 installed\\): it is applied"
              + " once the routes files have been quiet for 30.0 s, as 152 routes changed; a new write restarts the wait");

      later(Duration.ofSeconds(20));
      file.set(routes(0, 160)); // the next chunk, 20 s later
      daemon.configChanged();
      sync();
      later(Duration.ofSeconds(20)); // 40 s after the first write, 20 s after the last
      assertThat(kernel.routesNow()).as("held until 30 s after the last write").hasSize(2);

      later(Duration.ofSeconds(10));
      eventually(() -> kernel.routesNow().size() == 160, "applied once quiet for 30 s");
      assertThat(infoLines(lines, "config reloaded routes=160")).isEqualTo(1);
      assertThat(infoLines(lines, "holding a change until ")).isEqualTo(2);
    } finally {
      releaseLog(lines);
    }
  }

  /**
   * Issue 15: while a change was held only the log and systemd's status said so; /healthz said
   * "ok" and `route-agent status` nothing. /healthz now adds a line, and the daemon keeps a file
   * for `status`, both gone once the change is applied.
   */
  @Test
  void aHeldChangeIsShownByHealthzAndInTheFileStatusReads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path run)
      throws Exception {
    java.nio.file.Path heldFile = HeldChange.file(run, "ns");
    java.nio.file.Files.writeString(heldFile, "until=2020-01-01T00:00:00Z\n"); // left by an agent killed
    daemon.reportHeldChangesIn(heldFile);
    assertThat(heldFile).as("a stale file is removed at the start").doesNotExist();
    assertThat(daemon.health().notes()).isEmpty();

    file.set(routes(0, 150));
    daemon.configChanged();
    sync();
    assertThat(daemon.health().unhealthy()).as("holding is not a fault").isEmpty();
    assertThat(daemon.health().notes()).singleElement().asString()
        .matches("a change of the routes file is held until \\S+Z \\(added=150 replaced=0 removed=2\\): it is applied"
            + " once the routes files have been quiet for 30.0 s, as 152 routes changed");
    HeldChange held = HeldChange.read(heldFile).orElseThrow();
    assertThat(held.describe()).isEqualTo(daemon.health().notes().get(0));

    later(Duration.ofSeconds(31));
    eventually(() -> kernel.routesNow().size() == 150, "applied once quiet for 30 s");
    assertThat(daemon.health().notes()).isEmpty();
    assertThat(heldFile).doesNotExist();
  }

  @Test
  void aHeldChangeIsDroppedWhenTheFileTurnsInvalidOrBackToWhatIsInForce() {
    int before = requests();
    file.set(routes(0, 150));
    daemon.configChanged();
    sync();
    file.set(TWO_ROUTES); // the upload cancelled: the old content back
    daemon.configChanged();
    later(Duration.ofSeconds(31));
    file.set(routes(0, 150));
    daemon.configChanged();
    sync();
    file.set("routes:\n  - \"10.0.0.0/16 via 172.31.64.1 dev eth2\"\n  - \"10.1.0.0/16 vi"); // cut
    daemon.configChanged();
    later(Duration.ofSeconds(31));
    assertThat(kernel.routesNow()).hasSize(2);
    assertThat(requests()).isEqualTo(before);
  }

  /**
   * A file written in pieces, cut at every byte offset: whatever stays in force while it is
   * written (up to just under the long quiet between two writes), no route that the complete file
   * does not declare is ever installed. One-line entries: a multi-line entry cut between two of
   * its lines is a complete file (see README).
   */
  @Test
  void aFileCutAtEveryByteOffsetNeverInstallsARouteItDoesNotDeclare() {
    String complete = """
        routes:
          - 10.10.0.0/16 via 172.31.64.21
          - "10.20.0.0/16 via 172.31.64.1 dev eth2"
          - 10.30.128.0/24 via 172.31.64.13 dev eth2
          - 10.40.0.0/16 via 172.31.64.14 metric 100
        """;
    for (int cut = 0; cut < complete.length(); cut++) {
      file.set(complete.substring(0, cut));
      daemon.configChanged();
      sync();
      later(Duration.ofSeconds(29));
    }
    file.set(complete);
    daemon.configChanged();
    sync();
    eventually(() -> kernel.routesNow().size() == 4, "the complete file's routes");
    java.util.Set<String> declared = kernel.routesNow().stream().map(DaemonTest::identity)
        .collect(java.util.stream.Collectors.toSet());
    synchronized (kernel) {
      assertThat(kernel.received).filteredOn(r -> r.kind() == RouteRequest.Kind.INSTALL)
          .extracting(r -> identity(r.route()))
          .allMatch(id -> declared.contains(id) || id.startsWith("10.0.0.0/16 ") || id.startsWith("10.1.0.0/16 "));
    }
  }

  @Test
  void aHeldChangeIsReadAgainWhenDueAndMustStillBeValid() {
    int before = requests();
    file.set(routes(0, 150));
    daemon.configChanged();
    sync();
    file.set(routes(0, 150) + "  - \"10.9.0.0/33 via 172.31.64.1 dev eth2\"\n"); // no word from the watcher
    later(Duration.ofSeconds(31));
    eventually(() -> registry.get("route_agent_config_valid").gauge().value() == 0, "read again when due");
    assertThat(requests()).isEqualTo(before);

    file.set(routes(0, 150)); // valid again, and quiet for 30 s more
    daemon.configChanged();
    sync();
    assertThat(kernel.routesNow()).hasSize(2);
    later(Duration.ofSeconds(31));
    eventually(() -> kernel.routesNow().size() == 150, "applied once it has been quiet");
  }

  private static String identity(RouteMessage route) {
    return route.destination() + " via " + route.gateway() + " metric " + route.priority();
  }
}
