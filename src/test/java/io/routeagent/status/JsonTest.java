package io.routeagent.status;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A string of status --json: valid JSON that decodes to the text as it is (JSON's escapes, not the
 * log's: nothing escaped twice), with no character a terminal acts on.
 */
class JsonTest {
  @Test
  void controlsBidiAndLineSeparatorsAreJsonEscapes() {
    assertThat(Json.string("eth2\n<2>forged\u001b[2J\u007f\u0085\u202e\u2028\t\"\\x"))
        .isEqualTo("\"eth2\\n<2>forged\\u001b[2J\\u007f\\u0085\\u202e\\u2028\\t\\\"\\\\x\"");
    assertThat(Json.string("routes.yaml:3:5: dev \"eth2\\nx\"")).isEqualTo("\"routes.yaml:3:5: dev \\\"eth2\\\\nx\\\"\"");
  }

  /** JSON is YAML 1.2: a YAML parser reads the literal back. */
  @Property(tries = 1000)
  void aParserReadsTheTextBack(@ForAll String text) {
    String literal = Json.string(text);
    assertThat(literal.chars().noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c >= 0x2028 && c <= 0x202e
        || c >= 0x2066 && c <= 0x2069)).as(literal).isTrue();
    assertThat(new Load(LoadSettings.builder().build()).loadFromString(literal)).isEqualTo(text);
  }
}
