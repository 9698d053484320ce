package io.routeagent.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.reconcile.RulePlanner;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Telling a kernel that keeps FRA_PROTOCOL (4.17 and later) from one that does not, from a rule
 * dump alone. The pre-4.17 dumps are the real 6.18 ones with every FRA_PROTOCOL attribute cut out,
 * byte for byte, as fib_nl_fill_rule before 4.17 wrote them.
 */
class RuleProtocolSupportTest {
  /** The datagram with each message's FRA_PROTOCOL attribute removed and nlmsg_len fixed. */
  static ByteBuffer withoutProtocol(ByteBuffer datagram) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int offset = 0;
    while (offset + Netlink.NLMSG_HDRLEN <= datagram.capacity()) {
      int length = datagram.getInt(offset);
      int type = Short.toUnsignedInt(datagram.getShort(offset + 4));
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      int bodyStart = offset + Netlink.NLMSG_HDRLEN;
      int attributes = type == Rtnetlink.RTM_NEWRULE ? bodyStart + FibRules.FIB_RULE_HDR_SIZE : offset + length;
      message.writeBytes(Dumps.slice(datagram, bodyStart, attributes - bodyStart));
      int a = attributes;
      while (a + 4 <= offset + length) {
        int attrLength = Short.toUnsignedInt(datagram.getShort(a));
        int attrType = Short.toUnsignedInt(datagram.getShort(a + 2)) & 0x3fff;
        int aligned = (attrLength + 3) & ~3;
        if (attrType != FibRules.FRA_PROTOCOL) {
          message.writeBytes(Dumps.slice(datagram, a, Math.min(aligned, offset + length - a)));
        }
        a += aligned;
      }
      ByteBuffer header = ByteBuffer.allocate(Netlink.NLMSG_HDRLEN).order(ByteOrder.nativeOrder());
      header.put(Dumps.slice(datagram, offset, Netlink.NLMSG_HDRLEN));
      header.putInt(0, Netlink.NLMSG_HDRLEN + message.size());
      out.writeBytes(header.array());
      out.writeBytes(message.toByteArray());
      offset += (length + 3) & ~3;
    }
    return ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.nativeOrder());
  }

  static List<RuleMessage> decode(ByteBuffer datagram) {
    List<RuleMessage> rules = new ArrayList<>();
    MessageCursor m = new MessageCursor(datagram, datagram.capacity());
    while (m.next()) {
      if (m.type() == Rtnetlink.RTM_NEWRULE) {
        rules.add(RuleMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()));
      }
    }
    return rules;
  }

  @Test
  void aCurrentKernelsDumpCarriesTheProtocolOnEveryRule() {
    for (String dump : List.of("rule4.hex", "rule6.hex")) {
      List<RuleMessage> rules = decode(Dumps.load(dump));
      assertThat(RulePlanner.lacksProtocol(rules)).as(dump).isFalse();
      // The kernel's own rules alone are enough to tell: they carry protocol kernel.
      assertThat(RulePlanner.lacksProtocol(rules.stream().filter(r -> r.protocolOrUnspec() == 2).toList()))
          .as(dump).isFalse();
    }
  }

  @Test
  void aDumpWithoutTheAttributeIsAKernelBefore417() {
    for (String dump : List.of("rule4.hex", "rule6.hex")) {
      ByteBuffer original = Dumps.load(dump);
      ByteBuffer old = withoutProtocol(original);
      assertThat(old.capacity()).as("8 bytes less a rule").isEqualTo(original.capacity() - 8 * decode(original).size());
      List<RuleMessage> rules = decode(old);
      assertThat(rules).hasSameSizeAs(decode(original)).allMatch(r -> r.protocol().isEmpty());
      assertThat(RulePlanner.lacksProtocol(rules)).as(dump).isTrue();
      // Apart from the protocol, the same rules.
      assertThat(rules).isEqualTo(decode(original).stream().map(RuleMessage::withoutProtocol).toList());
    }
  }

  @Test
  void oneRuleWithTheAttributeIsEnoughAndAnEmptyDumpTellsNothing() {
    List<RuleMessage> old = decode(withoutProtocol(Dumps.load("rule4.hex")));
    List<RuleMessage> mixed = new ArrayList<>(old);
    mixed.set(0, decode(Dumps.load("rule4.hex")).get(0));
    assertThat(RulePlanner.lacksProtocol(mixed)).isFalse();
    assertThat(RulePlanner.lacksProtocol(List.of())).isFalse();
  }

  @Test
  void aRuleWithoutProtocolIsSentWithoutTheAttribute() {
    RuleMessage rule = decode(Dumps.load("rule4.hex")).get(1);
    MessageBuilder with = new MessageBuilder(128);
    rule.encode(with, Rtnetlink.RTM_NEWRULE, Netlink.NLM_F_REQUEST, 1);
    MessageBuilder without = new MessageBuilder(128);
    rule.withoutProtocol().encode(without, Rtnetlink.RTM_NEWRULE, Netlink.NLM_F_REQUEST, 1);
    byte[] withBytes = with.toByteArray();
    assertThat(Dumps.hex(withBytes)).contains("05001500" + "9d000000");
    assertThat(withoutProtocol(ByteBuffer.wrap(withBytes).order(ByteOrder.nativeOrder())).array())
        .isEqualTo(without.toByteArray());
  }
}
