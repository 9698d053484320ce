package io.routeagent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's meters, with the stable names README.md lists ("The daemon": metrics), bound to
 * the registry handed in.
 */
public final class AgentMetrics {
  /**
   * The states {@code route_agent_routes} reports: every desired route once in one of the states
   * beside {@code desired} (a multipath route is one route, degraded or not).
   */
  public enum RouteGauge {
    DESIRED,
    INSTALLED,
    /** A multipath route with some next hops down: available, not all there. */
    DEGRADED,
    MISSING,
    WAITING,
    UNREACHABLE
  }

  private final Map<RouteGauge, AtomicLong> routes = new EnumMap<>(RouteGauge.class);
  private final Counter reconcileSuccess;
  private final Counter reconcileFailure;
  private final Timer reconcileTime;
  private final Map<String, Counter> changes = new java.util.HashMap<>();
  private final Counter driftRepairs;
  private final Counter reloadSuccess;
  private final Counter reloadFailure;
  private final AtomicLong configValid = new AtomicLong(1);
  private final Counter overruns;
  private final Timer repairLatency;

  public AgentMetrics(MeterRegistry registry) {
    for (RouteGauge state : RouteGauge.values()) {
      AtomicLong value = new AtomicLong();
      routes.put(state, value);
      Gauge.builder("route_agent_routes", value, AtomicLong::get)
          .description("Desired routes by state")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    reconcileSuccess = reconciles(registry, "success");
    reconcileFailure = reconciles(registry, "failure");
    reconcileTime = Timer.builder("route_agent_reconcile")
        .description("Time of a full reconcile: dump, plan, apply")
        .register(registry);
    for (String op : new String[] {"add", "replace", "delete", "restore"}) {
      changes.put(op, Counter.builder("route_agent_route_changes")
          .description("Route changes the kernel accepted")
          .tag("op", op)
          .register(registry));
    }
    driftRepairs = Counter.builder("route_agent_drift_repairs")
        .description("Routes restored after someone else deleted or changed them")
        .register(registry);
    reloadSuccess = reloads(registry, "success");
    reloadFailure = reloads(registry, "failure");
    Gauge.builder("route_agent_config_valid", configValid, AtomicLong::get)
        .description("1 when the routes file last read was valid, 0 while the last good one stays in force")
        .register(registry);
    overruns = Counter.builder("route_agent_netlink_overruns")
        .description("Times the kernel dropped notifications (ENOBUFS); each causes a full resync")
        .register(registry);
    repairLatency = Timer.builder("route_agent_repair_latency")
        .description("From the kernel's notification of a drift to its ack of the repair")
        .publishPercentiles(0.5, 0.99)
        .register(registry);
  }

  private static Counter reconciles(MeterRegistry registry, String result) {
    return Counter.builder("route_agent_reconciles")
        .description("Full reconciles by result")
        .tag("result", result)
        .register(registry);
  }

  private static Counter reloads(MeterRegistry registry, String result) {
    return Counter.builder("route_agent_config_reloads")
        .description("Reloads of the routes file by result")
        .tag("result", result)
        .register(registry);
  }

  public void routes(RouteGauge state, long count) {
    routes.get(state).set(count);
  }

  public void reconciled(boolean success, Duration took) {
    (success ? reconcileSuccess : reconcileFailure).increment();
    reconcileTime.record(took);
  }

  /** A change the kernel accepted; {@code op} is add, replace, delete or restore. */
  public void changed(String op) {
    changed(op, 1);
  }

  /** {@code count} changes the kernel accepted, all of one {@code op}. */
  public void changed(String op, int count) {
    Counter counter = changes.get(op);
    if (counter == null) {
      throw new IllegalArgumentException("no change counter for op " + op);
    }
    counter.increment(count);
  }

  public void driftRepaired(int routes, Duration latency) {
    driftRepairs.increment(routes);
    repairLatency.record(latency);
  }

  public void configReloaded(boolean valid) {
    (valid ? reloadSuccess : reloadFailure).increment();
    configValid.set(valid ? 1 : 0);
  }

  public void overrun() {
    overruns.increment();
  }
}
