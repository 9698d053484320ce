package io.routeagent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routeagent.net.Family;
import io.routeagent.net.IpPrefix;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RuleMessageTest {
  private static List<RuleMessage> decodeAll(ByteBuffer datagram, List<byte[]> payloads) {
    List<RuleMessage> rules = new ArrayList<>();
    MessageCursor m = new MessageCursor(datagram, datagram.capacity());
    while (m.next()) {
      if (m.type() == Rtnetlink.RTM_NEWRULE) {
        rules.add(RuleMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()));
        payloads.add(Dumps.slice(m.buffer(), m.payloadOffset(), m.payloadLength()));
      }
    }
    return rules;
  }

  private static IpPrefix prefix(String text) {
    return IpPrefix.parse(text).prefix();
  }

  @Test
  void decodesTheRulesOfARealIpv4Dump() {
    List<RuleMessage> rules = decodeAll(Dumps.load("rule4.hex"), new ArrayList<>());
    assertThat(rules).extracting(RuleMessage::priority).containsExactly(0L, 1000L, 1001L, 1002L, 32766L, 32767L);
    assertThat(rules).extracting(RuleMessage::table).containsExactly(255L, 100L, 0L, 200L, 254L, 253L);
    assertThat(rules).extracting(RuleMessage::protocolOrUnspec).containsExactly(2, 157, 0, 0, 2, 2);
    assertThat(rules).allMatch(r -> r.protocol().isPresent(), "every rule carries FRA_PROTOCOL on 6.18");
    assertThat(rules).noneMatch(RuleMessage::otherSelectors);

    assertThat(rules.get(1)).isEqualTo(new RuleMessage(Family.INET, prefix("172.31.64.0/20"), null, 100,
        FibRules.FR_ACT_TO_TBL, 0, null, null, OptionalInt.empty(), OptionalInt.empty(), 1000, 157, false));
    assertThat(rules.get(2)).isEqualTo(new RuleMessage(Family.INET, null, prefix("10.9.0.0/16"), 0,
        FibRules.FR_ACT_PROHIBIT, 0, "eth2", null, OptionalInt.empty(), OptionalInt.empty(), 1001, 0, false));
    assertThat(rules.get(3)).isEqualTo(new RuleMessage(Family.INET, null, null, 200, FibRules.FR_ACT_TO_TBL, 0,
        null, "eth0", OptionalInt.of(0x10), OptionalInt.of(0xff), 1002, 0, false));
  }

  @Test
  void decodesTheRulesOfARealIpv6Dump() {
    List<RuleMessage> rules = decodeAll(Dumps.load("rule6.hex"), new ArrayList<>());
    assertThat(rules).extracting(RuleMessage::priority).containsExactly(0L, 1000L, 32766L);
    assertThat(rules.get(1).source()).isEqualTo(prefix("2001:db8::/32"));
    assertThat(rules.get(1).family()).isEqualTo(Family.INET6);
    assertThat(rules.get(1).protocol()).hasValue(157);
  }

  /**
   * The kernel always reports FRA_SUPPRESS_PREFIXLEN (-1, unset), which the agent never sends;
   * apart from it, each rule encodes to the very bytes the kernel dumped.
   */
  @Test
  void encodesEachDumpedRuleToTheKernelsBytes() {
    for (String dump : List.of("rule4.hex", "rule6.hex")) {
      List<byte[]> payloads = new ArrayList<>();
      List<RuleMessage> rules = decodeAll(Dumps.load(dump), payloads);
      for (int i = 0; i < rules.size(); i++) {
        MessageBuilder b = new MessageBuilder(128);
        rules.get(i).encode(b, Rtnetlink.RTM_NEWRULE, Netlink.NLM_F_REQUEST, 1);
        byte[] encoded = b.toByteArray();
        byte[] body = java.util.Arrays.copyOfRange(encoded, Netlink.NLMSG_HDRLEN, encoded.length);
        String suppress = "08000e00ffffffff";
        assertThat(Dumps.hex(body)).as("%s rule %d", dump, i)
            .isEqualTo(Dumps.hex(payloads.get(i)).replace(suppress, ""));
      }
    }
  }

  @Test
  void encodesAnAddAsTheHeadersLayItOut() {
    RuleMessage rule = new RuleMessage(Family.INET, prefix("172.31.64.0/20"), null, 100, FibRules.FR_ACT_TO_TBL,
        0, "eth2", null, OptionalInt.empty(), OptionalInt.empty(), 1000, 157, false);
    MessageBuilder b = new MessageBuilder(64);
    rule.encode(b, Rtnetlink.RTM_NEWRULE,
        Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, 9);
    String expected =
        // nlmsghdr: len 72, RTM_NEWRULE 32, REQUEST|ACK|EXCL|CREATE 0x605, seq 9, pid 0
        "48000000" + "2000" + "0506" + "09000000" + "00000000"
        // fib_rule_hdr: AF_INET, dst_len 0, src_len 20, tos 0, table 100, res1, res2, FR_ACT_TO_TBL; flags 0
        + "02001400" + "64000001" + "00000000"
        // FRA_TABLE 100, FRA_PROTOCOL 157 (u8, padded), FRA_IIFNAME "eth2\0" (padded), FRA_PRIORITY 1000
        + "08000f00" + "64000000" + "05001500" + "9d000000" + "09000300" + "6574683200000000"
        + "08000600" + "e8030000"
        // FRA_SRC 172.31.64.0
        + "08000200" + "ac1f4000";
    assertThat(Dumps.hex(b.toByteArray())).isEqualTo(expected);
  }

  @Test
  void aTableAbove255GoesInFraTableOnly() {
    RuleMessage rule = new RuleMessage(Family.INET6, null, null, 70000, FibRules.FR_ACT_TO_TBL, 0, null, null,
        OptionalInt.empty(), OptionalInt.empty(), 5, 157, false);
    MessageBuilder b = new MessageBuilder(64);
    rule.encode(b, Rtnetlink.RTM_NEWRULE, Netlink.NLM_F_REQUEST, 1);
    ByteBuffer out = ByteBuffer.wrap(b.toByteArray()).order(java.nio.ByteOrder.nativeOrder());
    assertThat(out.get(Netlink.NLMSG_HDRLEN + 4)).isZero();
    assertThat(RuleMessage.decode(out, Netlink.NLMSG_HDRLEN, out.capacity() - Netlink.NLMSG_HDRLEN))
        .isEqualTo(rule);
  }

  @Test
  void marksRulesWithSelectorsItDoesNotCarry() {
    // fib_rule_hdr with tos 4, then FRA_UID_RANGE; and one with FIB_RULE_INVERT
    ByteBuffer tos = Dumps.hex("02000004" + "fe000001" + "00000000");
    assertThat(RuleMessage.decode(tos, 0, 12).otherSelectors()).isTrue();
    ByteBuffer uid = Dumps.hex("02000000" + "fe000001" + "00000000" + "0c001400" + "0000000010000000");
    assertThat(RuleMessage.decode(uid, 0, 24).otherSelectors()).isTrue();
    ByteBuffer not = Dumps.hex("02000000" + "fe000001" + HexFormat.of().formatHex(
        ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(FibRules.FIB_RULE_INVERT).array()));
    assertThat(RuleMessage.decode(not, 0, 12).otherSelectors()).isTrue();
  }

  @Test
  void refusesTruncatedOrInconsistentMessages() {
    assertThatThrownBy(() -> RuleMessage.decode(Dumps.hex("0200"), 0, 2))
        .isInstanceOf(MalformedMessageException.class);
    // src_len 20 without FRA_SRC
    assertThatThrownBy(() -> RuleMessage.decode(Dumps.hex("02001400" + "64000001" + "00000000"), 0, 12))
        .isInstanceOf(MalformedMessageException.class).hasMessageContaining("FRA_SRC");
    // an attribute longer than the message
    assertThatThrownBy(() -> RuleMessage.decode(Dumps.hex("02000000" + "64000001" + "00000000" + "0c000600"), 0, 16))
        .isInstanceOf(MalformedMessageException.class);
  }
}
