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
}
