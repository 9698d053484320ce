package io.routeagent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ErrorMessageTest {
  private static ErrorMessage only(ByteBuffer datagram) {
    MessageCursor m = new MessageCursor(datagram, datagram.capacity());
    assertThat(m.next()).isTrue();
    assertThat(m.type()).isEqualTo(Netlink.NLMSG_ERROR);
    return ErrorMessage.decode(m);
  }

  @Test
  void readsAnAck() {
    // nlmsghdr(len 36, NLMSG_ERROR, flags CAPPED, seq 9, pid 77) + error 0 + the request's nlmsghdr
    ErrorMessage ack = only(Dumps.hex(
        "24000000" + "0200" + "0001" + "09000000" + "4d000000"
            + "00000000"
            + "3c000000" + "1800" + "0505" + "09000000" + "00000000"));
    assertThat(ack.isAck()).isTrue();
    assertThat(ack.requestSeq()).isEqualTo(9);
    assertThat(ack.requestType()).isEqualTo(Rtnetlink.RTM_NEWROUTE);
  }

  @Test
  void readsTheErrnoAndTheExtendedAckText() {
    // error -101 (ENETUNREACH), capped request header, NLMSGERR_ATTR_MSG "Nexthop has invalid gateway"
    String text = "4e657874686f702068617320696e76616c6964206761746577617900"; // 28 bytes with NUL
    ErrorMessage error = only(Dumps.hex(
        "44000000" + "0200" + "0003" + "0b000000" + "4d000000"
            + "9bffffff"
            + "3c000000" + "1800" + "0505" + "0b000000" + "00000000"
            + "2000" + "0100" + text));
    assertThat(error.isAck()).isFalse();
    assertThat(error.errno()).isEqualTo(101);
    assertThat(error.requestSeq()).isEqualTo(11);
    assertThat(error.kernelMessage()).isEqualTo("Nexthop has invalid gateway");
  }

  @Test
  void refusesAMessageLongerThanItsDatagram() {
    ByteBuffer truncated = Dumps.hex("40000000" + "0200" + "0000" + "01000000" + "00000000");
    MessageCursor m = new MessageCursor(truncated, truncated.capacity());
    assertThatThrownBy(m::next).isInstanceOf(MalformedMessageException.class).hasMessageContaining("64 bytes");
  }
}
