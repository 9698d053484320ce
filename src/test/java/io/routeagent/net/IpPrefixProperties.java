package io.routeagent.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class IpPrefixProperties {
  @Property
  void formatThenParseIsTheIdentity(
      @ForAll boolean ipv6,
      @ForAll @Size(16) byte[] bytes,
      @ForAll @IntRange(max = 128) int length) {
    int size = ipv6 ? 16 : 4;
    IpPrefix original =
        IpPrefix.containing(
            IpAddresses.fromBytes(Arrays.copyOf(bytes, size)), length % (size * 8 + 1));
    String text = IpAddresses.format(original.address()) + "/" + original.length();
    assertThat(IpPrefix.parse(text).prefix()).isEqualTo(original);
    if (!original.isDefault()) {
      assertThat(IpPrefix.parse(original.toString()).prefix()).isEqualTo(original);
    }
  }

  /**
   * Masking, containment, order and equality as the address's bytes say, bit by bit: what an
   * IpPrefix held as bytes did before it held an int or two longs. {@code same} leading bits of the
   * two addresses are equal, so that one often contains the other.
   */
  @Property
  void agreesWithItsBytes(
      @ForAll boolean ipv6,
      @ForAll @Size(16) byte[] a,
      @ForAll @Size(16) byte[] flips,
      @ForAll @IntRange(max = 128) int same,
      @ForAll @IntRange(max = 128) int la,
      @ForAll @IntRange(max = 128) int lb) {
    int size = ipv6 ? 16 : 4;
    int bits = size * 8;
    byte[] bytesA = Arrays.copyOf(a, size);
    byte[] bytesB = bytesA.clone();
    for (int bit = same % (bits + 1); bit < bits; bit++) {
      if ((flips[bit % 16] >> (bit % 8) & 1) != 0) {
        bytesB[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
      }
    }
    la %= bits + 1;
    lb %= bits + 1;
    IpPrefix x = IpPrefix.containing(IpAddresses.fromBytes(bytesA), la);
    IpPrefix y = IpPrefix.containing(IpAddresses.fromBytes(bytesB), lb);
    byte[] netA = masked(bytesA, la);
    byte[] netB = masked(bytesB, lb);

    assertThat(x.bytes()).isEqualTo(netA);
    assertThat(x.family()).isEqualTo(ipv6 ? Family.INET6 : Family.INET);
    assertThat(x.length()).isEqualTo(la);
    assertThat(x.isHost()).isEqualTo(la == bits);
    assertThat(IpPrefix.of(netA, la)).isEqualTo(x);
    assertThat(IpPrefix.host(IpAddresses.fromBytes(bytesA)).bytes()).isEqualTo(bytesA);
    assertThat(x.contains(y)).isEqualTo(lb >= la && Arrays.equals(masked(netB, la), netA));
    assertThat(x.contains(IpAddresses.fromBytes(bytesB))).isEqualTo(Arrays.equals(masked(bytesB, la), netA));
    boolean equal = la == lb && Arrays.equals(netA, netB);
    assertThat(x.equals(y)).isEqualTo(equal);
    if (equal) {
      assertThat(x.hashCode()).isEqualTo(y.hashCode());
    }
    int order = Arrays.compareUnsigned(netA, netB);
    assertThat(Integer.signum(x.compareTo(y))).isEqualTo(Integer.signum(order != 0 ? order : Integer.compare(la, lb)));
  }

  private static byte[] masked(byte[] raw, int length) {
    byte[] out = raw.clone();
    for (int i = 0; i < out.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, length - i * 8));
      out[i] &= (byte) (0xff << (8 - bitsHere));
    }
    return out;
  }
}
