package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class JournalLayoutTest {
  @Test
  void theStreamMustBeStderrItself() {
    assertThat(JournalLayout.matches("8:123456", 8, 123456)).isTrue();
    assertThat(JournalLayout.matches("8:123456", 8, 123457)).isFalse();
    assertThat(JournalLayout.matches("8:123456", 9, 123456)).isFalse();
    assertThat(JournalLayout.stderrIsJournal(null)).isFalse();
    // This test's stderr is not a stream of that number.
    assertThat(JournalLayout.stderrIsJournal("1:1")).isFalse();
  }

  @Test
  void prioritiesAreSyslogs() {
    assertThat(JournalLayout.priority(Level.ERROR)).isEqualTo(3);
    assertThat(JournalLayout.priority(Level.WARN)).isEqualTo(4);
    assertThat(JournalLayout.priority(Level.INFO)).isEqualTo(6);
    assertThat(JournalLayout.priority(Level.DEBUG)).isEqualTo(7);
  }

  private static LoggingEvent event(Level level, String message, long epochMillis) {
    LoggingEvent event = new LoggingEvent();
    event.setLevel(level);
    event.setMessage(message);
    event.setTimeStamp(epochMillis);
    return event;
  }

  private static JournalLayout terminal() {
    JournalLayout layout = new JournalLayout();
    layout.setJournal(false);
    return layout;
  }

  @Test
  void aTerminalLineHasTheTimeInUtcToTheMillisecondAndTheLevelInFiveColumns() {
    JournalLayout layout = terminal();
    long t = Instant.parse("2026-11-24T22:48:10.007Z").toEpochMilli();

    assertThat(layout.doLayout(event(Level.INFO, "added to=10.0.0.0/16", t)))
        .isEqualTo("2026-11-24T22:48:10.007Z INFO  added to=10.0.0.0/16\n");
    assertThat(layout.doLayout(event(Level.WARN, "w", t + 993)))
        .isEqualTo("2026-11-24T22:48:11.000Z WARN  w\n");
    assertThat(layout.doLayout(event(Level.ERROR, "e", t - 8)))
        .isEqualTo("2026-11-24T22:48:09.999Z ERROR e\n");
  }

  @Test
  void aJournalLineHasThePriorityAndNoTime() {
    JournalLayout layout = new JournalLayout();
    layout.setJournal(true);
    assertThat(layout.doLayout(event(Level.WARN, "waiting route", 0))).isEqualTo("<4>waiting route\n");
  }

  /**
   * journald reads a priority prefix at the start of every line: a newline in the user's text
   * (reproduced: a dev value in a routes file) must not make a line, let alone an entry of priority 2.
   */
  @Test
  void aMessageIsOneLineWhateverTheUsersTextHolds() {
    JournalLayout journal = new JournalLayout();
    journal.setJournal(true);
    String users = "eth2\n<2>forged\u001b[2J\r\u202e\u2028\u0085";

    String line = journal.doLayout(event(Level.ERROR, "invalid config: interface name \"" + users + "\"", 0));

    assertThat(line).isEqualTo("<3>invalid config: interface name \"eth2\\n<2>forged\\x1b[2J\\r\\u202e\\u2028\\x85\"\n");
    assertThat(line.lines()).hasSize(1);
    assertThat(terminal().doLayout(event(Level.WARN, "w " + users, 0)))
        .isEqualTo("1970-01-01T00:00:00.000Z WARN  w eth2\\n<2>forged\\x1b[2J\\r\\u202e\\u2028\\x85\n");
  }

  @Test
  void anExceptionsMessageIsOneLineToo() {
    JournalLayout journal = new JournalLayout();
    journal.setJournal(true);
    LoggingEvent event = event(Level.WARN, "cannot read it", 0);
    event.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(
        new IllegalStateException("bad name a.yaml\n<2>forged")));

    assertThat(journal.doLayout(event))
        .isEqualTo("<4>cannot read it (java.lang.IllegalStateException: bad name a.yaml\\n<2>forged)\n");
  }

  /** Text escaped where it was quoted is not escaped twice; ordinary text is left as it is. */
  @Test
  void escapedAndOrdinaryTextIsLeftAsItIs() {
    JournalLayout journal = new JournalLayout();
    journal.setJournal(true);
    assertThat(journal.doLayout(event(Level.INFO, "added to=10.0.0.0/16 dev=\"eth2\\n<2>x\" C:\\path über", 0)))
        .isEqualTo("<6>added to=10.0.0.0/16 dev=\"eth2\\n<2>x\" C:\\path über\n");
  }

  @Property(tries = 500)
  void theTimeIsWhatDateTimeFormatterSays(@ForAll @LongRange(min = -62_000_000_000_000L, max = 253_000_000_000_000L) long millis) {
    // Lines in and out of order, on one layout: the second it remembers must never leak.
    JournalLayout layout = terminal();
    layout.doLayout(event(Level.INFO, "before", millis + 1_000));
    String expected = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
        .format(Instant.ofEpochMilli(millis));
    assertThat(layout.doLayout(event(Level.DEBUG, "m", millis))).isEqualTo(expected + " DEBUG m\n");
  }
}
