package io.routeagent.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.FibRules;
import io.routeagent.reconcile.OwnedRules;
import io.routeagent.reconcile.RuleIdentity;
import io.routeagent.reconcile.RuleKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of owned rules on disk (its text is {@code reconcile.OwnedRulesTest}'s). */
class RuleRecordFileTest {
  static IpPrefix prefix(String text) {
    return IpPrefix.parse(text).prefix();
  }

  static final RuleIdentity FROM_SUBNET = new RuleIdentity(
      new RuleKey(Family.INET, 1000, prefix("172.31.64.0/20"), null, null, null, 0, 0), 100, FibRules.FR_ACT_TO_TBL);
  static final RuleIdentity EVERYTHING = new RuleIdentity(
      new RuleKey(Family.INET6, 0xfffffff0L, prefix("2001:db8::/32"), prefix("2001:db8:1::1/128"), "eth2", "eth0",
          0x80000010, -1), 0xfffffff0L, FibRules.FR_ACT_PROHIBIT);

  @Test
  void theFileIsReplacedWholeAndLeavesNoTemporaryBehind(@TempDir Path dir) throws Exception {
    RuleRecordFile file = new RuleRecordFile(dir.resolve("sub/net-1.owned-rules"), w -> {
      throw new AssertionError(w);
    });
    assertThat(file.load()).isEqualTo(OwnedRules.EMPTY);
    file.save(OwnedRules.of(List.of(FROM_SUBNET, EVERYTHING)));
    file.save(OwnedRules.of(List.of(FROM_SUBNET)));
    assertThat(file.load()).isEqualTo(OwnedRules.of(List.of(FROM_SUBNET)));
    try (var listing = Files.list(dir.resolve("sub"))) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("net-1.owned-rules");
    }
  }

  @Test
  void theRecordIsNamedAfterTheNetworkNamespace(@TempDir Path dir) {
    assertThat(RuleRecordFile.inDirectory(dir, "net-4026531840", w -> {}).path())
        .isEqualTo(dir.resolve("net-4026531840.owned-rules"));
  }
}
