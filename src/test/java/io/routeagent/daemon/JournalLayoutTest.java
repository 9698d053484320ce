package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
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
}
