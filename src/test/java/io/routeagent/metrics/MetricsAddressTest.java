package io.routeagent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsAddressTest {
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1:9469, 127.0.0.1:9469",
    "localhost:9469, 127.0.0.1:9469",
    "0.0.0.0:9469, 0.0.0.0:9469",
    "172.31.64.10:0, 172.31.64.10:0",
    "[::1]:9469, [0:0:0:0:0:0:0:1]:9469",
    "[::]:9469, [0:0:0:0:0:0:0:0]:9469",
    "[fe80::1]:80, [fe80:0:0:0:0:0:0:1]:80",
  })
  void literalAddresses(String text, String expected) {
    Optional<InetSocketAddress> address = MetricsAddress.parse(text);

    assertThat(address).isPresent();
    assertThat(address.get().isUnresolved()).isFalse();
    assertThat(MetricsAddress.format(address.get())).isEqualTo(expected);
  }

  @Test
  void none() {
    assertThat(MetricsAddress.parse("none")).isEmpty();
  }

  /** Names would go to a resolver: refused before anything is looked up. */
  @ParameterizedTest
  @ValueSource(strings = {"vm:9469", "metrics.example.com:9469", "ip6-localhost:9469", "[localhost]:9469",
      "127.1:9469", "0x7f.0.0.1:9469", "010.0.0.1:9469", "256.0.0.1:9469", "1.2.3.4.5:9469"})
  void namesAndOddSpellingsAreRefused(String text) {
    assertThatThrownBy(() -> MetricsAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--metrics-address " + text + ": ");
  }

  @Test
  void aHostnameGetsOneClearLine() {
    assertThatThrownBy(() -> MetricsAddress.parse("metrics.example.com:9469"))
        .hasMessage("--metrics-address metrics.example.com:9469: HOST must be an IP address (127.0.0.1,"
            + " [::1], 0.0.0.0) or localhost; names are not looked up");
  }

  @ParameterizedTest
  @ValueSource(strings = {"9469", ":9469", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
      "127.0.0.1:http", "::1:9469", "[::1]", "[]:9469", "[::1:9469", "[::g]:9469"})
  void malformed(String text) {
    assertThatThrownBy(() -> MetricsAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--metrics-address ");
  }

  @Test
  void aLongValueIsCut() {
    String text = "a".repeat(10_000) + ":9469";

    assertThatThrownBy(() -> MetricsAddress.parse(text))
        .message()
        .hasSizeLessThan(200);
  }
}
