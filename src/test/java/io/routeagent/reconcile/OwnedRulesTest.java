package io.routeagent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.FibRules;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnedRulesTest {
  static IpPrefix prefix(String text) {
    return IpPrefix.parse(text).prefix();
  }

  static final RuleIdentity FROM_SUBNET = new RuleIdentity(
      new RuleKey(Family.INET, 1000, prefix("172.31.64.0/20"), null, null, null, 0, 0), 100, FibRules.FR_ACT_TO_TBL);
  static final RuleIdentity EVERYTHING = new RuleIdentity(
      new RuleKey(Family.INET6, 0xfffffff0L, prefix("2001:db8::/32"), prefix("2001:db8:1::1/128"), "eth2", "eth0",
          0x80000010, -1), 0xfffffff0L, FibRules.FR_ACT_PROHIBIT);

  @Test
  void formatsOneSortedLineARuleAndParsesBack() {
    OwnedRules rules = OwnedRules.of(List.of(FROM_SUBNET, EVERYTHING));
    assertThat(rules.format()).isEqualTo("""
        route-agent owned rules 1
        inet priority=1000 from=172.31.64.0/20 to= iif= oif= fwmark=0x0 fwmask=0x0 table=100 action=1
        inet6 priority=4294967280 from=2001:db8::/32 to=2001:db8:1::1/128 iif=eth2 oif=eth0 fwmark=0x80000010\
         fwmask=0xffffffff table=4294967280 action=8
        """);
    assertThat(OwnedRules.parse(rules.format())).isEqualTo(rules);
    assertThat(OwnedRules.parse(OwnedRules.EMPTY.format())).isEqualTo(OwnedRules.EMPTY);
  }

  @Test
  void aDamagedRecordIsRefusedWithItsLine() {
    String good = OwnedRules.of(List.of(FROM_SUBNET)).format();
    assertThatThrownBy(() -> OwnedRules.parse("")).hasMessageContaining("line 1");
    assertThatThrownBy(() -> OwnedRules.parse(good.substring(0, good.length() - 10)))
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> OwnedRules.parse(good.substring(0, good.length() - 1)))
        .hasMessageContaining("cut short");
    assertThatThrownBy(() -> OwnedRules.parse(good.replace("from=172.31.64.0/20", "from=2001:db8::/32")))
        .hasMessageContaining("line 2").hasMessageContaining("not a prefix of the rule's family");
    assertThatThrownBy(() -> OwnedRules.parse(good.replace("table=100", "table=x")))
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> OwnedRules.parse(good.replace("route-agent owned rules 1", "route-agent owned rules 2")))
        .hasMessageContaining("line 1");
  }
}
