package io.routeagent.reconcile;

import static io.routeagent.reconcile.RuleReconcileTest.rules;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.DesiredConfig;
import io.routeagent.kernel.RuleRequest;
import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.FibRules;
import io.routeagent.netlink.RuleMessage;
import io.routeagent.state.RuleRecordFile;
import io.routeagent.testing.FakeKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules on a kernel before 4.17 (the fake kernel drops FRA_PROTOCOL): ownership comes from the
 * record of owned rules, so pruning and adoption work as on a current kernel.
 */
class RuleFallbackTest {
  static final int PROTO = 157;
  static final String RULE_1000 = "from 172.31.64.0/20 lookup 100 priority 1000";
  static final String RULE_900 = "to 10.9.0.0/16 prohibit priority 900";

  @TempDir Path state;
  final FakeKernel kernel = new FakeKernel().withoutRuleProtocol();
  final List<String> warnings = new ArrayList<>();

  RuleRecordFile recordFile() {
    return new RuleRecordFile(state.resolve("net.owned-rules"), warnings::add);
  }

  /** A fresh reconciler, as a new process would make: it knows only what the file says. */
  Reconciler reconciler() {
    return new Reconciler(kernel, new Planner(PROTO), recordFile());
  }

  static RuleMessage unmarked(String from, long table, long priority) {
    return new RuleMessage(Family.INET, IpPrefix.parse(from).prefix(), null, table, FibRules.FR_ACT_TO_TBL, 0,
        null, null, OptionalInt.empty(), OptionalInt.empty(), priority, OptionalInt.empty(), false);
  }

  @Test
  void addedRulesAreRecordedAndASecondRunChangesNothing() throws Exception {
    DesiredConfig desired = rules(RULE_1000, RULE_900);
    Plan first = reconciler().plan(desired);
    assertThat(first.rules().lacksProtocol()).isTrue();
    assertThat(reconciler().apply(desired).failed()).isFalse();
    assertThat(recordFile().load().rules()).extracting(r -> r.key().priority()).containsExactlyInAnyOrder(1000L, 900L);

    kernel.forgetRequests();
    Plan again = reconciler().plan(desired);
    assertThat(again.inSync()).isTrue();
    assertThat(again.rules().statuses()).extracting(RuleStatus::state)
        .containsExactly(RuleState.INSTALLED, RuleState.INSTALLED);
    reconciler().apply(desired);
    assertThat(kernel.ruleRequests()).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void aRuleDroppedFromTheFileIsPrunedAndForgotten() throws Exception {
    reconciler().apply(rules(RULE_1000, RULE_900));
    ApplyResult result = reconciler().apply(rules(RULE_900));
    assertThat(result.ruleResults()).singleElement().satisfies(r -> {
      assertThat(r.change().op()).isEqualTo(Change.Op.DELETE);
      assertThat(r.change().description()).isEqualTo(RULE_1000);
      assertThat(r.change().reason()).isEqualTo("no longer in the routes file");
    });
    assertThat(kernel.rulesNow()).extracting(RuleMessage::priority).doesNotContain(1000L).contains(900L);
    assertThat(recordFile().load().rules()).extracting(r -> r.key().priority()).containsExactly(900L);
  }

  @Test
  void foreignKernelAndUnrecordedRulesAreNeverTouched() throws Exception {
    RuleMessage foreign = unmarked("10.50.0.0/16", 100, 2000);
    RuleMessage ec2NetUtils = unmarked("172.31.80.0/20", 10001, 10001);
    kernel.withRules(foreign, ec2NetUtils);
    List<RuleMessage> before = List.copyOf(kernel.rulesNow());
    reconciler().apply(rules(RULE_1000));
    reconciler().apply(new DesiredConfig(List.of(), List.of(), List.of()));
    assertThat(kernel.rulesNow()).containsExactlyInAnyOrderElementsOf(before);
    assertThat(kernel.ruleRequests()).extracting(RuleRequest::kind)
        .containsExactly(RuleRequest.Kind.ADD, RuleRequest.Kind.DELETE);
    assertThat(recordFile().load().isEmpty()).isTrue();
  }

  @Test
  void aRecordNeverClaimsEc2NetUtilsPrioritiesOrTheKernelsRules() throws Exception {
    RuleMessage ec2NetUtils = unmarked("172.31.80.0/20", 10001, 10001);
    kernel.withRules(ec2NetUtils);
    List<RuleIdentity> claimed = new ArrayList<>();
    kernel.rulesNow().forEach(r -> claimed.add(RuleIdentity.of(r)));
    recordFile().save(OwnedRules.of(claimed));
    List<RuleMessage> before = List.copyOf(kernel.rulesNow());
    reconciler().apply(new DesiredConfig(List.of(), List.of(), List.of()));
    assertThat(kernel.rulesNow()).containsExactlyInAnyOrderElementsOf(before);
    assertThat(kernel.ruleRequests()).isEmpty();
  }

  @Test
  void anUnrecordedRuleWithTheDesiredIdentityIsAdoptedThenRecorded() throws Exception {
    kernel.withRules(unmarked("172.31.64.0/20", 100, 1000)); // `ip rule add` by hand, as the file says
    Plan plan = reconciler().plan(rules(RULE_1000));
    assertThat(plan.rules().statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RuleState.DRIFTED);
      assertThat(s.reason()).isEqualTo("kernel has not in the record of owned rules, lookup 100");
    });
    reconciler().apply(rules(RULE_1000));
    assertThat(kernel.ruleRequests()).extracting(RuleRequest::kind)
        .containsExactly(RuleRequest.Kind.DELETE, RuleRequest.Kind.ADD);
    assertThat(reconciler().plan(rules(RULE_1000)).inSync()).isTrue();
    // Adopted: now ours, so pruned when dropped.
    reconciler().apply(new DesiredConfig(List.of(), List.of(), List.of()));
    assertThat(kernel.rulesNow()).extracting(RuleMessage::priority).doesNotContain(1000L);
  }

  @Test
  void aRecordedRuleThatNoLongerExistsIsForgottenAndAForeignOneLaterInItsPlaceIsNotPruned() throws Exception {
    reconciler().apply(rules(RULE_1000));
    kernel.withoutRules(r -> r.priority() == 1000); // gone, e.g. by networkd
    reconciler().apply(rules(RULE_900));
    assertThat(recordFile().load().rules()).extracting(r -> r.key().priority()).containsExactly(900L);
    // Someone else installs the very rule: it is theirs, and stays.
    kernel.withRules(unmarked("172.31.64.0/20", 100, 1000));
    reconciler().apply(rules(RULE_900));
    assertThat(kernel.rulesNow()).extracting(RuleMessage::priority).contains(1000L);
  }

  @Test
  void aFailedAddIsNotRecorded() throws Exception {
    kernel.failNext("EINVAL");
    assertThat(reconciler().apply(rules(RULE_1000)).failed()).isTrue();
    assertThat(Files.exists(recordFile().path())).isFalse();
  }

  @Test
  void aCorruptRecordIsIgnoredWithAWarningSoNothingIsPrunedOnItsWord() throws Exception {
    reconciler().apply(rules(RULE_1000));
    Files.writeString(recordFile().path(), "garbage\n");
    ApplyResult result = reconciler().apply(new DesiredConfig(List.of(), List.of(), List.of()));
    assertThat(result.ruleResults()).isEmpty();
    assertThat(kernel.rulesNow()).extracting(RuleMessage::priority).contains(1000L);
    assertThat(warnings).singleElement().asString().contains("is corrupt").contains("line 1");
  }

  @Test
  void anUnwritableStateDirectoryDoesNotStopPlanning() throws Exception {
    RuleRecordFile nowhere = new RuleRecordFile(Path.of("/proc/route-agent-test/net.owned-rules"), warnings::add);
    Reconciler readOnly = new Reconciler(kernel, new Planner(PROTO), nowhere);
    assertThat(readOnly.plan(rules(RULE_1000)).rules().changes()).hasSize(1);
    assertThat(warnings).isEmpty();
    // An apply still converges; the record is kept in memory and the failed write is a warning.
    assertThat(readOnly.apply(rules(RULE_1000)).failed()).isFalse();
    assertThat(readOnly.plan(rules(RULE_1000)).inSync()).isTrue();
    assertThat(warnings).singleElement().asString().startsWith("cannot write the record of owned rules");
  }

  @Test
  void onACurrentKernelTheRecordIsNeitherReadNorWritten() throws Exception {
    FakeKernel current = new FakeKernel();
    Files.writeString(recordFile().path(), "garbage\n");
    Reconciler reconciler = new Reconciler(current, new Planner(PROTO), recordFile());
    assertThat(reconciler.plan(rules(RULE_1000)).rules().lacksProtocol()).isFalse();
    reconciler.apply(rules(RULE_1000));
    assertThat(Files.readString(recordFile().path())).isEqualTo("garbage\n");
    assertThat(warnings).isEmpty();
  }
}
