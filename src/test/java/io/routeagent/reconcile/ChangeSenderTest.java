package io.routeagent.reconcile;

import static io.routeagent.reconcile.Specs.via;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.RouteSpec;
import io.routeagent.kernel.Errno;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.KernelRequest;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.kernel.PreparedRequests;
import io.routeagent.kernel.RequestOutcome;
import io.routeagent.kernel.RouteKernel;
import io.routeagent.kernel.RouteRequest;
import io.routeagent.testing.FakeKernel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChangeSenderTest {
  /** A kernel that only takes changes: the sender reads nothing. */
  abstract static class SendingKernel implements RouteKernel {
    @Override
    public KernelSnapshot snapshot() {
      throw new UnsupportedOperationException();
    }
  }

  /** Waits on the sending thread for {@code latch}, which the test opens; fails after a minute. */
  static void await(CountDownLatch latch, String what) {
    try {
      assertThat(latch.await(60, TimeUnit.SECONDS)).as(what).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Answers each request with its own position, so that the order of outcomes shows. */
  static class RecordingKernel extends SendingKernel {
    final List<String> threads = new ArrayList<>();
    final List<Integer> batchSizes = new ArrayList<>();
    int answered;
    int failOnBatch = -1;

    @Override
    public synchronized List<RequestOutcome> execute(List<? extends KernelRequest> requests)
        throws KernelException {
      threads.add(Thread.currentThread().getName());
      batchSizes.add(requests.size());
      if (batchSizes.size() - 1 == failOnBatch) {
        throw new KernelException(Errno.ENOBUFS, "sending", false, null);
      }
      List<RequestOutcome> outcomes = new ArrayList<>();
      for (KernelRequest request : requests) {
        outcomes.add(new RequestOutcome(null, String.valueOf(answered++)));
      }
      return outcomes;
    }
  }

  final RecordingKernel kernel = new RecordingKernel();

  static List<Change> changes(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> {
          RouteSpec spec = via("10.0." + (i / 256) + "." + (i % 256) + "/32", "172.31.64.1", "eth2");
          return new Change(Change.Op.ADD, null, spec, new Change.Words(null, index -> "eth2"), null);
        })
        .toList();
  }

  private static List<RequestOutcome> sendAll(ChangeSender sender, int changes) throws KernelException {
    try (sender) {
      changes(changes).forEach(sender::send);
      return sender.finish();
    }
  }

  @Test
  void sendsFullChunksOnItsOwnThreadAndKeepsTheOrder() throws KernelException {
    List<RequestOutcome> outcomes = sendAll(new ChangeSender(kernel, ChangeSender.THREAD_PER_PLAN, 2, 4), 13);
    assertThat(kernel.batchSizes).containsExactly(2, 4, 4, 3);
    assertThat(kernel.threads).containsOnly("route-agent-send");
    assertThat(outcomes).extracting(RequestOutcome::kernelMessage)
        .containsExactlyElementsOf(IntStream.range(0, 13).mapToObj(String::valueOf).toList());
  }

  /**
   * The caller gets each chunk's answers while the kernel still works on the next: here the kernel
   * does not answer the last chunk until the caller has seen the ones before it.
   */
  @Test
  void handsOnEachChunksAnswersBeforeTheNextIsAnswered() throws Exception {
    CountDownLatch firstSeen = new CountDownLatch(2);
    RouteKernel waiting = new SendingKernel() {
      @Override
      public List<RequestOutcome> execute(List<? extends KernelRequest> requests) throws KernelException {
        if (kernel.batchSizes.size() == 2) {
          await(firstSeen, "the caller saw the first chunks");
        }
        return kernel.execute(requests);
      }
    };
    List<List<String>> seen = new ArrayList<>();
    List<RequestOutcome> outcomes;
    try (ChangeSender sender = new ChangeSender(waiting, ChangeSender.THREAD_PER_PLAN, 2, 4)) {
      changes(9).forEach(sender::send);
      outcomes = sender.finish(chunk -> {
        seen.add(chunk.stream().map(RequestOutcome::kernelMessage).toList());
        firstSeen.countDown();
      });
    }
    assertThat(seen).containsExactly(List.of("0", "1"), List.of("2", "3", "4", "5"), List.of("6", "7", "8"));
    assertThat(outcomes).hasSize(9);
  }

  /**
   * Chunks are prepared (encoded, for the real kernel) on the caller's thread. While the kernel
   * works on one, at most {@link ChangeSender#CHUNKS_AHEAD} more wait prepared, and the caller
   * waits for room with the next one.
   */
  @Test
  void preparesOnTheCallersThreadAndKeepsFewChunksWaiting() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> preparedOn = Collections.synchronizedList(new ArrayList<>());
    RouteKernel slow = new SendingKernel() {
      @Override
      public PreparedRequests prepare(List<? extends KernelRequest> requests) {
        preparedOn.add(Thread.currentThread().getName());
        return super.prepare(requests);
      }

      @Override
      public List<RequestOutcome> execute(List<? extends KernelRequest> requests) throws KernelException {
        await(release, "released");
        return kernel.execute(requests);
      }
    };
    List<List<RequestOutcome>> outcomes = new ArrayList<>();
    Thread caller = new Thread(() -> {
      try {
        outcomes.add(sendAll(new ChangeSender(slow, ChangeSender.THREAD_PER_PLAN, 2, 2), 20));
      } catch (KernelException e) {
        throw new IllegalStateException(e);
      }
    }, "planner");
    caller.start();
    // The caller waits for room (a timed wait) only once the kernel holds a chunk and the queue is
    // full; without a bound it would prepare all ten chunks and wait for answers instead.
    try {
      waitUntil(() -> caller.getState() == Thread.State.TIMED_WAITING && preparedOn.size() > ChangeSender.CHUNKS_AHEAD + 1,
          "the caller waits for room");
      assertThat(preparedOn).as("the chunk the kernel holds, those waiting, the one waiting for room")
          .hasSize(1 + ChangeSender.CHUNKS_AHEAD + 1)
          .containsOnly("planner");
    } finally {
      release.countDown();
    }
    caller.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(preparedOn).hasSize(10);
    assertThat(kernel.threads).containsOnly("route-agent-send");
    assertThat(outcomes).singleElement().satisfies(all -> assertThat(all).extracting(RequestOutcome::kernelMessage)
        .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(String::valueOf).toList()));
  }

  @Test
  void aPlanSmallerThanAChunkIsSentOnTheCallersThread() throws KernelException {
    List<RequestOutcome> outcomes = sendAll(new ChangeSender(kernel, ChangeSender.THREAD_PER_PLAN, 4, 4), 3);
    assertThat(kernel.threads).containsExactly(Thread.currentThread().getName());
    assertThat(outcomes).hasSize(3);
  }

  @Test
  void nothingToSendAsksTheKernelNothing() throws KernelException {
    try (ChangeSender sender = new ChangeSender(kernel, ChangeSender.THREAD_PER_PLAN, 4, 4)) {
      assertThat(sender.finish()).isEmpty();
    }
    assertThat(kernel.batchSizes).isEmpty();
  }

  @Test
  void aFailedExchangeIsThrownAndNothingAfterItIsSent() {
    kernel.failOnBatch = 1;
    try (ChangeSender sender = new ChangeSender(kernel, ChangeSender.THREAD_PER_PLAN, 4, 4)) {
      changes(16).forEach(sender::send);
      assertThatThrownBy(sender::finish)
          .isInstanceOf(KernelException.class)
          .hasMessageContaining("ENOBUFS sending");
    }
    assertThat(kernel.batchSizes).containsExactly(4, 4);
  }

  @Test
  void closingWithoutFinishingSendsNothingMore() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordingKernel held = new RecordingKernel() {
      @Override
      public List<RequestOutcome> execute(List<? extends KernelRequest> requests) throws KernelException {
        entered.countDown();
        await(release, "released");
        return super.execute(requests);
      }
    };
    ChangeSender sender = new ChangeSender(held, ChangeSender.THREAD_PER_PLAN, 4, 4);
    changes(8).forEach(sender::send); // the first chunk with the kernel, the second waiting
    await(entered, "the first chunk with the kernel");
    Thread closing = new Thread(sender::close, "closing");
    closing.start();
    try {
      waitForState(closing, Thread.State.WAITING); // past its cancel, waiting for the sending to end
    } finally {
      release.countDown();
    }
    closing.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(closing.isAlive()).isFalse();
    assertThat(held.batchSizes).as("the chunk the kernel had, not the one waiting").containsExactly(4);
  }

  @Test
  void aPlanThatGetsNoThreadFailsAndClosesWithoutWaiting() {
    Executor refusing = task -> {
      throw new RejectedExecutionException("no thread");
    };
    ChangeSender sender = new ChangeSender(kernel, refusing, 4, 4);
    changes(3).forEach(sender::send);
    assertThatThrownBy(() -> sender.send(changes(4).get(3))).isInstanceOf(RejectedExecutionException.class);
    assertTimeoutPreemptively(Duration.ofSeconds(60), sender::close, "close() waits for a task that never ran");
    assertThat(kernel.batchSizes).isEmpty();
  }

  @Test
  void aKeptThreadSendsOnePlanAfterAnother() throws Exception {
    ExecutorService kept = ChangeSender.keptThread();
    List<Thread> sentOn = Collections.synchronizedList(new ArrayList<>());
    RecordingKernel recording = new RecordingKernel() {
      @Override
      public List<RequestOutcome> execute(List<? extends KernelRequest> requests) throws KernelException {
        sentOn.add(Thread.currentThread());
        return super.execute(requests);
      }
    };
    try {
      assertThat(sendAll(new ChangeSender(recording, kept, 4, 4), 8)).hasSize(8);
      Thread first = sentOn.get(0);
      waitForState(first, Thread.State.WAITING); // parked, back for the next plan
      assertThat(sendAll(new ChangeSender(recording, kept, 4, 4), 8)).hasSize(8);
      assertThat(sentOn).hasSize(4).containsOnly(first);
      assertThat(first.getName()).isEqualTo("route-agent-send");
      assertThat(first.isDaemon()).as("no plan keeps the JVM from exiting").isTrue();
    } finally {
      kept.shutdownNow();
    }
  }

  /** Waits for {@code thread} to be in {@code state}. */
  private static void waitForState(Thread thread, Thread.State state) {
    waitUntil(() -> thread.getState() == state, thread.getName() + " comes to " + state);
  }

  /** Waits until {@code condition} holds: a state to see, not a time to let pass; fails after a minute. */
  private static void waitUntil(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.yield();
    }
  }

  @Test
  void aLargeApplyThroughTheSenderAttributesEachAnswerToItsOwnRoute() throws KernelException {
    FakeKernel fake = new FakeKernel();
    int n = ChangeSender.FIRST_CHUNK * 8 + 7;
    List<RouteSpec> specs = IntStream.range(0, n)
        .mapToObj(i -> via("10." + (i / 256) + "." + (i % 256) + ".0/24", "172.31.64.1", "eth2"))
        .toList();
    DesiredConfig desired = new DesiredConfig(specs, List.of());
    fake.failNextRequestFor("10.0.0.0/24", "EEXIST");
    List<ChangeResult> handedOn = new ArrayList<>();
    ApplyResult result = new Reconciler(fake, new Planner(157)).apply(desired, fake.snapshot(), handedOn::add);

    assertThat(handedOn).containsExactlyElementsOf(result.results());

    assertThat(fake.requests()).extracting(RouteRequest::route).extracting(r -> r.destination().toString())
        .containsExactlyElementsOf(specs.stream().map(s -> s.to().toString()).toList());
    assertThat(result.statuses()).hasSize(n);
    assertThat(result.statuses().get(0).state()).isEqualTo(RouteState.FAILED);
    assertThat(result.statuses().get(0).reason()).startsWith("EEXIST adding 10.0.0.0/24 via 172.31.64.1 dev eth2");
    assertThat(result.statuses().subList(1, n)).extracting(RouteStatus::state).containsOnly(RouteState.INSTALLED);
    assertThat(fake.routesNow()).hasSize(n - 1);
  }
}
