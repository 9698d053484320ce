package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * User text (a token of the routes file, a drop-in's name) can never start a line of its own in a
 * message, nor carry a terminal escape or a bidirectional override: it is shown escaped.
 */
class PrintableTest {
  @Test
  void controlCharactersAreShownAsEscapes() {
    assertThat(Printable.escape("eth2\n<2>sshd[1]: FORGED\u001b[2J"))
        .isEqualTo("eth2\\n<2>sshd[1]: FORGED\\x1b[2J");
    assertThat(Printable.escape("a\rb\tc\u0000d\u007fe\u0085f\u009bg"))
        .isEqualTo("a\\rb\\tc\\x00d\\x7fe\\x85f\\x9bg");
    assertThat(Printable.escape("x\u2028y\u2029z\u202ea\u202ab\u2066c\u2069d"))
        .isEqualTo("x\\u2028y\\u2029z\\u202ea\\u202ab\\u2066c\\u2069d");
  }

  @Test
  void ordinaryTextIsTheSameString() {
    for (String text : new String[] {"", "eth2", "10.0.0.0/16 via 172.31.64.1", "a \\n b", "über “quoted” 🛣", "\u00a0\u00ff\u200f\u2030\u2065\u206a"}) {
      assertThat(Printable.escape(text)).isSameAs(text);
    }
  }

  @Property(tries = 2000)
  void anEscapedTextHoldsNoControlAndEscapingTwiceChangesNothing(@ForAll String text) {
    String escaped = Printable.escape(text);
    assertThat(escaped.chars().noneMatch(c -> Printable.needsEscape((char) c))).as(escaped).isTrue();
    assertThat(escaped.lines().count()).isLessThanOrEqualTo(1);
    assertThat(Printable.escape(escaped)).isSameAs(escaped);
  }

  @Test
  void aQuotedTokenIsEscapedAndCutBeforeEscaping() {
    assertThat(Quoted.of("eth2\n<2>forged\u001b[2J")).isEqualTo("\"eth2\\n<2>forged\\x1b[2J\"");
    assertThat(Quoted.of("eth2")).isEqualTo("\"eth2\"");
    String longToken = "\n".repeat(Quoted.MAX + 6);
    assertThat(Quoted.of(longToken))
        .isEqualTo("\"" + "\\n".repeat(Quoted.MAX) + "…\" (" + (Quoted.MAX + 6) + " characters)");
    assertThat(Quoted.cut("a\u202eb")).isEqualTo("a\\u202eb");
    assertThat(Quoted.cut("x".repeat(Quoted.MAX - 1) + "\u001b[2J")).isEqualTo("x".repeat(Quoted.MAX - 1) + "\\x1b…");
  }
}
