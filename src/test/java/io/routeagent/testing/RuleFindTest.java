package io.routeagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.kernel.RequestOutcome;
import io.routeagent.kernel.RuleRequest;
import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.FibRules;
import io.routeagent.netlink.RuleMessage;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The fake kernel deletes the rule the kernel's fib_nl_delrule would: the first that matches the
 * attributes the request gives, whatever the others are; not the rule equal to the request.
 */
class RuleFindTest {
  private static final int OURS = 157;
  private static final int DHCP = 16;

  private final FakeKernel kernel = new FakeKernel();

  private static RuleMessage blackhole(IpPrefix from, OptionalInt mark, OptionalInt mask, long priority, int protocol) {
    return new RuleMessage(Family.INET, from, null, 0, FibRules.FR_ACT_BLACKHOLE, 0, null, null, mark, mask, priority,
        protocol, false);
  }

  private static RuleMessage blackhole(long priority, int protocol) {
    return blackhole(null, OptionalInt.empty(), OptionalInt.empty(), priority, protocol);
  }

  private RequestOutcome delete(RuleMessage request) {
    return kernel.execute(List.of(new RuleRequest(RuleRequest.Kind.DELETE, request))).get(0);
  }

  @Test
  void aDeleteWithoutASourceTakesTheFirstRuleWhateverItsSource() {
    RuleMessage fromSubnet = blackhole(IpPrefix.parse("10.1.0.0/16").prefix(), OptionalInt.empty(),
        OptionalInt.empty(), 100, OURS);
    RuleMessage plain = blackhole(100, OURS);
    kernel.withRules(fromSubnet);
    kernel.withRules(plain);

    assertThat(delete(plain)).isEqualTo(RequestOutcome.DONE);

    assertThat(kernel.rulesNow()).contains(plain).doesNotContain(fromSubnet);
  }

  @Test
  void aDeleteWithASourceTakesOnlyThatSource() {
    RuleMessage plain = blackhole(100, OURS);
    kernel.withRules(plain);

    RuleMessage request = blackhole(IpPrefix.parse("10.1.0.0/16").prefix(), OptionalInt.empty(), OptionalInt.empty(),
        100, OURS);
    assertThat(delete(request).errno()).isEqualTo(FakeKernel.errno("ENOENT"));
    assertThat(kernel.rulesNow()).contains(plain);
  }

  @Test
  void aDeleteWithoutPriorityTakesTheLowestPriorityFirst() {
    RuleMessage later = blackhole(200, OURS);
    RuleMessage earlier = blackhole(100, OURS);
    kernel.withRules(later);
    kernel.withRules(earlier);

    assertThat(delete(blackhole(0, OURS))).isEqualTo(RequestOutcome.DONE);

    assertThat(kernel.rulesNow()).contains(later).doesNotContain(earlier);
  }

  @Test
  void aMarkMatchesOnlyTheSameMask() {
    RuleMessage fullMask = blackhole(null, OptionalInt.of(0x10), OptionalInt.empty(), 100, DHCP);
    kernel.withRules(fullMask);

    RuleMessage request = blackhole(null, OptionalInt.of(0x10), OptionalInt.of(0xff), 100, 0);
    assertThat(delete(request).errno()).isEqualTo(FakeKernel.errno("ENOENT"));
    assertThat(delete(blackhole(null, OptionalInt.of(0x10), OptionalInt.of(-1), 100, 0)))
        .isEqualTo(RequestOutcome.DONE);
    assertThat(kernel.rulesNow()).doesNotContain(fullMask);
  }
}
