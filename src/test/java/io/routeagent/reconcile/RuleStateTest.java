package io.routeagent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RuleStateTest {
  @Test
  void aRuleHasOnlyTheStatesARuleCanHaveInTheWordsOfARoute() {
    assertThat(Arrays.stream(RuleState.values()).map(RuleState::label))
        .containsExactly("installed", "missing", "drifted", "refused", "failed")
        .isSubsetOf(Arrays.stream(RouteState.values()).map(RouteState::label).toList());
  }
}
