package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigProblemTest {
  private static final Location AT = new Location("r.yaml", 3, 7);

  @Test
  void formats() {
    assertThat(new ConfigProblem(AT, "bad value", "Fix it."))
        .hasToString("r.yaml:3:7: bad value. Fix it.");
    assertThat(new ConfigProblem(AT, "bad value", null)).hasToString("r.yaml:3:7: bad value");
    assertThat(new ConfigProblem(AT, "did you mean x?", "Do."))
        .hasToString("r.yaml:3:7: did you mean x? Do.");
    assertThat(ConfigProblem.ofFile("r.yaml", "missing", null)).hasToString("r.yaml: missing");
  }

  @Test
  void theLocationMustBeInTheFile() {
    assertThatThrownBy(() -> new ConfigProblem("other.yaml", AT, "m", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theExceptionListsEveryProblem() {
    ConfigException e =
        new ConfigException(
            List.of(
                new ConfigProblem(AT, "one", null), ConfigProblem.ofFile("r.yaml", "two", "Hint.")),
            3);
    assertThat(e.getMessage())
        .isEqualTo("r.yaml:3:7: one\nr.yaml: two. Hint.\n(3 more problems not shown)");
    assertThat(e.omitted()).isEqualTo(3);
    assertThatThrownBy(() -> new ConfigException(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
