package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Any valid route, described in {@code ip route} syntax, reads back as the same route. */
class ShorthandRoundTripProperties {
  @Property(tries = 2000)
  void describeThenParseGivesTheSameRoute(
      @ForAll boolean ipv6,
      @ForAll @Size(16) byte[] toBytes,
      @ForAll @IntRange(max = 128) int length,
      @ForAll RouteType type,
      @ForAll @IntRange(max = 2) int viaKind,
      @ForAll @Size(16) byte[] viaBytes,
      @ForAll boolean withDev,
      @ForAll("devices") DeviceSelector dev,
      @ForAll boolean withMetric,
      @ForAll int metric,
      @ForAll @LongRange(max = 0xffff_ffffL) long table,
      @ForAll boolean withSrc,
      @ForAll @Size(16) byte[] srcBytes,
      @ForAll boolean withMtu,
      @ForAll @IntRange(min = 1280, max = 65535) int mtu,
      @ForAll boolean onlink)
      throws ConfigException {
    int size = ipv6 ? 16 : 4;
    IpPrefix to = IpPrefix.containing(address(toBytes, size), length % (size * 8 + 1));
    boolean unicast = type == RouteType.UNICAST;
    Gateway via =
        !unicast || viaKind == 0
            ? null
            : viaKind == 1 || ipv6
                ? new Gateway.Address(address(viaBytes, size))
                : new Gateway.SubnetRouter();
    // A link-local gateway is on every link: it needs its dev, as subnet-router and a device route do.
    boolean linkLocal = via instanceof Gateway.Address a && a.address().isLinkLocalAddress();
    boolean needsDev = unicast && (via == null || via instanceof Gateway.SubnetRouter || linkLocal);
    RouteSpec plain =
        new RouteSpec(
            null,
            to,
            via,
            unicast && (withDev || needsDev) ? dev : null,
            withMetric ? OptionalInt.of(metric) : OptionalInt.empty(),
            table == 0 || table == 255 || RuleSpec.isEc2NetUtils(table) ? RouteSpec.TABLE_MAIN : table,
            type,
            unicast && withSrc ? address(srcBytes, size) : null,
            withMtu ? OptionalInt.of(mtu) : OptionalInt.empty(),
            unicast && onlink,
            false,
            List.of());
    boolean override = GuardRails.staticConflict(plain).isPresent();
    RouteSpec spec = withOverride(plain, override);

    String line = spec.describe() + (override ? " override" : "");
    RouteSpec parsed = Yaml.route("routes:\n  - \"" + line + "\"\n");

    assertThat(parsed)
        .as(line)
        .usingRecursiveComparison()
        .ignoringFields("file", "line", "column")
        .isEqualTo(spec);
  }

  /** Any valid multipath route, described in {@code ip route} syntax, reads back as the same route. */
  @Property(tries = 1000)
  void aMultipathRouteReadsBackTheSame(
      @ForAll boolean ipv6,
      @ForAll @Size(16) byte[] toBytes,
      @ForAll @IntRange(max = 128) int length,
      @ForAll("nextHopSeeds") List<Integer> seeds,
      @ForAll("devices") DeviceSelector dev,
      @ForAll boolean withMetric,
      @ForAll int metric,
      @ForAll @LongRange(min = 1, max = 0xffff_ffffL) long table)
      throws ConfigException {
    int size = ipv6 ? 16 : 4;
    IpPrefix to = IpPrefix.containing(address(toBytes, size), length % (size * 8 + 1));
    // Each seed makes a distinct next hop: a gateway from it, a dev for some, a weight, onlink.
    List<NextHopSpec> hops = new java.util.ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) {
      int seed = seeds.get(i);
      byte[] gw = new byte[16];
      gw[0] = (byte) (ipv6 ? 0xfe : 10);
      gw[size - 2] = (byte) (i >> 8);
      gw[size - 1] = (byte) i;
      boolean subnetRouter = !ipv6 && seed % 7 == 0;
      boolean withDev = subnetRouter || seed % 3 == 0;
      Gateway via = subnetRouter && i == 0
          ? new Gateway.SubnetRouter()
          : seed % 5 == 0 && withDev && i == 1 ? null : new Gateway.Address(address(gw, size));
      hops.add(new NextHopSpec(via, withDev || via == null ? dev : null, 1 + Math.floorMod(seed, 256), seed % 2 == 0));
    }
    boolean guardedTable = table == 255 || RuleSpec.isEc2NetUtils(table);
    RouteSpec plain = new RouteSpec(null, to, null, null,
        withMetric ? OptionalInt.of(metric) : OptionalInt.empty(),
        guardedTable ? RouteSpec.TABLE_MAIN : table, RouteType.UNICAST, null, OptionalInt.empty(), false, false,
        hops);
    boolean override = GuardRails.staticConflict(plain).isPresent();
    RouteSpec spec = new RouteSpec(null, to, null, null, plain.metric(), plain.table(), RouteType.UNICAST, null,
        OptionalInt.empty(), false, override, hops);

    String line = spec.describe() + (override ? " override" : "");
    RouteSpec parsed = Yaml.route("routes:\n  - \"" + line + "\"\n");

    assertThat(parsed).as(line).usingRecursiveComparison().ignoringFields("file", "line", "column").isEqualTo(spec);
  }

  @Provide
  Arbitrary<List<Integer>> nextHopSeeds() {
    return Arbitraries.integers().between(0, 100_000).list().ofMinSize(2).ofMaxSize(16);
  }

  /** Interface names, and the selectors the one-line form spells "mac:…" and "subnet:…". */
  @Provide
  Arbitrary<DeviceSelector> devices() {
    Arbitrary<DeviceSelector> names = interfaceNames().map(DeviceSelector.Name::new);
    Arbitrary<DeviceSelector> macs =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofSize(6)
            .map(
                b -> {
                  StringBuilder sb = new StringBuilder();
                  for (byte x : b) {
                    sb.append(sb.length() > 0 ? ":" : "").append(String.format("%02X", x & 0xff));
                  }
                  return new DeviceSelector.Mac(sb.toString());
                });
    Arbitrary<DeviceSelector> subnets =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofSize(16)
            .flatMap(
                b ->
                    Arbitraries.integers()
                        .between(0, 128)
                        .flatMap(
                            len ->
                                Arbitraries.of(true, false)
                                    .map(
                                        v6 -> {
                                          int size = v6 ? 16 : 4;
                                          return new DeviceSelector.Subnet(
                                              IpPrefix.containing(
                                                  address(b, size), len % (size * 8 + 1)));
                                        })));
    return Arbitraries.oneOf(names, macs, subnets);
  }

  @Provide
  Arbitrary<String> interfaceNames() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .numeric()
        .withChars("-._@")
        .ofMinLength(1)
        .ofMaxLength(15)
        .filter(name -> !List.of(".", "..").contains(name));
  }

  private static InetAddress address(byte[] bytes, int size) {
    return IpAddresses.fromBytes(Arrays.copyOf(bytes, size));
  }

  private static RouteSpec withOverride(RouteSpec s, boolean override) {
    return new RouteSpec(
        s.location(),
        s.to(),
        s.via(),
        s.dev(),
        s.metric(),
        s.table(),
        s.type(),
        s.src(),
        s.mtu(),
        s.onlink(),
        override,
        List.of());
  }
}
