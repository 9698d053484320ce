package io.routeagent.reconcile;

import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.KernelRequest;
import io.routeagent.kernel.PreparedRequests;
import io.routeagent.kernel.RequestOutcome;
import io.routeagent.kernel.RouteKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends a plan's route changes while the planner is still finding more. On 100,000 routes
 * planning and sending each take a few hundred milliseconds; with the sending on a second thread
 * they overlap instead of taking turns. Changes are sent in the order they are found, in chunks
 * that start small (the kernel gets to work early: a link flap's 10,000 re-adds are timed from
 * link-up) and grow so that the per-chunk ack costs nothing; a plan smaller than the first chunk
 * is sent on the caller's thread when it is finished, as before.
 *
 * <p>Each chunk is {@linkplain RouteKernel#prepare prepared} (encoded) on the caller's thread, so
 * that the sending thread's time is the kernel's. At most {@value #CHUNKS_AHEAD} chunks wait
 * for it, encoded: the planner, faster than the kernel, waits instead of holding a whole plan's
 * datagrams (6 MB at 100,000 routes).
 *
 * <p>The sending runs on an {@link Executor} the owner hands in: {@link #THREAD_PER_PLAN} for the
 * one-shot commands, which plan once; {@link #keptThread} for the daemon, whose link flaps would
 * otherwise each start a thread, and starting one takes 0.7 ms on a quiet 2-core VM before it
 * runs (1–3.4 ms on a busy one), a tenth of a 1,000-route link flap.
 *
 * <p>Only changes that the planner has fully decided reach the sender, and the planner runs on a
 * config that validated as a whole: pipelining never sends anything a plain plan-then-execute
 * would not have sent.
 */
final class ChangeSender implements AutoCloseable {
  static final int FIRST_CHUNK = 256;
  static final int LARGEST_CHUNK = 4096;
  static final int CHUNKS_AHEAD = 2;

  /** A new thread for each plan that needs one. */
  static final Executor THREAD_PER_PLAN = task -> sendingThread(task).start();

  private static final PreparedRequests END = PreparedRequests.of(List.of());
  private static final List<RequestOutcome> ANSWERED = List.of();

  private final RouteKernel kernel;
  private final Executor executor;
  private final int largestChunk;
  private int chunkSize;
  private final List<RequestOutcome> outcomes = new ArrayList<>();
  private List<KernelRequest> pending;
  private BlockingQueue<PreparedRequests> queue;
  // Each chunk's outcomes as they come in, then ANSWERED once the thread is done.
  private BlockingQueue<List<RequestOutcome>> answers;
  private Future<?> sending;
  // Written by the sending thread, read by the caller after join(): the future orders the two.
  private Throwable failure;
  private volatile boolean cancelled;

  /** @param executor where the chunks are sent from, once a plan outgrows the first chunk */
  ChangeSender(RouteKernel kernel, Executor executor) {
    this(kernel, executor, FIRST_CHUNK, LARGEST_CHUNK);
  }

  /** Each chunk is twice the previous one, from {@code firstChunk} up to {@code largestChunk}. */
  ChangeSender(RouteKernel kernel, Executor executor, int firstChunk, int largestChunk) {
    this.kernel = kernel;
    this.executor = executor;
    this.chunkSize = firstChunk;
    this.largestChunk = largestChunk;
    this.pending = new ArrayList<>(firstChunk);
  }

  /** Takes the next change of the plan; sends a chunk once it is full. */
  void send(Change change) {
    pending.add(change.toRequest());
    if (pending.size() == chunkSize) {
      if (sending == null) {
        start();
      }
      enqueue(kernel.prepare(pending));
      chunkSize = Math.min(chunkSize * 2, largestChunk);
      pending = new ArrayList<>(chunkSize);
    }
  }

  /**
   * Sends what is left and waits for every answer.
   *
   * @return one outcome per change, in the order the changes were given
   * @throws KernelException when an exchange failed, so that no later outcome can be trusted
   */
  List<RequestOutcome> finish() throws KernelException {
    return finish(chunk -> {});
  }

  /**
   * As {@link #finish()}, handing each chunk's outcomes to {@code answered} on this thread as soon
   * as they are in, in order: the caller can judge and word them while the kernel works on the next
   * ones. After a failure the outcomes already handed on are all there will be, and it is thrown.
   */
  List<RequestOutcome> finish(Consumer<List<RequestOutcome>> answered) throws KernelException {
    if (sending == null) {
      List<RequestOutcome> all = pending.isEmpty() ? List.of() : kernel.execute(pending);
      answered.accept(all);
      return all;
    }
    if (!pending.isEmpty()) {
      enqueue(kernel.prepare(pending));
    }
    enqueue(END);
    boolean interrupted = false;
    for (List<RequestOutcome> chunk = null; chunk != ANSWERED; ) {
      try {
        chunk = answers.take();
      } catch (InterruptedException e) {
        interrupted = true;
        continue;
      }
      if (chunk != ANSWERED) {
        answered.accept(chunk);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    join();
    if (failure instanceof KernelException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw new IllegalStateException("sending route changes stopped", failure);
    }
    return outcomes;
  }

  /** After a failure of the planner: sends nothing more, and waits until the thread has done so. */
  @Override
  public void close() {
    if (sending != null && !sending.isDone()) {
      cancelled = true;
      enqueue(END);
      join();
    }
  }

  private void start() {
    queue = new LinkedBlockingQueue<>(CHUNKS_AHEAD);
    answers = new LinkedBlockingQueue<>();
    FutureTask<Void> task = new FutureTask<>(this::sendChunks, null);
    // Throws when no thread can be had: the plan fails with it, and close() has nothing to wait for.
    executor.execute(task);
    sending = task;
  }

  /**
   * One thread, kept parked between plans for the next one; a plan sent while it is busy (or
   * before it is back to waiting) gets another, which ends after a minute idle.
   */
  static ExecutorService keptThread() {
    return new ThreadPoolExecutor(1, Integer.MAX_VALUE, 1, TimeUnit.MINUTES, new SynchronousQueue<>(),
        ChangeSender::sendingThread);
  }

  private static Thread sendingThread(Runnable task) {
    Thread thread = new Thread(task, "route-agent-send");
    thread.setDaemon(true);
    return thread;
  }

  private void sendChunks() {
    try {
      for (PreparedRequests chunk = queue.take(); chunk != END; chunk = queue.take()) {
        if (failure == null && !cancelled) {
          try {
            List<RequestOutcome> answer = kernel.execute(chunk);
            outcomes.addAll(answer);
            answers.add(answer);
          } catch (KernelException | RuntimeException | Error e) {
            failure = e;
          }
        }
      }
    } catch (InterruptedException e) {
      // Nobody else knows this thread; still, outcomes are now missing and must not be judged.
      if (failure == null) {
        failure = e;
      }
    } finally {
      answers.add(ANSWERED);
    }
  }

  /**
   * Waits for room in the queue: the thread takes every chunk, sent or (after a failure) not, until
   * it ends; a chunk is dropped only once it has ended, when its failure says why.
   */
  private void enqueue(PreparedRequests chunk) {
    boolean interrupted = false;
    while (true) {
      try {
        if (queue.offer(chunk, 100, TimeUnit.MILLISECONDS) || sending.isDone()) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void join() {
    boolean interrupted = false;
    while (true) {
      try {
        sending.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        if (failure == null) { // sendChunks keeps what it catches in failure; this is what it could not
          failure = e.getCause();
        }
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
