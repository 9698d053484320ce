package io.routeagent.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10.1",
        "10",
        "010.0.0.1",
        "10.0.0.01",
        "1.2.3.4.5",
        "1.2.3.",
        ".1.2.3",
        "1..2.3",
        "256.0.0.1",
        "1.2.3.-4",
        " 1.2.3.4",
        "1.2.3.4 ",
        "0x1.2.3.4",
        "localhost",
        "example.com",
        "fe80::1%eth0",
        "fe80::1%2",
        "[::1]",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "12345::",
        ":1:2",
        "::ffff:1.2.3",
        "g::1",
        "1.2.3.4/32",
        "١٢٣.1.1.1"
      })
  void refusesAnythingButAStrictLiteral(String text) {
    assertThat(IpAddresses.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "0.0.0.0, 0.0.0.0",
    "10.0.0.1, 10.0.0.1",
    "255.255.255.255, 255.255.255.255",
    "::, ::",
    "::1, ::1",
    "1::, 1::",
    "2001:DB8::1, 2001:db8::1",
    "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "::ffff:10.1.2.3, ::ffff:10.1.2.3",
    "::ffff:a01:203, ::ffff:10.1.2.3",
    "::10.1.2.3, ::a01:203",
    "64:ff9b::10.1.2.3, 64:ff9b::a01:203"
  })
  void formatsAsRfc5952AndIproute2(String text, String formatted) {
    InetAddress address = IpAddresses.parse(text).orElseThrow();
    assertThat(IpAddresses.format(address)).isEqualTo(formatted);
    assertThat(IpAddresses.parse(formatted)).contains(address);
  }

  @Test
  void familiesAndMappedAddressesStayAsWritten() {
    assertThat(IpAddresses.parse("10.0.0.1").orElseThrow()).isInstanceOf(Inet4Address.class);
    InetAddress mapped = IpAddresses.parse("::ffff:10.0.0.1").orElseThrow();
    assertThat(mapped).isInstanceOf(Inet6Address.class);
    assertThat(IpAddresses.family(mapped)).isEqualTo(Family.INET6);
    assertThat(IpAddresses.family(IpAddresses.parse("10.0.0.1").orElseThrow()))
        .isEqualTo(Family.INET);
  }
}
