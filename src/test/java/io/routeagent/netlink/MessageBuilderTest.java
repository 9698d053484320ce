package io.routeagent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageBuilderTest {
  @Test
  void addFlagsToLastFlagsOnlyTheLastMessageOfABatch() {
    MessageBuilder b = new MessageBuilder(16);
    for (int seq = 1; seq <= 3; seq++) {
      b.begin(Rtnetlink.RTM_NEWROUTE, Netlink.NLM_F_REQUEST, seq).u32(seq).end();
    }
    b.addFlagsToLast(Netlink.NLM_F_ACK);
    List<Integer> flags = new ArrayList<>();
    MessageCursor m = new MessageCursor(b.buffer(), b.length());
    while (m.next()) {
      flags.add(m.flags());
    }
    assertThat(flags).containsExactly(Netlink.NLM_F_REQUEST, Netlink.NLM_F_REQUEST,
        Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
  }

  @Test
  void addFlagsToLastNeedsAnEndedMessage() {
    MessageBuilder b = new MessageBuilder(16);
    assertThatThrownBy(() -> b.addFlagsToLast(Netlink.NLM_F_ACK)).isInstanceOf(IllegalStateException.class);
    b.begin(Rtnetlink.RTM_NEWROUTE, 0, 1).end();
    b.clear();
    assertThatThrownBy(() -> b.addFlagsToLast(Netlink.NLM_F_ACK)).isInstanceOf(IllegalStateException.class);
  }
}
