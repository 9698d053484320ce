package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics server's socket, bound later when the address is taken at start: on a scheduler the test drives. */
class MetricsBindingTest {
  private static final InetSocketAddress ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9469);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-07-01T10:00:00Z"), ZoneOffset.UTC);

  /** Tasks with their delays, run only when the test says so: no thread, no waiting. */
  private static final class Scheduled implements MetricsBinding.Scheduler {
    final Deque<Runnable> tasks = new ArrayDeque<>();
    final List<Duration> delays = new ArrayList<>();
    boolean shutDown;

    @Override
    public void schedule(Runnable task, Duration delay) {
      tasks.add(task);
      delays.add(delay);
    }

    @Override
    public void shutdown() {
      shutDown = true;
    }

    /** Runs the one task due next, as the delay's end would. */
    void runNext() {
      assertThat(tasks).as("a next attempt is scheduled").isNotEmpty();
      tasks.poll().run();
    }
  }

  private static final class Server implements AutoCloseable {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Fails while {@link #taken}, counting attempts. */
  private static final class Port implements MetricsBinding.Binder<Server> {
    IOException taken = new BindException("Address already in use");
    int attempts;
    Server bound;

    @Override
    public Server bind(InetSocketAddress address) throws IOException {
      attempts++;
      if (taken != null) {
        throw taken;
      }
      bound = new Server();
      return bound;
    }
  }

  private final Scheduled scheduler = new Scheduled();
  private final Port port = new Port();
  private final List<String> notes = new ArrayList<>();

  private MetricsBinding<Server> start() {
    return MetricsBinding.start(ADDRESS, port, scheduler, notes::add, CLOCK);
  }

  @Test
  void aFreeAddressIsBoundAtOnceWithNothingScheduledAndNoNote() {
    port.taken = null;

    MetricsBinding<Server> binding = start();

    assertThat(binding.server()).containsSame(port.bound);
    assertThat(scheduler.tasks).isEmpty();
    assertThat(notes).isEmpty();
    binding.close();
    assertThat(port.bound.closed).isTrue();
    assertThat(notes).isEmpty();
  }

  @Test
  void aTakenAddressIsTriedAgainEveryRetryUntilItBinds() {
    MetricsBinding<Server> binding = start();

    assertThat(binding.server()).isEmpty();
    assertThat(port.attempts).isEqualTo(1);
    assertThat(scheduler.delays).containsExactly(MetricsBinding.RETRY);
    assertThat(notes).containsExactly("/metrics and /healthz are not served: --metrics-address 127.0.0.1:9469:"
        + " cannot listen there since 2026-07-01T10:00:00Z: Address already in use (EADDRINUSE); trying again"
        + " every 5 s");

    scheduler.runNext();
    scheduler.runNext();
    assertThat(port.attempts).isEqualTo(3);
    assertThat(scheduler.tasks).hasSize(1);
    assertThat(notes).as("the same reason is noted once").hasSize(1);

    port.taken = null;
    scheduler.runNext();

    assertThat(binding.server()).containsSame(port.bound);
    assertThat(port.attempts).isEqualTo(4);
    assertThat(scheduler.tasks).as("nothing more is tried once bound").isEmpty();
    assertThat(scheduler.delays).hasSize(3).containsOnly(MetricsBinding.RETRY);
    assertThat(notes).last().isNull();
  }

  @Test
  void aNewReasonIsNoted() {
    start();
    port.taken = new BindException("Cannot assign requested address");
    scheduler.runNext();

    assertThat(notes).hasSize(2);
    assertThat(notes.get(1)).contains("Cannot assign requested address (EADDRNOTAVAIL)");
  }

  @Test
  void closingStopsTheAttemptsAndRemovesTheNote() {
    MetricsBinding<Server> binding = start();

    binding.close();
    port.taken = null;
    scheduler.runNext(); // an attempt already scheduled when it closed

    assertThat(scheduler.shutDown).isTrue();
    assertThat(port.attempts).as("no bind after close").isEqualTo(1);
    assertThat(binding.server()).isEmpty();
    assertThat(notes).last().isNull();
  }

  /** A bind that throws something other than a socket's refusal is tried again too: the note's "trying again" holds. */
  @Test
  void aBindThatThrowsOtherwiseIsTriedAgain() {
    MetricsBinding.Binder<Server> flaky = new MetricsBinding.Binder<>() {
      int attempts;

      @Override
      public Server bind(InetSocketAddress address) {
        if (attempts++ == 0) {
          throw new IllegalStateException("selector provider unavailable");
        }
        return new Server();
      }
    };
    MetricsBinding<Server> binding = MetricsBinding.start(ADDRESS, flaky, scheduler, notes::add, CLOCK);
    assertThat(binding.server()).isEmpty();
    assertThat(notes).singleElement().asString().contains("selector provider unavailable; trying again every 5 s");
    scheduler.runNext();
    assertThat(binding.server()).isPresent();
    assertThat(notes).last().isNull();
  }

  @Test
  void theErrnoIsNamedWhenJavaTellsIt() {
    assertThat(MetricsBinding.describe(new BindException("Address already in use")))
        .isEqualTo("Address already in use (EADDRINUSE)");
    assertThat(MetricsBinding.describe(new BindException("Cannot assign requested address")))
        .isEqualTo("Cannot assign requested address (EADDRNOTAVAIL)");
    assertThat(MetricsBinding.describe(new IOException("something else"))).isEqualTo("something else");
  }
}
