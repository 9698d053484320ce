package io.routeagent.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {
  private static IpPrefix prefix(String text) {
    IpPrefix.Result result = IpPrefix.parse(text);
    assertThat(result.error()).isNull();
    return result.prefix();
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/16, 10.0.0.0/16",
    "10.0.0.1, 10.0.0.1",
    "10.0.0.1/32, 10.0.0.1",
    "0.0.0.0/0, default",
    "::/0, default",
    "2001:db8::/32, 2001:db8::/32",
    "2001:DB8:0:0::/64, 2001:db8::/64",
    "fe80::1, fe80::1"
  })
  void parsesAndPrintsAsIpRoute(String text, String printed) {
    assertThat(prefix(text)).hasToString(printed);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.1/16    | host bits are set: did you mean 10.0.0.0/16?",
        "2001:db8::1/32 | host bits are set: did you mean 2001:db8::/32?",
        "10.0.0.0/33    | prefix length /33 is longer than 32 bits",
        "10.0.0.0/      | the prefix length is not a whole number from 0 to 32",
        "10.0.0.0/016   | the prefix length is not a whole number from 0 to 32",
        "10.0.0.0/٨     | the prefix length is not a whole number from 0 to 32",
        "10.0.0.0/-1    | the prefix length is not a whole number from 0 to 32",
        "10.0/8         | the address is not an IPv4 or IPv6 address",
        "default        | the address is not an IPv4 or IPv6 address"
      })
  void refusesWithAReason(String text, String error) {
    IpPrefix.Result result = IpPrefix.parse(text);
    assertThat(result.isOk()).isFalse();
    assertThat(result.error()).isEqualTo(error);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/8", "10.1.0.0/16", "10.1.2.3"})
  void containsItsSubnets(String inner) {
    assertThat(prefix("10.0.0.0/8").contains(prefix(inner))).isTrue();
  }

  @Test
  void containment() {
    IpPrefix net = prefix("10.0.0.0/8");
    assertThat(prefix("10.0.0.0/16").contains(net)).isFalse();
    assertThat(net.contains(prefix("11.0.0.0/16"))).isFalse();
    assertThat(prefix("::/0").contains(net)).isFalse();
    assertThat(IpPrefix.defaultRoute(Family.INET).contains(net)).isTrue();
    assertThat(net.contains(IpAddresses.parse("10.255.255.255").orElseThrow())).isTrue();
    assertThat(net.contains(IpAddresses.parse("::ffff:10.0.0.1").orElseThrow())).isFalse();
  }

  @Test
  void theFamiliesNeverMeet() {
    IpPrefix v4 = IpPrefix.defaultRoute(Family.INET);
    IpPrefix v6 = IpPrefix.defaultRoute(Family.INET6);
    assertThat(v4).isNotEqualTo(v6);
    assertThat(v4.contains(v6)).isFalse();
    assertThat(v6.contains(v4)).isFalse();
    assertThat(v4.compareTo(v6)).isNegative();
    assertThat(prefix("255.255.255.255").compareTo(prefix("::/0"))).isNegative();
    assertThat(v6.bytes()).hasSize(16);
    assertThat(prefix("::ffff:10.0.0.0/104").toString()).isEqualTo("::ffff:10.0.0.0/104");
  }
}
