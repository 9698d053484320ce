package io.routeagent.reconcile;

import io.routeagent.testing.FakeKernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.ConfigException;
import io.routeagent.config.ConfigLoader;
import io.routeagent.config.DesiredConfig;
import io.routeagent.config.TableNames;
import io.routeagent.kernel.KernelException;
import io.routeagent.kernel.RuleRequest;
import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.FibRules;
import io.routeagent.netlink.RuleMessage;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Rules planned and applied against the fake kernel: owned, adopted, pruned, restored. */
class RuleReconcileTest {
  static final int PROTO = 157;
  final FakeKernel kernel = new FakeKernel();
  final Reconciler reconciler = new Reconciler(kernel, new Planner(PROTO));

  static DesiredConfig rules(String... rules) throws ConfigException {
    StringBuilder yaml = new StringBuilder("routes: []\nrules:\n");
    for (String rule : rules) {
      yaml.append("  - \"").append(rule).append("\"\n");
    }
    return new ConfigLoader(TableNames.of(Map.of())).parse("routes.yaml", yaml.toString());
  }

  static RuleMessage rule(String from, long table, long priority, int protocol) {
    return new RuleMessage(Family.INET, IpPrefix.parse(from).prefix(), null, table, FibRules.FR_ACT_TO_TBL, 0,
        null, null, OptionalInt.empty(), OptionalInt.empty(), priority, protocol, false);
  }

  @Test
  void aMissingRuleIsAddedWithOurProtocolAndASecondApplyChangesNothing() throws Exception {
    DesiredConfig desired = rules("from 172.31.64.0/20 lookup 100 priority 1000");
    Plan plan = reconciler.plan(desired);
    assertThat(plan.rules().changes()).singleElement().satisfies(c -> {
      assertThat(c.op()).isEqualTo(Change.Op.ADD);
      assertThat(c.rule().protocol()).hasValue(PROTO);
      assertThat(c.description()).isEqualTo("from 172.31.64.0/20 lookup 100 priority 1000");
    });
    ApplyResult result = reconciler.apply(desired);
    assertThat(result.failed()).isFalse();
    assertThat(result.ruleStatuses()).extracting(RuleStatus::state).containsExactly(RuleState.INSTALLED);
    assertThat(kernel.rulesNow()).contains(rule("172.31.64.0/20", 100, 1000, PROTO));
    assertThat(reconciler.plan(desired).inSync()).isTrue();
  }

  @Test
  void aForeignRuleWithTheKeyIsDeletedThenOursAdded() throws Exception {
    RuleMessage foreign = rule("172.31.64.0/20", 200, 1000, 0);
    kernel.withRules(foreign);
    Plan plan = reconciler.plan(rules("from 172.31.64.0/20 lookup 100 priority 1000"));
    assertThat(plan.rules().statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RuleState.DRIFTED);
      assertThat(s.reason()).isEqualTo("kernel has proto unspec, lookup 200");
    });
    assertThat(plan.rules().changes()).singleElement().satisfies(c -> assertThat(c.op()).isEqualTo(Change.Op.REPLACE));

    reconciler.apply(rules("from 172.31.64.0/20 lookup 100 priority 1000"));
    assertThat(kernel.ruleRequests()).extracting(RuleRequest::kind)
        .containsExactly(RuleRequest.Kind.DELETE, RuleRequest.Kind.ADD);
    assertThat(kernel.ruleRequests().get(0).rule()).isEqualTo(foreign);
    assertThat(kernel.rulesNow()).doesNotContain(foreign).contains(rule("172.31.64.0/20", 100, 1000, PROTO));
  }

  @Test
  void aChangedTableReplacesOurRule() throws Exception {
    reconciler.apply(rules("from 172.31.64.0/20 lookup 100 priority 1000"));
    reconciler.apply(rules("from 172.31.64.0/20 lookup 101 priority 1000"));
    assertThat(kernel.rulesNow()).contains(rule("172.31.64.0/20", 101, 1000, PROTO))
        .doesNotContain(rule("172.31.64.0/20", 100, 1000, PROTO));
  }

  @Test
  void anExactRuleNextToAForeignOneWithTheKeyStaysAndTheOtherGoes() throws Exception {
    RuleMessage ours = rule("172.31.64.0/20", 100, 1000, PROTO);
    RuleMessage foreign = rule("172.31.64.0/20", 7, 1000, 0);
    kernel.withRules(ours, foreign);
    ApplyResult result = reconciler.apply(rules("from 172.31.64.0/20 lookup 100 priority 1000"));
    assertThat(result.failed()).isFalse();
    assertThat(kernel.ruleRequests()).singleElement().satisfies(r -> {
      assertThat(r.kind()).isEqualTo(RuleRequest.Kind.DELETE);
      assertThat(r.rule()).isEqualTo(foreign);
    });
    assertThat(kernel.rulesNow()).contains(ours).doesNotContain(foreign);
  }

  @Test
  void onlyOwnedRulesArePrunedAndKernelAndForeignRulesAreNeverTouched() throws Exception {
    RuleMessage foreign = rule("10.50.0.0/16", 100, 2000, 0);
    RuleMessage foreignStatic = rule("10.51.0.0/16", 100, 2001, 4);
    RuleMessage oursButUnjudged = new RuleMessage(Family.INET, null, null, 100, FibRules.FR_ACT_TO_TBL, 0, null,
        null, OptionalInt.empty(), OptionalInt.empty(), 2002, PROTO, true);
    kernel.withRules(foreign, foreignStatic, oursButUnjudged);
    reconciler.apply(rules("from 172.31.64.0/20 lookup 100 priority 1000", "to 10.9.0.0/16 prohibit priority 900"));
    List<RuleMessage> before = List.copyOf(kernel.rulesNow());

    ApplyResult result = reconciler.apply(rules("to 10.9.0.0/16 prohibit priority 900"));
    assertThat(result.ruleResults()).singleElement().satisfies(r -> {
      assertThat(r.change().op()).isEqualTo(Change.Op.DELETE);
      assertThat(r.change().description()).isEqualTo("from 172.31.64.0/20 lookup 100 priority 1000");
      assertThat(r.change().rule().protocol()).as("delete only ours").hasValue(PROTO);
    });
    assertThat(kernel.rulesNow()).containsAll(before.stream().filter(r -> r.priority() != 1000).toList())
        .doesNotContain(rule("172.31.64.0/20", 100, 1000, PROTO));
    assertThat(kernel.rulesNow()).extracting(RuleMessage::priority).contains(0L, 32766L, 32767L);

    reconciler.apply(new DesiredConfig(List.of(), List.of(), List.of()));
    assertThat(kernel.rulesNow()).containsExactlyInAnyOrderElementsOf(
        before.stream().filter(r -> r.priority() != 1000 && r.priority() != 900).toList());
  }

  @Test
  void aRuleDeletedByHandIsRestored() throws Exception {
    DesiredConfig desired = rules("from 172.31.64.0/20 lookup 100 priority 1000");
    reconciler.apply(desired);
    kernel.withoutRules(r -> r.priority() == 1000);
    assertThat(reconciler.plan(desired).rules().statuses()).extracting(RuleStatus::state)
        .containsExactly(RuleState.MISSING);
    reconciler.apply(desired);
    assertThat(kernel.rulesNow()).contains(rule("172.31.64.0/20", 100, 1000, PROTO));
  }

  @Test
  void aRefusedRuleFailsWithItsErrnoAndTheRuleAndConvergesNextTime() throws Exception {
    DesiredConfig desired = rules("from 172.31.64.0/20 lookup 100 priority 1000");
    kernel.failNext("EINVAL");
    ApplyResult failed = reconciler.apply(desired);
    assertThat(failed.failed()).isTrue();
    assertThat(failed.ruleStatuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RuleState.FAILED);
      assertThat(s.reason()).startsWith("EINVAL adding rule from 172.31.64.0/20 lookup 100 priority 1000: ")
          .endsWith("(kernel: injected)");
    });
    assertThat(reconciler.apply(desired).failed()).isFalse();
    assertThat(reconciler.plan(desired).inSync()).isTrue();
  }

  @Test
  void aMarkWithoutMaskMatchesTheKernelsFullMask() throws KernelException, ConfigException {
    kernel.withRules(new RuleMessage(Family.INET, null, null, 100, FibRules.FR_ACT_TO_TBL, 0, null, null,
        OptionalInt.of(7), OptionalInt.of(-1), 500, PROTO, false));
    assertThat(reconciler.plan(rules("fwmark 7 lookup 100 priority 500")).inSync()).isTrue();
  }
}
