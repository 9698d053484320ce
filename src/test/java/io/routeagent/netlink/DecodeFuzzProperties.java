package io.routeagent.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every decoder over bytes the kernel did not write: random datagrams, and the real dumps of
 * {@link Dumps} mutated. Each decode either gives a valid object or throws {@link
 * MalformedMessageException}, never another exception (an index out of bounds would stop the
 * daemon's loop rather than be reported as a bad message).
 */
class DecodeFuzzProperties {
  private static final List<String> DUMPS =
      List.of("route4.hex", "route6.hex", "rule4.hex", "rule6.hex", "link.hex", "addr.hex");

  /** NLMSG_ERROR answers (there is no dump of those): capped, and not capped with ext-ack text. */
  private static final List<String> ERRORS = List.of(
      "44000000" + "0200" + "0003" + "0b000000" + "4d000000" + "9bffffff"
          + "3c000000" + "1800" + "0505" + "0b000000" + "00000000"
          + "2000" + "0100" + "4e657874686f702068617320696e76616c6964206761746577617900",
      "44000000" + "0200" + "0002" + "0b000000" + "4d000000" + "9bffffff"
          + "10000000" + "1800" + "0505" + "0b000000" + "00000000"
          + "2000" + "0100" + "4e657874686f702068617320696e76616c6964206761746577617900");

  /** The decoders, each over one message's payload as the cursor frames it. */
  private static final List<Consumer<MessageCursor>> DECODERS = List.of(
      m -> RouteMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()),
      m -> RuleMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()),
      m -> LinkMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()),
      m -> LinkMessage.decodeHeader(m.buffer(), m.payloadOffset(), m.payloadLength()),
      m -> AddressMessage.decode(m.buffer(), m.payloadOffset(), m.payloadLength()),
      m -> AddressMessage.checkHeader(m.payloadLength()),
      ErrorMessage::decode);

  /**
   * Walks the datagram and runs every decoder on every message, whatever its type: a decoder must
   * not trust the type to have picked the right bytes. Returns how many decodes succeeded.
   */
  static int decodeAll(byte[] datagram) {
    // A buffer with room past the datagram, as the receive buffer has: reading past the message
    // must be caught by the bounds the decoders keep, not by the end of the array.
    ByteBuffer buffer = ByteBuffer.allocate(datagram.length + 64).order(ByteOrder.nativeOrder());
    buffer.put(0, datagram);
    int valid = 0;
    MessageCursor m = new MessageCursor(buffer, datagram.length);
    while (true) {
      try {
        if (!m.next()) {
          return valid;
        }
      } catch (MalformedMessageException e) {
        return valid;
      }
      for (Consumer<MessageCursor> decoder : DECODERS) {
        try {
          decoder.accept(m);
          valid++;
        } catch (MalformedMessageException e) {
          // a refusal is a valid outcome
        }
      }
    }
  }

  private static byte[] dump(String name) {
    ByteBuffer b = name.endsWith(".hex") ? Dumps.load(name) : Dumps.hex(name);
    byte[] out = new byte[b.capacity()];
    b.get(0, out);
    return out;
  }

  @Example
  void theRealDumpsDecode() {
    for (String name : seeds()) {
      assertThat(decodeAll(dump(name))).as(name).isPositive();
    }
  }

  @Property(tries = 3000)
  void randomBytesDecodeOrAreRefused(@ForAll("datagrams") byte[] datagram) {
    decodeAll(datagram);
  }

  @Property(tries = 5000)
  void mutatedDumpsDecodeOrAreRefused(@ForAll("mutatedDumps") byte[] datagram) {
    decodeAll(datagram);
  }

  private static List<String> seeds() {
    List<String> seeds = new ArrayList<>(DUMPS);
    seeds.addAll(ERRORS);
    return seeds;
  }

  /** Random bytes behind a plausible header, so that the cursor hands them to the decoders. */
  @Provide
  Arbitrary<byte[]> datagrams() {
    return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
            Arbitraries.integers().between(0, 40))
        .as((body, type) -> {
          ByteBuffer b = ByteBuffer.allocate(Netlink.NLMSG_HDRLEN + body.length).order(ByteOrder.nativeOrder());
          b.putInt(0, b.capacity()).putShort(4, (short) type.intValue());
          b.put(Netlink.NLMSG_HDRLEN, body);
          return b.array();
        });
  }

  /**
   * A real dump with up to eight edits: a byte set to a random or an edge value (lengths 0, 1, 3,
   * 4, 0xff, 0xffff; prefix lengths past 128), or the datagram cut short.
   */
  @Provide
  Arbitrary<byte[]> mutatedDumps() {
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 1 << 16);
    Arbitrary<Integer> value = Arbitraries.oneOf(Arbitraries.integers().between(0, 255),
        Arbitraries.of(0, 1, 3, 4, 5, 8, 0x7f, 0x80, 0xff));
    Arbitrary<Integer> operation = Arbitraries.integers().between(0, 9);
    return Combinators.combine(Arbitraries.of(seeds()), position.list().ofSize(8), value.list().ofSize(8),
            operation.list().ofSize(8), Arbitraries.integers().between(1, 8))
        .as((name, positions, values, operations, n) -> {
          byte[] bytes = dump(name);
          int length = bytes.length;
          for (int i = 0; i < n && length > 0; i++) {
            int at = positions.get(i) % length;
            if (operations.get(i) == 0) {
              length = at; // cut short
            } else {
              bytes[at] = (byte) values.get(i).intValue();
            }
          }
          byte[] out = new byte[length];
          System.arraycopy(bytes, 0, out, 0, length);
          return out;
        });
  }

  /** Found by {@link #mutatedDumpsDecodeOrAreRefused}: an uncapped error whose request copy claims a negative length. */
  @Example
  void anErrorWhoseRequestCopyClaimsANegativeLengthKeepsItsErrno() {
    byte[] datagram = dump(ERRORS.get(1));
    datagram[23] = (byte) 0x80; // nlmsg_len of the copied request: 0x80000010
    ByteBuffer buffer = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
    MessageCursor m = new MessageCursor(buffer, datagram.length);
    assertThat(m.next()).isTrue();
    ErrorMessage error = ErrorMessage.decode(m);
    assertThat(error.errno()).isEqualTo(101);
    assertThat(error.kernelMessage()).isNull();
  }
}
