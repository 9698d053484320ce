package io.routeagent.reconcile;

import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.kernel.FileAccessException;
import io.routeagent.kernel.KernelEvent;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.KernelRequest;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.kernel.PreparedRequests;
import io.routeagent.kernel.RequestOutcome;
import io.routeagent.kernel.RouteKernel;
import io.routeagent.kernel.RouteRequest;
import io.routeagent.netlink.RouteKey;
import io.routeagent.netlink.RouteMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Reads the kernel, plans, and applies the plan in batches, judging each answer by {@link ErrnoPolicy}.
 *
 * <p>On a kernel without FRA_PROTOCOL it also keeps the record of owned rules: read once, then held
 * here (this process is the only writer: the daemon holds the lock, and a one-shot apply is short)
 * and written after each apply that changed it. Planning alone never writes.
 *
 * <p>It keeps the record of displaced routes the same way, on every kernel: a replace that adopts
 * another owner's route is sent only once the route it displaces is on disk (all of an apply's
 * adoptions in one write, after the plan is made; the rest of the plan is sent meanwhile), and a
 * route put back, or taken back by its owner, leaves the record after the apply. A record that
 * cannot be written stops the adoptions, not the rest: they fail with the reason.
 *
 * <p>For the daemon, {@link #reconcile} also keeps what it left installed, and {@link #repair}
 * puts those routes back when a notification shows them deleted or changed by someone else. The
 * routes a link took with it when it went down are kept too, encoded, and {@link #returnTaken}
 * sends them back when the link is up again and nothing they were resolved from has changed.
 */
public final class Reconciler {
  private final RouteKernel kernel;
  private final Planner planner;
  private final StateRecord<OwnedRules> recordFile;
  private OwnedRules record;
  private final StateRecord<DisplacedRoutes> displacedFile;
  private DisplacedRoutes displaced;
  /** Where a large plan's changes are sent from while it is still being made (see {@link ChangeSender}). */
  private final Executor sending;
  /**
   * Whether the config last planned lets an entry replace (adopt) a route of another owner: its
   * admin policy's {@code adopt}, true without a policy. A repair ({@link #execute}) follows the
   * reconcile of the config in force, so it goes by the same answer.
   */
  private volatile boolean adoptionAllowed = true;
  /** What the last {@link #reconcile} left installed: what a repair puts back (the daemon's loop only). */
  private InstalledRoutes installed = InstalledRoutes.NONE;
  /** What the last {@link #reconcile} resolved {@link #installed} from (the daemon's loop only). */
  private ResolutionFacts installedFrom;

  /**
   * Routes that a link took with it when it went down, as they were installed: create-only requests
   * ready to send, kept while the config and the link stay as they are (the daemon's loop only).
   *
   * @param config the config they were planned from
   * @param facts what they were resolved from: they go back only if the kernel shows the same
   * @param link the interface's index
   * @param linkName its name, for the log
   * @param first the first of the routes, {@link Returned#NAMED} at most, to name them
   */
  private record TakenRoutes(DesiredConfig config, ResolutionFacts facts, int link, String linkName,
      PreparedRequests requests, List<RouteMessage> first) {}

  private List<TakenRoutes> taken = List.of();

  /** A reconcile that changed nothing: what it planned from and what it read. */
  private record Settled(DesiredConfig config, DisplacedRoutes displaced, OwnedRules record,
      KernelSnapshot.Summary read) {}

  /** The last reconcile, when it changed nothing (the daemon's loop only). */
  private Settled settled;

  /** With the record of owned rules kept in memory only. */
  public Reconciler(RouteKernel kernel, Planner planner) {
    this(kernel, planner, null);
  }

  /**
   * @param recordFile where the record of owned rules lives, or null to keep it in memory only
   */
  public Reconciler(RouteKernel kernel, Planner planner, StateRecord<OwnedRules> recordFile) {
    this(kernel, planner, recordFile, null);
  }

  /**
   * @param displacedFile where the record of displaced routes lives, or null to keep it in memory
   *     only
   */
  public Reconciler(RouteKernel kernel, Planner planner, StateRecord<OwnedRules> recordFile,
      StateRecord<DisplacedRoutes> displacedFile) {
    this(kernel, planner, recordFile, displacedFile, ChangeSender.THREAD_PER_PLAN);
  }

  /**
   * @param sending where a large plan's changes are sent from: a thread started for each plan
   *     (the other constructors), or {@link #keptSendingThread} for an owner that plans again and
   *     again, as the daemon does
   */
  public Reconciler(RouteKernel kernel, Planner planner, StateRecord<OwnedRules> recordFile,
      StateRecord<DisplacedRoutes> displacedFile, Executor sending) {
    this.kernel = kernel;
    this.planner = planner;
    this.recordFile = recordFile;
    this.displacedFile = displacedFile;
    this.sending = sending;
  }

  /** A sending thread started for each large plan, for an owner that plans once (see {@link ChangeSender}). */
  public static Executor sendingThreadPerPlan() {
    return ChangeSender.THREAD_PER_PLAN;
  }

  /** One sending thread kept, parked, from one plan to the next (see {@link ChangeSender}). */
  public static Executor keptSendingThread() {
    return ChangeSender.keptThread();
  }

  public Plan plan(DesiredConfig config) throws KernelException {
    return plan(config, kernel.snapshot());
  }

  /** Plans against a snapshot the caller took, for example while it was reading the config. */
  public Plan plan(DesiredConfig config, KernelSnapshot snapshot) {
    return planner.plan(config, snapshot, record(snapshot), displaced(), config.policy().adopt());
  }

  /** The record of displaced routes, read on first need. */
  private synchronized DisplacedRoutes displaced() {
    if (displaced == null) {
      displaced = displacedFile == null ? DisplacedRoutes.EMPTY : displacedFile.load();
    }
    return displaced;
  }

  /** The record, read on first need: only a kernel without FRA_PROTOCOL needs it. */
  private synchronized OwnedRules record(KernelSnapshot snapshot) {
    if (record == null) {
      if (!RulePlanner.lacksProtocol(snapshot.rules())) {
        return OwnedRules.EMPTY;
      }
      record = recordFile == null ? OwnedRules.EMPTY : recordFile.load();
    }
    return record;
  }

  /** Keeps the record as the apply left it, and writes it when it changed. */
  private synchronized void keep(RulePlan plan, OwnedRules after) {
    if (!plan.lacksProtocol() || after.equals(record)) {
      return;
    }
    record = after;
    if (recordFile != null) {
      recordFile.trySave(after);
    }
  }

  public ApplyResult apply(DesiredConfig config) throws KernelException {
    return apply(config, kernel.snapshot());
  }

  /**
   * Applies the config against {@code snapshot}, a recent read of this kernel. Route changes are
   * sent while the rest of the plan is still being made (see {@link ChangeSender}).
   */
  public ApplyResult apply(DesiredConfig config, KernelSnapshot snapshot) throws KernelException {
    return apply(config, snapshot, result -> {});
  }

  /**
   * As {@link #apply(DesiredConfig, KernelSnapshot)}, handing each result of a route change sent
   * to {@code judged} on this thread as soon as the kernel answered it, while the kernel works on
   * the next ones: in the order of {@link ApplyResult#results()}, which may end with results that
   * were not handed on (adoptions that could not be recorded). When the apply fails with an
   * exception, some results may have been handed on.
   */
  public ApplyResult apply(DesiredConfig config, KernelSnapshot snapshot, Consumer<ChangeResult> judged)
      throws KernelException {
    adoptionAllowed = config.policy().adopt();
    DisplacedRoutes before = displaced();
    List<Change> sent = new ArrayList<>();
    List<Change> adoptions = new ArrayList<>();
    // Beside each result to come (the sent changes', then any adoptions' not sent) and each
    // adoption held back: the position of the status of the entry it serves, or -1.
    IntStream.Builder resultStatus = IntStream.builder();
    IntStream.Builder adoptionStatus = IntStream.builder();
    try (ChangeSender sender = new ChangeSender(kernel, sending)) {
      Plan plan = planner.plan(config, snapshot, record(snapshot), before, adoptionAllowed, (change, status) -> {
        if (change.adopts()) {
          adoptions.add(change);
          adoptionStatus.accept(status);
        } else {
          sent.add(change);
          resultStatus.accept(status);
          sender.send(change);
        }
      });
      int[] adopting = adoptionStatus.build().toArray();
      String unrecorded = null;
      if (!adoptions.isEmpty()) {
        unrecorded = recordAdoptions(adoptions);
        if (unrecorded == null) {
          for (int i = 0; i < adoptions.size(); i++) {
            sent.add(adoptions.get(i));
            resultStatus.accept(adopting[i]);
            sender.send(adoptions.get(i));
          }
        }
      }
      List<ChangeResult> results = new ArrayList<>(sent.size());
      sender.finish(outcomes -> {
        int from = results.size();
        for (ChangeResult result : judge(sent.subList(from, from + outcomes.size()), outcomes)) {
          results.add(result);
          judged.accept(result);
        }
      });
      if (unrecorded != null) {
        for (int i = 0; i < adoptions.size(); i++) {
          Change adoption = adoptions.get(i);
          results.add(new ChangeResult(adoption, ErrnoPolicy.Verdict.FAILED, null, "not replacing "
              + adoption.description() + ": the route of another owner it would displace cannot be recorded to be"
              + " put back: " + unrecorded));
          resultStatus.accept(adopting[i]);
        }
      }
      forgetDisplaced(plan.forgotten(), results);
      return conclude(plan, results, resultStatus.build().toArray());
    }
  }

  /**
   * Adds the routes that the adoptions among {@code changes} displace to the record, on disk first;
   * the reason it could not be written, or null.
   */
  private String recordAdoptions(List<Change> changes) {
    List<DisplacedRoutes.Displaced> added = new ArrayList<>();
    for (Change change : changes) {
      if (change.adopts()) {
        added.add(change.displaced());
      }
    }
    return recordDisplaced(displaced().with(added, List.of()));
  }

  /** Keeps {@code next} as the record, on disk first; the reason it could not be written, or null. */
  private synchronized String recordDisplaced(DisplacedRoutes next) {
    if (displacedFile != null) {
      try {
        displacedFile.save(next);
      } catch (FileAccessException e) {
        return "cannot write " + displacedFile.where() + " (" + e.getMessage() + ")";
      }
    }
    displaced = next;
    return null;
  }

  /**
   * After an apply: routes put back, routes their owner took back, and adoptions that did not
   * happen leave the record.
   */
  private synchronized void forgetDisplaced(Set<RouteKey> forgotten, List<ChangeResult> results) {
    List<RouteKey> gone = new ArrayList<>(forgotten);
    for (ChangeResult result : results) {
      Change change = result.change();
      boolean done = result.verdict() == ErrnoPolicy.Verdict.DONE;
      if ((change.op() == Change.Op.RESTORE && done) || (change.adopts() && !done)) {
        gone.add(change.displaced().key());
      }
    }
    DisplacedRoutes next = displaced.with(List.of(), gone);
    if (next != displaced) {
      displaced = next;
      if (displacedFile != null) {
        displacedFile.trySave(next);
      }
    }
  }

  /**
   * Given the results of the plan's route changes, and beside each the position of the status of
   * the entry it serves (-1 for none): sends the plan's rule changes (after the routes: a rule
   * sends traffic to a table only once the table is filled) and judges every answer.
   */
  private ApplyResult conclude(Plan plan, List<ChangeResult> results, int[] resultStatus) throws KernelException {
    List<KernelRequest> ruleRequests = new ArrayList<>();
    plan.rules().changes().forEach(c -> ruleRequests.addAll(c.toRequests()));
    List<RequestOutcome> ruleOutcomes = ruleRequests.isEmpty() ? List.of() : kernel.execute(ruleRequests);
    // By position, not in a map by entry: at 100,000 routes that map's lookups missed the cache
    // for a sixth of a link flap's planning.
    ChangeResult[] byStatus = new ChangeResult[plan.statuses().size()];
    for (int i = 0; i < results.size(); i++) {
      if (resultStatus[i] >= 0) {
        byStatus[resultStatus[i]] = results.get(i);
      }
    }
    List<RouteStatus> statuses = new ArrayList<>(plan.statuses().size());
    for (int i = 0; i < byStatus.length; i++) {
      RouteStatus status = plan.statuses().get(i);
      ChangeResult result = byStatus[i];
      if (result == null) {
        statuses.add(status);
        continue;
      }
      statuses.add(switch (result.verdict()) {
        // installed, or degraded: a multipath route without the next hops it could not take now
        case DONE -> status.installed();
        case WAITING -> status.withState(RouteState.WAITING, result.message());
        case FAILED -> status.withState(RouteState.FAILED, result.message());
      });
    }
    RuleOutcomes rules = RuleOutcomes.judge(plan.rules(), ruleOutcomes);
    keep(plan.rules(), rules.owned());
    return new ApplyResult(plan, results, statuses, rules.results(), rules.statuses());
  }

  /**
   * The daemon's full reconcile: an {@link #apply} that keeps the routes it left installed, and the
   * interfaces it saw, for the {@link #repair}s until the next one.
   */
  public ApplyResult reconcile(DesiredConfig config) throws KernelException {
    KernelSnapshot snapshot = kernel.snapshot();
    ApplyResult result = apply(config, snapshot);
    // Not the result: its plan's changes, each with its description (a megabyte after the 10,000
    // adds of a start-up), are done with.
    InstalledRoutes before = installed;
    installed = InstalledRoutes.of(planner, config, result);
    ResolutionFacts now = ResolutionFacts.of(snapshot);
    keepTaken(config, before, now);
    installedFrom = now;
    settled = result.results().isEmpty() && result.ruleResults().isEmpty()
        ? new Settled(config, displaced(), record, snapshot.summary())
        : null;
    return result;
  }

  /**
   * Whether a {@link #reconcile} of {@code config} now would find nothing to do and judge every
   * entry as the last one did: the last reconcile changed nothing, and since then neither the
   * config, nor the records, nor anything the kernel reads back (interfaces, addresses, rules and
   * routes) changed. It reads the routes as a digest only, so that the daemon's periodic resync of
   * a table that is as it should be keeps none of them (100,000 routes: 20 MB that the collector
   * copied, 0.75–2 s a resync).
   */
  public boolean settled(DesiredConfig config) throws KernelException {
    Settled last = settled;
    if (last == null || last.config() != config || last.displaced() != displaced() || last.record() != record) {
      return false;
    }
    if (kernel.summary().equals(last.read())) {
      return true;
    }
    settled = null;
    return false;
  }

  /**
   * Keeps, encoded, the routes that {@code before} had installed and this reconcile found gone
   * with their link, down now; keeps those kept earlier while their config and link stay as they
   * were. A reconcile while the link stays down finds them gone already, not installed.
   */
  private void keepTaken(DesiredConfig config, InstalledRoutes before, ResolutionFacts now) {
    List<TakenRoutes> kept = new ArrayList<>();
    for (TakenRoutes t : taken) {
      if (t.config() == config && now.isDown(t.link())) {
        kept.add(t);
      }
    }
    for (Map.Entry<Integer, List<RouteMessage>> link : before.takenByLinksDown(installed, now).entrySet()) {
      List<RouteMessage> routes = link.getValue();
      List<RouteRequest> requests = new ArrayList<>(routes.size());
      for (RouteMessage route : routes) {
        requests.add(new RouteRequest(RouteRequest.Kind.CREATE, route));
      }
      kept.add(new TakenRoutes(config, installedFrom, link.getKey(), before.interfaceName(link.getKey()),
          kernel.prepare(requests), List.copyOf(routes.subList(0, Math.min(Returned.NAMED, routes.size())))));
    }
    taken = kept.isEmpty() ? List.of() : kept;
  }

  /**
   * The routes of a link that came back up, sent back as they were before it went down.
   *
   * @param linkName the interface's name
   * @param sent how many were sent
   * @param done how many the kernel added; it refused the others (a route with the same key in
   *     their place, a gateway it does not reach any more), which the full reconcile that follows
   *     judges
   * @param named those of the first {@link #NAMED} sent that the kernel added, to be named
   */
  public record Returned(String linkName, int sent, int done, List<RouteMessage> named) {
    /**
     * How many changes the daemon's log names one by one (the routes of a link sent back, a
     * reconcile's or a repair's changes, the routes that start to wait); a line counts the rest.
     */
    public static final int NAMED = 20;

    /** The name of the interface at {@code index}, for the log's words: each route here goes through the one. */
    public String interfaceName(int index) {
      return linkName;
    }
  }

  /**
   * Sends back, before any plan, the routes that a link took with it when it went down, if it is
   * up again and nothing they were resolved from has changed since they were installed (the
   * interfaces' names and MAC addresses and their IPv4 addresses, {@link ResolutionFacts}) under
   * the same config: a plan would resolve them to the same routes. Each is sent create-only: one
   * that another program put in its place in the meantime stays, for the full reconcile that must
   * follow to judge, as it judges the routes refused. Taken routes whose link is up but whose facts
   * changed are dropped, for that reconcile to plan, unless {@code keepUnsent}. Each is dropped
   * before it is sent, so that an exchange that fails midway is never sent again. One read of the
   * interfaces and addresses when routes are kept; nothing when none are.
   *
   * @param keepUnsent keep the routes of a link that is up with other facts, for a later call: the
   *     link's burst may not be over (a network manager putting its address back)
   * @return what was sent back, one per link; empty when nothing was
   */
  public List<Returned> returnTaken(DesiredConfig config, boolean keepUnsent) throws KernelException {
    if (taken.isEmpty()) {
      return List.of();
    }
    ResolutionFacts now = ResolutionFacts.of(kernel.interfaces());
    List<TakenRoutes> kept = new ArrayList<>();
    List<TakenRoutes> back = new ArrayList<>();
    for (TakenRoutes t : taken) {
      if (t.config() != config) {
        continue;
      }
      if (now.isDown(t.link())) {
        kept.add(t);
      } else if (now.isUp(t.link()) && t.facts().equals(now)) {
        back.add(t);
      } else if (keepUnsent) {
        kept.add(t);
      }
    }
    taken = kept.isEmpty() ? List.of() : kept;
    List<Returned> returned = new ArrayList<>(back.size());
    for (TakenRoutes t : back) {
      List<RequestOutcome> outcomes = kernel.execute(t.requests());
      int done = 0;
      List<RouteMessage> named = new ArrayList<>();
      for (int i = 0; i < outcomes.size(); i++) {
        if (outcomes.get(i).errno() == null) {
          done++;
          if (i < t.first().size()) {
            named.add(t.first().get(i));
          }
        }
      }
      returned.add(new Returned(t.linkName(), outcomes.size(), done, named));
    }
    if (!returned.isEmpty()) {
      settled = null;
    }
    return returned;
  }

  /** What the last {@link #reconcile} left installed. */
  public InstalledRoutes installed() {
    return installed;
  }

  /** Nothing is repaired any more until the next {@link #reconcile} (the policy failed closed). */
  public void forgetInstalled() {
    installed = InstalledRoutes.NONE;
    installedFrom = null;
    taken = List.of();
    settled = null;
  }

  /**
   * Puts back the routes the last {@link #reconcile} installed that these notifications show
   * deleted, or changed into something else, from the entries it resolved them from and without
   * reading the table: the notification says exactly what happened. Our own changes echoing back
   * match what we want, and notifications about routes that are not ours, call for nothing.
   */
  public RepairResult repair(List<KernelEvent.RouteChanged> notifications) {
    List<Change> changes = null;
    for (KernelEvent.RouteChanged notification : notifications) {
      Change change = installed.repair(notification.route(), notification.deleted());
      if (change != null) {
        if (changes == null) {
          changes = new ArrayList<>(notifications.size());
        }
        changes.add(change);
      }
    }
    if (changes == null) {
      return RepairResult.NOTHING;
    }
    try {
      return new RepairResult(changes, execute(changes), null);
    } catch (KernelException e) {
      return new RepairResult(changes, List.of(), e.getMessage());
    }
  }

  /**
   * Sends the changes in order, in batches, and judges each answer: the daemon's repairs. A repair
   * that replaces another owner's route (it replaced ours under a desired key) adopts it as an
   * apply does: the route is recorded first, and the repair is not sent when adoption is not
   * allowed or the record cannot be written.
   */
  public List<ChangeResult> execute(List<Change> changes) throws KernelException {
    String refused = null;
    boolean adopting = false;
    for (Change change : changes) {
      adopting |= change.adopts();
    }
    if (adopting) {
      if (!adoptionAllowed) {
        refused = "adoption not allowed by the admin policy";
      } else {
        refused = recordAdoptions(changes);
      }
    }
    if (refused == null) {
      List<ChangeResult> results = judge(changes, kernel.execute(requests(changes)));
      if (adopting) {
        // A repair that did not happen displaced nothing: its route leaves the record again.
        forgetDisplaced(Set.of(), results);
      }
      return results;
    }
    List<Change> sent = new ArrayList<>(changes.size());
    List<ChangeResult> notSent = new ArrayList<>();
    for (Change change : changes) {
      if (change.adopts()) {
        notSent.add(new ChangeResult(change, ErrnoPolicy.Verdict.FAILED, null, "not replacing "
            + change.description() + " (" + change.reason() + "): " + refused));
      } else {
        sent.add(change);
      }
    }
    List<ChangeResult> results = new ArrayList<>(sent.isEmpty() ? List.of() : judge(sent, kernel.execute(requests(sent))));
    results.addAll(notSent);
    return results;
  }

  /** A loop, not a stream: the daemon's repairs come one at a time, each with its garbage. */
  private static List<KernelRequest> requests(List<Change> changes) {
    List<KernelRequest> requests = new ArrayList<>(changes.size());
    for (Change change : changes) {
      requests.add(change.toRequest());
    }
    return requests;
  }

  /** The route changes' results, from the first outcomes (rules' outcomes may follow). */
  private static List<ChangeResult> judge(List<Change> changes, List<RequestOutcome> outcomes) {
    List<ChangeResult> results = new ArrayList<>(changes.size());
    for (int i = 0; i < changes.size(); i++) {
      Change change = changes.get(i);
      RequestOutcome outcome = outcomes.get(i);
      ErrnoPolicy.Verdict verdict = ErrnoPolicy.ofChange(change.op().deletes(), outcome.errno());
      String message = verdict == ErrnoPolicy.Verdict.DONE
          ? null
          : new KernelException(
                  outcome.errno(), change.op().gerund() + " " + change.description(), true, outcome.kernelMessage())
              .getMessage();
      results.add(new ChangeResult(change, verdict, outcome.errno(), message));
    }
    return results;
  }
}
