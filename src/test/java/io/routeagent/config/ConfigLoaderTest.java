package io.routeagent.config;

import static io.routeagent.config.Yaml.entry;
import static io.routeagent.config.Yaml.routes;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConfigLoaderTest {
  private static IpPrefix prefix(String text) {
    return IpPrefix.parse(text).prefix();
  }

  private static Gateway.Address gateway(String text) {
    return new Gateway.Address(IpAddresses.parse(text).orElseThrow());
  }

  @Test
  void readsTheExampleOfTheProductBrief() throws ConfigException {
    List<RouteSpec> routes =
        routes(
            """
            routes:
              - to: 10.0.0.0/16          # CIDR, a bare address (/32, /128), or "default"
                via: 172.31.64.1         # gateway, or "subnet-router"
                dev: eth2                # optional when via is given
                metric: 100
              - "192.168.0.0/16 via subnet-router dev eth2"     # the same, in `ip route` syntax
              - { to: 169.254.169.254/32, type: prohibit }      # types: unicast (default), ...
            """);

    assertThat(routes).hasSize(3);
    RouteSpec first = routes.get(0);
    assertThat(first.location()).isEqualTo(new Location(Yaml.FILE, 2, 5));
    assertThat(first.to()).isEqualTo(prefix("10.0.0.0/16"));
    assertThat(first.via()).isEqualTo(gateway("172.31.64.1"));
    assertThat(first.dev()).isEqualTo(new DeviceSelector.Name("eth2"));
    assertThat(first.metric()).isEqualTo(OptionalInt.of(100));
    assertThat(first.table()).isEqualTo(RouteSpec.TABLE_MAIN);
    assertThat(first.type()).isEqualTo(RouteType.UNICAST);
    assertThat(first.src()).isNull();
    assertThat(first.mtu()).isEmpty();
    assertThat(first.onlink()).isFalse();
    assertThat(first.override()).isFalse();
    assertThat(routes.get(1).describe()).isEqualTo("192.168.0.0/16 via subnet-router dev eth2");
    assertThat(routes.get(1).via()).isEqualTo(new Gateway.SubnetRouter());
    assertThat(routes.get(1).location()).isEqualTo(new Location(Yaml.FILE, 6, 5));
    assertThat(routes.get(2).describe()).isEqualTo("prohibit 169.254.169.254");
  }

  /** The daemon keeps every entry: the usual ones share their defaults, and say the same as before. */
  @Test
  void entriesThatGiveNoExtrasShareOneAndTheOthersKeepTheirs() throws ConfigException {
    List<RouteSpec> routes =
        routes(
            """
            routes:
              - 10.0.0.0/16 via 172.31.64.1 dev eth2
              - 10.1.0.0/16 via 172.31.64.1 dev eth2
              - 10.2.0.0/16 via 172.31.64.1 dev eth2 table 100
              - 10.3.0.0/16 via 172.31.64.1 dev eth2 metric 5 mtu 1400 onlink
            """);

    assertThat(routes.get(0).extras()).isSameAs(RouteSpec.Extras.NONE).isSameAs(routes.get(1).extras());
    assertThat(routes.get(2).table()).isEqualTo(100);
    assertThat(routes.get(2).extras()).isNotSameAs(RouteSpec.Extras.NONE);
    assertThat(routes.get(3).metric()).isEqualTo(OptionalInt.of(5));
    assertThat(routes.get(3).mtu()).isEqualTo(OptionalInt.of(1400));
    assertThat(routes.get(3).onlink()).isTrue();
    assertThat(routes.get(3).table()).isEqualTo(RouteSpec.TABLE_MAIN);
    assertThat(routes.get(3).describe()).isEqualTo("10.3.0.0/16 via 172.31.64.1 dev eth2 metric 5 mtu 1400 onlink");
    assertThat(routes.get(3).location()).isEqualTo(new Location(Yaml.FILE, 5, 5));
  }

  @Test
  void bothFormsGiveTheSameRoute() throws ConfigException {
    List<RouteSpec> routes =
        routes(
            """
            routes:
              - to: 10.1.0.0/16
                via: 172.31.64.1
                dev: eth2
                metric: 7
                table: vpc
                src: 172.31.70.5
                mtu: 9001
                onlink: true
              - 10.2.0.0/16 via 172.31.64.1 dev eth2 metric 7 table vpc src 172.31.70.5 mtu 9001 onlink
            """);

    RouteSpec mapping = routes.get(0);
    RouteSpec shorthand = routes.get(1);
    assertThat(shorthand)
        .usingRecursiveComparison()
        .ignoringFields("file", "line", "column", "to")
        .isEqualTo(mapping);
    assertThat(mapping.table()).isEqualTo(100);
    assertThat(mapping.mtu()).isEqualTo(OptionalInt.of(9001));
    assertThat(shorthand.describe())
        .isEqualTo(
            "10.2.0.0/16 via 172.31.64.1 dev eth2 table 100 metric 7 src 172.31.70.5"
                + " mtu 9001 onlink");
  }

  @Test
  void anEmptyListMeansNoRoutes() throws ConfigException {
    assertThat(routes("routes: []\n")).isEmpty();
    assertThat(routes("# every route removed on purpose\nroutes: []\n")).isEmpty();
  }

  @Test
  void aBareAddressIsAHostRoute() throws ConfigException {
    assertThat(entry("\"10.9.8.7 dev eth0\"").to())
        .isEqualTo(IpPrefix.host(IpAddresses.parse("10.9.8.7").orElseThrow()));
    assertThat(entry("{ to: 2001:db8::1, dev: eth0 }").to().length()).isEqualTo(128);
  }

  @Test
  void tablesByNameNumberAndBuiltIn() throws ConfigException {
    assertThat(entry("{ to: 10.0.0.0/8, dev: eth0, table: vpc }").table()).isEqualTo(100);
    assertThat(entry("{ to: 10.0.0.0/8, dev: eth0, table: main }").table()).isEqualTo(254);
    assertThat(entry("{ to: 10.0.0.0/8, dev: eth0, table: default }").table()).isEqualTo(253);
    assertThat(entry("{ to: 10.0.0.0/8, dev: eth0, table: 4294967295 }").table())
        .isEqualTo(4294967295L);
    assertThat(entry("10.0.0.0/8 dev eth0 table 1000").table()).isEqualTo(1000);
    assertThat(entry("\"10.0.0.0/8 dev eth0 table vpc\"").table()).isEqualTo(100);
  }

  @Test
  void metricsUseTheWholeUnsignedRange() throws ConfigException {
    assertThat(entry("{ to: 10.0.0.0/8, dev: eth0, metric: 4294967295 }").metric())
        .isEqualTo(OptionalInt.of(-1));
    assertThat(entry("{ to: 10.0.0.0/8, dev: eth0, metric: 0 }").metric())
        .isEqualTo(OptionalInt.of(0));
    assertThat(entry("10.0.0.0/8 dev eth0 metric 4294967295").describe())
        .isEqualTo("10.0.0.0/8 dev eth0 metric 4294967295");
  }

  @Test
  void ipv6Routes() throws ConfigException {
    RouteSpec spec = entry("\"2001:db8::/32 via fe80::1 dev eth0 metric 1024 mtu 1280\"");
    assertThat(spec.family()).isEqualTo(Family.INET6);
    assertThat(spec.via()).isEqualTo(gateway("fe80::1"));
    assertThat(spec.mtu()).isEqualTo(OptionalInt.of(1280));

    RouteSpec viaDefault = entry("default via fe80::1 dev eth0 override");
    assertThat(viaDefault.to()).isEqualTo(IpPrefix.defaultRoute(Family.INET6));
    assertThat(viaDefault.override()).isTrue();
    RouteSpec srcDefault = entry("{ to: default, dev: eth0, src: 2001:db8::5, table: 7 }");
    assertThat(srcDefault.to()).isEqualTo(IpPrefix.defaultRoute(Family.INET6));
    assertThat(entry("{ to: default, dev: eth0, table: 7 }").to())
        .isEqualTo(IpPrefix.defaultRoute(Family.INET));
    assertThat(entry("::/0 dev eth0 table 7").to()).isEqualTo(IpPrefix.defaultRoute(Family.INET6));
  }

  @ParameterizedTest
  @EnumSource(RouteType.class)
  void everyTypeInBothForms(RouteType type) throws ConfigException {
    String target = type == RouteType.UNICAST ? " dev eth0" : "";
    RouteSpec shorthand = entry(type.keyword() + " 10.7.0.0/16" + target);
    RouteSpec mapping =
        entry(
            "{ to: 10.7.0.0/16, type: "
                + type.keyword()
                + target.replace(" dev ", ", dev: ")
                + " }");
    assertThat(shorthand.type()).isEqualTo(type);
    assertThat(mapping.type()).isEqualTo(type);
  }

  @Test
  void wordsArePlacedInBlockAndQuotedStrings() throws ConfigException {
    // The same routes in plain, double- and single-quoted style load alike.
    List<RouteSpec> routes =
        routes(
            """
            routes:
              - 10.1.0.0/16 dev eth0
              - "10.2.0.0/16 dev eth0"
              - '10.3.0.0/16 dev eth0'
              - >-
                10.4.0.0/16
                dev eth0
            """);
    assertThat(routes)
        .extracting(RouteSpec::describe)
        .containsExactly(
            "10.1.0.0/16 dev eth0",
            "10.2.0.0/16 dev eth0",
            "10.3.0.0/16 dev eth0",
            "10.4.0.0/16 dev eth0");
  }

  @Test
  void sameDestinationInOtherTablesOrWithOtherMetricsIsNoDuplicate() throws ConfigException {
    assertThat(
            routes(
                """
                routes:
                  - 10.0.0.0/8 dev eth0
                  - 10.0.0.0/8 dev eth0 metric 5
                  - 10.0.0.0/8 dev eth0 table 5
                  - 2001:db8::/32 dev eth0
                  - 2001:db8::/32 dev eth0 metric 0
                """))
        .hasSize(5);
  }

  @Test
  void loadsAHundredThousandRoutes() throws ConfigException {
    StringBuilder yaml = new StringBuilder("routes:\n");
    for (int i = 0; i < 100_000; i++) {
      yaml.append("  - \"")
          .append(10 + (i >> 16))
          .append('.')
          .append(i >> 8 & 255)
          .append('.')
          .append(i & 255)
          .append(".0/24 via 172.31.64.1 dev eth2 metric 100\"\n");
    }
    assertThat(routes(yaml.toString())).hasSize(100_000);
  }

  @Test
  void problemsOfEntriesReadInChunksComeInFileOrder() {
    StringBuilder yaml = new StringBuilder("routes:\n");
    for (int i = 0; i < 10_000; i++) {
      String to =
          i == 9_000 ? "10.0.0.1/8" : i == 5_000 ? "10.0.0.0/99" : "10.0." + (i >> 8) + "." + (i & 255);
      yaml.append("  - \"").append(to).append(" dev eth0\"\n");
    }
    yaml.append("  - { to: 10.0.0.0, dev: eth0 }\n  - 10.0.0.0 dev eth0\n");
    List<ConfigProblem> problems = Yaml.problems(yaml.toString());
    assertThat(problems).extracting(p -> p.location().line())
        .containsExactly(5_002, 9_002, 10_002, 10_003);
    assertThat(problems.get(0).message()).contains("/99");
    assertThat(problems.get(1).message()).contains("host bits are set");
    assertThat(problems.get(2).message()).contains("duplicate route 10.0.0.0");
    assertThat(problems.get(3).message()).contains("duplicate route 10.0.0.0");
  }
}
