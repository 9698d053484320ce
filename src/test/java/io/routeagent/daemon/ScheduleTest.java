package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The loop's timers, on a clock the test moves. */
class ScheduleTest {
  private static final long MS = 1_000_000;
  /** Not 0: a schedule must not take any time for "never" or "not yet". */
  private final AtomicLong clock = new AtomicLong(-5_000 * MS);
  private final Schedule schedule = schedule(Optional.empty());

  private Schedule schedule(Optional<Duration> watchdog) {
    return new Schedule(clock::get, Duration.ofSeconds(60), Duration.ofMillis(5), Duration.ofMillis(1), Duration.ofMillis(40),
        watchdog);
  }

  private void later(long millis) {
    clock.addAndGet(millis * MS);
  }

  @Test
  void theResyncComesAnIntervalAfterTheLastFullReconcile() {
    schedule.started();
    assertThat(schedule.fullReconcileDue()).isNull();
    assertThat(schedule.untilNext()).as("the compaction first").isEqualTo(40 * MS);
    later(40);
    schedule.compacted();
    assertThat(schedule.untilNext()).isEqualTo(59_960 * MS);
    later(59_959);
    assertThat(schedule.fullReconcileDue()).isNull();
    later(1);
    assertThat(schedule.fullReconcileDue()).isEqualTo("resync");
    assertThat(schedule.dueSince()).isEqualTo(clock.get());
    later(3);
    schedule.reconciled();
    assertThat(schedule.fullReconcileDue()).isNull();
    later(59_999);
    assertThat(schedule.fullReconcileDue()).isNull();
    later(1);
    assertThat(schedule.fullReconcileDue()).isEqualTo("resync");
  }

  @Test
  void linkAndAddressEventsWaitForTheEndOfTheirBurstAndTheLatestNamesTheReconcile() {
    schedule.started();
    long seen = clock.get();
    schedule.interfaceChanged("link-down", seen);
    assertThat(schedule.untilNext()).as("a burst ends after 1 ms without a notification").isEqualTo(MS);
    later(1);
    assertThat(schedule.fullReconcileDue()).isEqualTo("link-down");
    schedule.reconciled();

    seen = clock.get();
    schedule.interfaceChanged("link-down", seen);
    clock.addAndGet(MS / 2);
    schedule.interfaceChanged("link-up", clock.get()); // the same burst
    assertThat(schedule.untilNext()).isEqualTo(MS);
    clock.addAndGet(MS / 2);
    schedule.heard(); // a route's notification: the kernel's connected route, say
    later(1);
    assertThat(schedule.fullReconcileDue()).isEqualTo("link-up");
    assertThat(schedule.dueSince()).as("latency counts from the first event").isEqualTo(seen);
    schedule.reconciled();
    assertThat(schedule.fullReconcileDue()).isNull();
  }

  @Test
  void aBurstThatGoesOnIsWaitedForNoLongerThanTheDamping() {
    schedule.started();
    schedule.interfaceChanged("link-up", clock.get());
    for (int i = 0; i < 9; i++) {
      assertThat(schedule.fullReconcileDue()).isNull();
      clock.addAndGet(MS / 2);
      schedule.heard();
    }
    assertThat(schedule.untilNext()).as("the damping's 5 ms end it").isEqualTo(MS / 2);
    clock.addAndGet(MS / 2);
    assertThat(schedule.fullReconcileDue()).isEqualTo("link-up");
  }

  @Test
  void aNotificationPostponesOnlyAReconcileThatWaitsForItsBurst() {
    schedule.started();
    schedule.heard();
    assertThat(schedule.untilNext()).as("nothing asked for: the compaction is next").isEqualTo(40 * MS);

    schedule.fullNow("overrun", clock.get());
    schedule.heard();
    schedule.interfaceChanged("link-up", clock.get());
    assertThat(schedule.untilNext()).as("an overrun does not wait").isZero();
    assertThat(schedule.fullReconcileDue()).isNotNull();
    schedule.reconciled();

    schedule.repairIncomplete();
    later(4);
    schedule.heard();
    later(1);
    assertThat(schedule.fullReconcileDue()).as("a repair's retry keeps its damping").isEqualTo("repair-incomplete");
  }

  @Test
  void aRepairThatFailsWithinABurstLeavesItsReconcileAsItWas() {
    schedule.started();
    long seen = clock.get();
    schedule.interfaceChanged("link-down", seen);
    clock.addAndGet(MS / 2);
    schedule.repairIncomplete(); // the link's IPv6 routes, deleted with notifications, could not be put back
    assertThat(schedule.untilNext()).as("the burst's end, not a damping from the repair").isEqualTo(MS / 2);
    clock.addAndGet(MS / 2);
    assertThat(schedule.fullReconcileDue()).isEqualTo("link-down");
    assertThat(schedule.dueSince()).isEqualTo(seen);
  }

  @Test
  void aBurstDueAlreadyIsNotPostponed() {
    schedule.started();
    schedule.interfaceChanged("link-up", clock.get());
    later(1);
    schedule.heard(); // read in the same pass, before the loop asked what is due
    assertThat(schedule.fullReconcileDue()).isEqualTo("link-up");
  }

  @Test
  void theQuietThatEndsABurstIsNoLongerThanTheDamping() {
    assertThatThrownBy(() -> new Schedule(clock::get, Duration.ofSeconds(60), Duration.ofMillis(5),
        Duration.ofMillis(6), Duration.ofMillis(40), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no longer than the damping");
  }

  @Test
  void anAddressEventAfterALinkEventDoesNotRenameTheReconcile() {
    schedule.started();
    schedule.interfaceChanged("link-up", clock.get());
    clock.addAndGet(MS / 2);
    schedule.interfaceChanged("address-added", clock.get()); // the link's IPv6 address after its DAD
    later(1);
    assertThat(schedule.fullReconcileDue()).isEqualTo("link-up");
    schedule.reconciled();
    schedule.interfaceChanged("address-removed", clock.get());
    clock.addAndGet(MS / 2);
    schedule.interfaceChanged("link-down", clock.get());
    later(1);
    assertThat(schedule.fullReconcileDue()).as("a link event renames an address event").isEqualTo("link-down");
  }

  @Test
  void aRuleChangeAsksForAReconcileButNamesItOnlyWhenNothingElseDid() {
    schedule.started();
    schedule.ruleChanged(clock.get());
    later(1);
    assertThat(schedule.fullReconcileDue()).isEqualTo("rule-changed");
    schedule.reconciled();

    schedule.interfaceChanged("address-added", clock.get());
    schedule.ruleChanged(clock.get());
    later(1);
    assertThat(schedule.fullReconcileDue()).isEqualTo("address-added");
  }

  @Test
  void aReloadOrAnOverrunIsDueAtOnceAndKeepsWhenItWasSeen() {
    schedule.started();
    long seen = clock.get() - 3 * MS;
    schedule.fullNow("overrun", seen);
    assertThat(schedule.untilNext()).isZero();
    assertThat(schedule.fullReconcileDue()).isEqualTo("overrun");
    assertThat(schedule.dueSince()).isEqualTo(seen);
  }

  @Test
  void anIncompleteRepairTakesAFullReconcileAfterTheDamping() {
    schedule.started();
    later(1);
    schedule.repairIncomplete();
    later(4);
    assertThat(schedule.fullReconcileDue()).isNull();
    later(1);
    assertThat(schedule.fullReconcileDue()).isEqualTo("repair-incomplete");
    assertThat(schedule.dueSince()).isEqualTo(clock.get() - 5 * MS);
  }

  @Test
  void theWatchdogIsPingedAtOnceAndThenEveryInterval() {
    Schedule pinging = schedule(Optional.of(Duration.ofMillis(100)));
    pinging.started();
    assertThat(pinging.pingDue()).isTrue();
    assertThat(pinging.pingDue()).isFalse();
    later(40);
    pinging.compacted();
    assertThat(pinging.untilNext()).isEqualTo(60 * MS);
    later(60);
    assertThat(pinging.pingDue()).isTrue();
    assertThat(pinging.pingDue()).isFalse();
  }

  @Test
  void withoutAWatchdogNothingIsPinged() {
    schedule.started();
    assertThat(schedule.pingDue()).isFalse();
    later(3_600_000);
    assertThat(schedule.pingDue()).isFalse();
  }

  @Test
  void theHeapIsCompactedAQuietPeriodAfterAReconcileAndOnlyOnce() {
    schedule.started();
    later(39);
    assertThat(schedule.compactionDue()).isFalse();
    later(1);
    assertThat(schedule.compactionDue()).isTrue();
    schedule.compacted();
    later(30_000);
    assertThat(schedule.compactionDue()).as("not again without a reconcile").isFalse();
    schedule.fullNow("config-reload", clock.get());
    schedule.reconciled();
    later(40);
    assertThat(schedule.compactionDue()).isTrue();
  }

  /**
   * A reconcile every 5 ms for 1.2 s, with the loop's order (a reconcile that is due first, then
   * the compaction): compacted 400 ms after the first reconcile that asked for it, again and again,
   * not once per quiet period, and not only once the storm is over.
   */
  @Test
  void aStormPostponesTheCompactionByTenQuietPeriodsAtMost() {
    schedule.started();
    later(40);
    schedule.compacted();
    long stormStart = clock.get();
    List<Long> compactedAt = new ArrayList<>();
    for (int step = 0; step < 240; step++) {
      later(5);
      schedule.fullNow("link-up", clock.get());
      assertThat(schedule.fullReconcileDue()).isEqualTo("link-up");
      schedule.reconciled();
      if (schedule.compactionDue()) { // the loop's next turn, at once
        schedule.compacted();
        compactedAt.add((clock.get() - stormStart) / MS);
      }
    }
    assertThat(compactedAt).containsExactly(405L, 810L);
    assertThat(schedule.untilNext()).as("the cap, 400 ms after +815 ms").isEqualTo(15 * MS);
  }

  @Test
  void aHeldChangeIsDueWhenItsQuietHasPassedAndNotOnceReleased() {
    schedule.started();
    schedule.hold(Duration.ofSeconds(30));
    assertThat(schedule.untilNext()).as("the compaction first").isEqualTo(40 * MS);
    later(40);
    schedule.compacted();
    assertThat(schedule.untilNext()).isEqualTo(29_960 * MS);
    later(29_959);
    assertThat(schedule.heldDue()).isFalse();
    later(1);
    assertThat(schedule.heldDue()).isTrue();
    schedule.hold(Duration.ofSeconds(30)); // a new write restarts the wait
    assertThat(schedule.heldDue()).isFalse();
    schedule.release();
    later(60_000);
    assertThat(schedule.heldDue()).isFalse();
  }

  /**
   * Security review, finding 1: reloads back off. Refused ones in a row wait 0, 0.4, 0.8 s...
   * up to 30 s apart; a valid one ends the run, and so does a minute with none asked for; a reload
   * that took long makes the next wait nine times as long, valid or not.
   */
  @Test
  void reloadsBackOffAfterRefusalsInARowAndAfterACostlyOne() {
    schedule.started();
    assertThat(schedule.reloadAsked()).as("the first, at once").isZero();
    assertThat(schedule.reloadDue()).isTrue();
    schedule.reloaded(clock.get(), true);
    assertThat(schedule.reloadAsked()).as("after one refusal: the watcher's quiet is wait enough").isZero();
    schedule.reloaded(clock.get(), true);
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      long wait = schedule.reloadAsked();
      waits.add(wait / MS);
      assertThat(schedule.untilNext()).isLessThanOrEqualTo(wait);
      assertThat(schedule.reloadAsked()).as("asked again meanwhile: once").isZero();
      if (wait > 0) {
        assertThat(schedule.reloadDue()).isFalse();
        later(wait / MS - 1);
        assertThat(schedule.reloadDue()).isFalse();
        later(1);
      }
      assertThat(schedule.reloadDue()).isTrue();
      schedule.reloaded(clock.get(), true);
    }
    assertThat(waits).containsExactly(400L, 800L, 1_600L, 3_200L, 6_400L, 12_800L, 25_600L, 30_000L, 30_000L);
    assertThat(schedule.backedOffAfter()).isEqualTo(11);

    later(30_000);
    assertThat(schedule.reloadAsked()).isZero();
    schedule.reloaded(clock.get(), false);
    assertThat(schedule.reloadAsked()).as("a valid reload ends the run").isZero();
    schedule.reloaded(clock.get(), true);
    schedule.reloaded(clock.get(), true);
    later(60_000);
    assertThat(schedule.reloadAsked()).as("a minute with none asked for ends it too").isZero();
    schedule.reloaded(clock.get(), true);
    assertThat(schedule.reloadAsked()).isZero();

    long started = clock.get();
    later(500);
    schedule.reloaded(started, false);
    assertThat(schedule.reloadAsked()).as("nine times the last one's 500 ms").isEqualTo(4_500 * MS);
    assertThat(schedule.backedOffAfter()).as("its cost, not refusals, makes it wait").isZero();
  }
}
