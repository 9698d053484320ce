package io.routeagent.daemon;

import io.routeagent.kernel.Errno;
import io.routeagent.metrics.MetricsAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server's listening socket ({@code --metrics-address}): bound at start-up if it can be,
 * else later. The routes matter more than the metrics: any local user can bind 127.0.0.1:9469
 * before the agent starts, and an address may not be on the host yet (EADDRNOTAVAIL), so a
 * well-formed address that cannot be bound does not stop the daemon. It runs without its server,
 * says so (an error line naming the address and the errno; a note that {@code route-agent status}
 * shows), and tries again every {@link #RETRY} on a thread of its own that sleeps in between,
 * serving from the first attempt that binds. Meanwhile nothing listens there: a /healthz probe
 * fails to connect, which is what it should say of a server that is not serving; the systemd
 * watchdog is pinged by the daemon's loop and does not depend on the server.
 *
 * @param <S> the server (a {@link io.routeagent.metrics.MetricsServer}; tests use their own)
 */
final class MetricsBinding<S extends AutoCloseable> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("route-agent");

  /** Between two attempts to bind. */
  static final Duration RETRY = Duration.ofSeconds(5);
  /** The error line is repeated once per this many failed attempts for the same reason (1 h at 5 s). */
  static final int REMIND_EVERY = 720;

  /** Binds the address and starts serving there, or throws. */
  interface Binder<S> {
    S bind(InetSocketAddress address) throws IOException;
  }

  /** Runs a task after a delay (the next attempt); stops running them at {@link #shutdown}. */
  interface Scheduler {
    void schedule(Runnable task, Duration delay);

    void shutdown();

    /** One daemon thread, made at the first task: nothing when the address binds at once. */
    static Scheduler thread() {
      return new Scheduler() {
        private ScheduledExecutorService executor;

        @Override
        public synchronized void schedule(Runnable task, Duration delay) {
          if (executor == null) {
            ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, runnable -> {
              Thread thread = new Thread(runnable, "metrics-bind");
              thread.setDaemon(true);
              return thread;
            });
            pool.setRemoveOnCancelPolicy(true);
            executor = pool;
          }
          executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public synchronized void shutdown() {
          if (executor != null) {
            executor.shutdownNow();
          }
        }
      };
    }
  }

  private final InetSocketAddress address;
  private final Binder<S> binder;
  private final Scheduler scheduler;
  /** Told the line for `route-agent status` while the address is not served, and null once it is. */
  private final Consumer<String> note;
  private final Clock clock;

  private S server;
  private boolean closed;
  /** Failed attempts since the last bind, since when, and the reason of the last one and since when. */
  private int failures;
  private String failingSince;
  private String reason;
  private String since;

  private MetricsBinding(InetSocketAddress address, Binder<S> binder, Scheduler scheduler, Consumer<String> note,
      Clock clock) {
    this.address = address;
    this.binder = binder;
    this.scheduler = scheduler;
    this.note = note;
    this.clock = clock;
  }

  /**
   * Tries to bind now; when that fails, again every {@link #RETRY} until it binds or is closed.
   *
   * @param note told the line for `route-agent status` while the address is not served, null once it is
   */
  static <S extends AutoCloseable> MetricsBinding<S> start(InetSocketAddress address, Binder<S> binder,
      Scheduler scheduler, Consumer<String> note, Clock clock) {
    MetricsBinding<S> binding = new MetricsBinding<>(address, binder, scheduler, note, clock);
    binding.attempt();
    return binding;
  }

  /** The server, once bound. */
  synchronized Optional<S> server() {
    return Optional.ofNullable(server);
  }

  private synchronized void attempt() {
    if (closed || server != null) {
      return;
    }
    String shown = MetricsAddress.format(address);
    try {
      server = binder.bind(address);
    } catch (IOException | RuntimeException e) {
      // Not only a socket's refusal: whatever stops a bind is said and tried again, so that the
      // note's "trying again" stays true (the executor would drop a task that throws, silently).
      if (failures++ == 0) {
        failingSince = clock.instant().toString();
      }
      String why = describe(e);
      if (!why.equals(reason) || failures % REMIND_EVERY == 0) {
        log.error("--metrics-address {}: cannot listen there: {}; running without /metrics and /healthz,"
            + " trying again every {} s", shown, why, RETRY.toSeconds());
      }
      if (!why.equals(reason)) {
        reason = why;
        since = clock.instant().toString();
        note.accept("/metrics and /healthz are not served: --metrics-address " + shown + ": cannot listen there"
            + " since " + since + ": " + why + "; trying again every " + RETRY.toSeconds() + " s");
      }
      scheduler.schedule(this::attempt, RETRY);
      return;
    }
    if (failures > 0) {
      log.info("serving /metrics and /healthz on {}, after {} failed attempts since {}", shown, failures,
          failingSince);
      note.accept(null);
    } else {
      log.info("serving /metrics and /healthz on {}", shown);
    }
    failures = 0;
    reason = null;
    if (!address.getAddress().isLoopbackAddress()) {
      log.warn("--metrics-address {} is not a loopback address: /metrics and /healthz are reachable"
          + " from the network", shown);
    }
  }

  /** "Address already in use (EADDRINUSE)": the C library's words and the errno's name when Java tells it. */
  static String describe(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Optional<Errno> errno = e instanceof IOException io ? Errno.of(io) : Optional.empty();
    return errno.map(known -> message + " (" + known.name() + ")").orElse(message);
  }

  /** Stops trying and stops the server. */
  @Override
  public void close() {
    S serving;
    boolean noted;
    synchronized (this) {
      closed = true;
      serving = server;
      server = null;
      noted = failures > 0;
    }
    scheduler.shutdown();
    if (serving != null) {
      try {
        serving.close();
      } catch (Exception e) {
        log.warn("closing the metrics server: {}", e.toString());
      }
    }
    if (noted) {
      note.accept(null);
    }
  }
}
