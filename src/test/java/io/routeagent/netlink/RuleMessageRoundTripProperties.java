package io.routeagent.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any rule the agent can send decodes from its own encoding to itself. The header's flags and the
 * selectors behind {@code otherSelectors} (tos, not, uid range, ...) are only ever read from the
 * kernel, never sent, so the rules here have neither.
 */
class RuleMessageRoundTripProperties {

  @Property(tries = 1000)
  void decodeOfEncodeIsIdentity(@ForAll("rules") RuleMessage rule) {
    MessageBuilder b = new MessageBuilder(16);
    rule.encode(b, Rtnetlink.RTM_NEWRULE, Netlink.NLM_F_REQUEST | Netlink.NLM_F_CREATE, 1);
    assertThat(b.messageCount()).as("messages encoded").isEqualTo(1);
    assertThat(b.length() % Netlink.NLMSG_ALIGNTO).as("encoded length is aligned").isZero();
    ByteBuffer bytes = ByteBuffer.wrap(b.toByteArray()).order(ByteOrder.nativeOrder());
    MessageCursor m = new MessageCursor(bytes, bytes.capacity());
    assertThat(m.next()).isTrue();
    assertThat(m.type()).isEqualTo(Rtnetlink.RTM_NEWRULE);
    assertThat(m.payloadLength() % Netlink.NLMSG_ALIGNTO).isZero();
    assertThat(RuleMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength())).isEqualTo(rule);
    assertThat(m.next()).as("exactly one message").isFalse();
  }

  @Provide
  Arbitrary<RuleMessage> rules() {
    return Arbitraries.of(Family.INET, Family.INET6).flatMap(family -> {
      int size = family == Family.INET ? 4 : 16;
      // A /0 is no selector at all: the kernel sends neither FRA_SRC nor src_len, so null stands for it.
      Arbitrary<IpPrefix> prefix = Combinators.combine(
              Arbitraries.bytes().array(byte[].class).ofSize(size), Arbitraries.integers().between(1, size * 8))
          .as((address, length) -> IpPrefix.containing(IpAddresses.fromBytes(address), length))
          .injectNull(0.4);
      Arbitrary<Long> table = Arbitraries.oneOf(
          Arbitraries.of(0L, 253L, 254L, 255L, 256L, 0xffffffffL),
          Arbitraries.longs().between(0, 0xffffffffL));
      Arbitrary<Integer> action = Arbitraries.oneOf(
          Arbitraries.of(FibRules.FR_ACT_TO_TBL, FibRules.FR_ACT_BLACKHOLE, FibRules.FR_ACT_UNREACHABLE,
              FibRules.FR_ACT_PROHIBIT, FibRules.FR_ACT_GOTO, FibRules.FR_ACT_NOP),
          Arbitraries.integers().between(0, 255));
      // As the kernel takes them: 1 to 15 bytes, no '/', ':', whitespace or NUL.
      Arbitrary<String> name = Arbitraries.strings().alpha().numeric().withChars('.', '-', '_', '@')
          .ofMinLength(1).ofMaxLength(15).injectNull(0.5);
      Arbitrary<OptionalInt> maybeU32 = optional(Arbitraries.integers());
      Arbitrary<Long> priority = Arbitraries.oneOf(
          Arbitraries.of(0L, 1L, 32765L, 32766L, 0xffffffffL), Arbitraries.longs().between(0, 0xffffffffL));
      Arbitrary<OptionalInt> protocol = optional(Arbitraries.integers().between(0, 255));
      return Combinators.combine(prefix, prefix, table, action, name, name)
          .flatAs((source, destination, t, a, iif, oif) ->
              Combinators.combine(maybeU32, maybeU32, priority, protocol)
                  .as((fwmark, fwmask, p, proto) -> new RuleMessage(family, source, destination, t, a, 0, iif,
                      oif, fwmark, fwmask, p, proto, false)));
    });
  }

  private static Arbitrary<OptionalInt> optional(Arbitrary<Integer> values) {
    return Arbitraries.oneOf(values.map(OptionalInt::of), Arbitraries.just(OptionalInt.empty()));
  }
}
