package io.routeagent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.ConfigLoader;
import io.routeagent.config.DesiredConfig;
import io.routeagent.config.TableNames;
import io.routeagent.reconcile.RouteState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusPageTest {
  /** A clock the test moves on. */
  static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-11-30T12:00:30Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final MovingClock clock = new MovingClock();
  final StatusBoard board = new StatusBoard(clock);

  static StatusReport report() throws Exception {
    DesiredConfig config = new ConfigLoader(TableNames.of(Map.of())).parse("routes.yaml", """
        routes:
          - "10.0.0.0/16 via 172.31.64.1 dev eth2"
          - "10.40.0.0/16 via 172.31.80.1 dev eth3"
        """);
    return new StatusReport(List.of(
        new StatusReport.Route(config.routes().get(0), RouteState.INSTALLED, null, "eth2"),
        new StatusReport.Route(config.routes().get(1), RouteState.WAITING, "interface eth3 <absent>", null)),
        List.of(), 0, Optional.empty(), Optional.empty());
  }

  @Test
  void eachRouteWithItsStateAndWhatNeedsALookFirst() throws Exception {
    board.reconciled(report());
    String page = StatusPage.render(board.snapshot(), Optional.empty(), List.of());
    assertThat(page).contains("<p id=\"summary\">1/2 routes installed, 1 waiting</p>", "Healthy.",
        "<meta http-equiv=\"refresh\" content=\"5\">");
    assertThat(page.indexOf("data-state=\"waiting\"")).as("the waiting route first")
        .isLessThan(page.indexOf("data-state=\"installed\""));
    assertThat(page).as("every text from the file or the kernel escaped").contains("interface eth3 &lt;absent&gt;")
        .doesNotContain("<absent>");
    assertThat(page).as("self-contained, relative links only").doesNotContain("http://", "https://", "src=", "<script")
        .contains("href=\"status.json\"");
  }

  @Test
  void aControlCharacterOrABidiOverrideIsShownEscapedAndTheHtmlStillIs() throws Exception {
    board.reconciled(report());
    board.refused(List.of("routes.d/a\u202e.yaml:3:5: unknown key \"<script>\u001b[2J\""));
    String page = StatusPage.render(board.snapshot(), Optional.empty(), List.of());
    assertThat(page).contains("routes.d/a\\u202e.yaml:3:5: unknown key &quot;&lt;script&gt;\\x1b[2J&quot;")
        .doesNotContain("\u202e", "\u001b", "<script");
  }

  @Test
  void aProblemShowsItsLinesAndWhenUntilTheFileIsValidAgain() throws Exception {
    board.reconciled(report());
    board.refused(List.of("routes.yaml:3:5: unknown key \"vai\". Did you mean \"via\"? <b>"));
    clock.now = clock.now.plusSeconds(75);
    String page = StatusPage.render(board.snapshot(), Optional.empty(), List.of());
    assertThat(page).contains("routes.yaml:3:5: unknown key &quot;vai&quot;. Did you mean &quot;via&quot;? &lt;b&gt;",
        "Seen 1 min ago (2026-11-30T12:00:30Z)");
    board.valid();
    assertThat(StatusPage.render(board.snapshot(), Optional.empty(), List.of())).doesNotContain("id=\"problem\"");
  }

  @Test
  void aFileWithThousandsOfProblemsShowsTheFirstTwentyAndCountsTheRest() {
    List<String> problems = new java.util.ArrayList<>();
    for (int i = 1; i <= 35_000; i++) {
      problems.add("routes.yaml:" + i + ":5: duplicate route");
    }
    board.refused(problems);
    String page = StatusPage.render(board.snapshot(), Optional.empty(), List.of());
    assertThat(page).contains("routes.yaml:20:5:", "and 34980 more").doesNotContain("routes.yaml:21:5:");
  }

  @Test
  void healthAndAHeldChangeAreSaid() throws Exception {
    String page = StatusPage.render(board.snapshot(), Optional.of("the config watcher stopped"),
        List.of("a change of the routes file is held until 2026-11-30T12:01:00Z"));
    assertThat(page).contains("Unhealthy: the config watcher stopped", "held until 2026-11-30T12:01:00Z",
        "no valid routes file in force");
  }

  @Test
  void theLastHourCountsRepairsPerMinuteAndForgetsOlderOnes() {
    board.repaired(3);
    clock.now = clock.now.plus(Duration.ofMinutes(10));
    board.repaired(2);
    board.reconciledChanges(5);
    List<StatusBoard.Minute> minutes = board.snapshot().minutes();
    assertThat(minutes).hasSize(60);
    assertThat(minutes.get(59)).isEqualTo(new StatusBoard.Minute(Instant.parse("2026-11-30T12:10:00Z"), 2, 5));
    assertThat(minutes.get(49)).isEqualTo(new StatusBoard.Minute(Instant.parse("2026-11-30T12:00:00Z"), 3, 0));
    assertThat(StatusPage.render(board.snapshot(), Optional.empty(), List.of()))
        .contains("repaired after a deletion or change (5)", "put back by a full reconcile (5)");

    clock.now = clock.now.plus(Duration.ofMinutes(55));
    board.repaired(1);
    minutes = board.snapshot().minutes();
    assertThat(minutes.stream().mapToLong(StatusBoard.Minute::repaired).sum()).as("12:00 is over an hour ago").isEqualTo(3);
  }

  @Test
  void theEventsAreTheLastOnesNewestFirst() {
    for (int i = 0; i < StatusBoard.EVENTS + 5; i++) {
      board.event("event " + i, "resync");
    }
    String page = StatusPage.render(board.snapshot(), Optional.empty(), List.of());
    assertThat(page).contains("event " + (StatusBoard.EVENTS + 4)).doesNotContain("event 4<");
    assertThat(page.indexOf("event 34")).isLessThan(page.indexOf("event 33"));
  }
}
