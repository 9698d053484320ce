package io.routeagent.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routeagent.config.ConfigException;
import io.routeagent.config.ConfigLoader;
import io.routeagent.config.RouteSpec;
import io.routeagent.config.TableNames;
import io.routeagent.kernel.KernelSnapshot;
import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.FibRules;
import io.routeagent.netlink.LinkMessage;
import io.routeagent.netlink.NextHop;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.netlink.RuleMessage;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class KernelExportTest {
  private static final TableNames TABLES = TableNames.of(Map.of());
  private static final List<LinkMessage> LINKS = List.of(
      new LinkMessage(2, Rtnetlink.IFF_UP, "eth2", "0a:00:00:00:00:02", List.of()),
      new LinkMessage(3, Rtnetlink.IFF_UP, "eth0", "0a:00:00:00:00:03", List.of()));

  private static RouteMessage route(String to, String via, int oif, int protocol, long table, int type,
      int flags, boolean multipath, boolean fromPrefix) {
    IpPrefix destination = to.equals("::/0") ? IpPrefix.defaultRoute(Family.INET6) : IpPrefix.parse(to).prefix();
    if (to.equals("default")) {
      destination = IpPrefix.defaultRoute(Family.INET);
    }
    return new RouteMessage(destination.family(), destination, 0, table, protocol,
        via == null ? Rtnetlink.RT_SCOPE_LINK : Rtnetlink.RT_SCOPE_UNIVERSE, type, flags,
        via == null ? null : IpAddresses.parse(via).orElseThrow(), oif,
        destination.family() == Family.INET6 ? OptionalInt.of(1024) : OptionalInt.empty(),
        null, OptionalInt.empty(), fromPrefix, multipath, List.of());
  }

  private static RouteMessage unicast(String to, String via, int oif, int protocol, long table) {
    return route(to, via, oif, protocol, table, Rtnetlink.RTN_UNICAST, 0, false, false);
  }

  @Test
  void capturesConfiguredRoutesAndSkipsTheKernelsOwn() throws ConfigException, UnknownInterface {
    KernelSnapshot snapshot = new KernelSnapshot(LINKS, List.of(), List.of(
        unicast("default", "192.0.2.1", 3, 3, 254),
        unicast("172.31.64.0/20", null, 2, Rtnetlink.RTPROT_KERNEL, 254),
        unicast("10.0.0.0/16", "172.31.64.1", 2, 4, 254),
        unicast("default", "172.31.64.1", 2, 157, 100),
        unicast("172.31.64.10", null, 2, Rtnetlink.RTPROT_KERNEL, Rtnetlink.RT_TABLE_LOCAL),
        route("::/0", null, 0, 3, 100, Rtnetlink.RTN_UNREACHABLE, 0, false, false),
        route("10.5.0.0/16", "172.31.64.1", 2, 3, 254, Rtnetlink.RTN_UNICAST, Rtnetlink.RTM_F_CLONED, false, false),
        route("10.6.0.0/16", null, 0, 3, 254, Rtnetlink.RTN_UNICAST, 0, true, false),
        route("2001:db8::/32", null, 2, 3, 254, Rtnetlink.RTN_UNICAST, 0, false, true)));
    Translation t = new KernelExport(TABLES).export(snapshot, null);

    assertThat(t.routes()).extracting(Entry::text).containsExactly(
        "default via 192.0.2.1 dev eth0 override",
        "10.0.0.0/16 via 172.31.64.1 dev eth2",
        "default via 172.31.64.1 dev eth2 table 100",
        "unreachable ::/0 table 100 metric 1024");
    assertThat(t.routes().get(1).origin()).isEqualTo("kernel: 10.0.0.0/16 via 172.31.64.1 dev eth2 proto static");
    assertThat(t.rejected()).extracting(Rejection::reason).satisfiesExactly(
        r -> assertThat(r).contains("nexthop object"),
        r -> assertThat(r).contains("source-specific"));

    // Issue 10: the platform's default route is not written as an entry to keep (it would be adopted).
    assertThat(t.routes().get(0).commentedOut()).isTrue();
    assertThat(t.routes().get(0).note()).startsWith("left commented out: ").contains("replace (adopt) it");
    String written = RoutesFileWriter.write("test", t.routes(), t.rules());
    assertThat(written).contains("\n  # - \"default via 192.0.2.1 dev eth0 override\"\n");
    List<RouteSpec> read = new ConfigLoader(TABLES).parse("routes.yaml", written).routes();
    assertThat(read).extracting(RouteSpec::describe).containsExactly(
        "10.0.0.0/16 via 172.31.64.1 dev eth2",
        "default via 172.31.64.1 dev eth2 table 100",
        "unreachable ::/0 table 100 metric 1024");
  }

  private static RuleMessage rule(String from, String iif, long table, long priority, int protocol, boolean other) {
    return new RuleMessage(Family.INET, from == null ? null : IpPrefix.parse(from).prefix(), null, table,
        FibRules.FR_ACT_TO_TBL, 0, iif, null, OptionalInt.empty(), OptionalInt.empty(), priority, protocol, other);
  }

  @Test
  void capturesConfiguredRulesButNotTheKernelsNorEc2NetUtilsOnes() throws ConfigException, UnknownInterface {
    KernelSnapshot snapshot = new KernelSnapshot(LINKS, List.of(), List.of(), List.of(
        rule(null, null, 255, 0, Rtnetlink.RTPROT_KERNEL, false),
        rule("172.31.64.0/20", null, 100, 1000, 0, false),
        rule(null, "eth2", 200, 1001, 157, false),
        rule("172.31.64.10", null, 10001, 10001, 4, false),
        rule("10.0.0.0/8", null, 100, 1002, 0, true),
        rule(null, null, 254, 32766, Rtnetlink.RTPROT_KERNEL, false)));
    Translation t = new KernelExport(TABLES).export(snapshot, null);
    assertThat(t.rules()).extracting(Entry::text).containsExactly(
        "from 172.31.64.0/20 lookup 100 priority 1000", "iif eth2 lookup 200 priority 1001");
    assertThat(t.rules().get(0).origin()).isEqualTo("kernel: from 172.31.64.0/20 lookup 100 priority 1000 proto unspec");
    assertThat(t.rejected()).singleElement().satisfies(r -> assertThat(r.reason()).contains("selectors"));
    assertThat(new ConfigLoader(TABLES).parse("routes.yaml", RoutesFileWriter.write("t", t.routes(), t.rules()))
        .rules()).hasSize(2);
    assertThat(new KernelExport(TABLES).export(snapshot, "eth2").rules()).extracting(Entry::text)
        .containsExactly("iif eth2 lookup 200 priority 1001");
  }

  @Test
  void aFileOfOnlyTheDefaultRouteDeclaresNoRoutes() throws ConfigException, UnknownInterface {
    KernelSnapshot snapshot = new KernelSnapshot(LINKS, List.of(), List.of(unicast("default", "192.0.2.1", 3, 3, 254)));
    Translation t = new KernelExport(TABLES).export(snapshot, null);
    String written = RoutesFileWriter.write("test", t.routes(), t.rules());
    assertThat(written).contains("routes: []\n").contains("# - \"default via 192.0.2.1 dev eth0 override\"");
    assertThat(new ConfigLoader(TABLES).parse("routes.yaml", written).routes()).isEmpty();
  }

  @Test
  void devKeepsOnlyTheRoutesThroughThatInterface() throws UnknownInterface {
    KernelSnapshot snapshot = new KernelSnapshot(LINKS, List.of(), List.of(
        unicast("default", "192.0.2.1", 3, 3, 254),
        unicast("10.0.0.0/16", "172.31.64.1", 2, 4, 254)));
    assertThat(new KernelExport(TABLES).export(snapshot, "eth2").routes())
        .extracting(Entry::text).containsExactly("10.0.0.0/16 via 172.31.64.1 dev eth2");
  }

  /**
   * --dev eth9 without an eth9 captured nothing and wrote `routes: []`: applied, that removes every
   * route the agent owns. It is an error naming the interfaces there are.
   */
  @Test
  void devOfAnInterfaceTheKernelDoesNotHaveIsAnErrorNamingThoseItHas() {
    KernelSnapshot snapshot = new KernelSnapshot(LINKS, List.of(), List.of(unicast("10.0.0.0/16", "172.31.64.1", 2, 4, 254)));
    assertThatThrownBy(() -> new KernelExport(TABLES).export(snapshot, "eth9"))
        .isInstanceOf(UnknownInterface.class)
        .hasMessage("interface eth9 does not exist; the interfaces are eth0, eth2");
    assertThatThrownBy(() -> new KernelExport(TABLES).export(new KernelSnapshot(List.of(), List.of(), List.of()), "eth2"))
        .hasMessage("interface eth2 does not exist; there is no interface");
  }

  /** An alternative name (`ip link property add dev eth2 altname vpc0`) selects its interface. */
  @Test
  void devMayBeAnAlternativeName() throws UnknownInterface {
    List<LinkMessage> links = List.of(new LinkMessage(2, Rtnetlink.IFF_UP, "eth2", "0a:00:00:00:00:02", List.of("vpc0")),
        LINKS.get(1));
    KernelSnapshot snapshot = new KernelSnapshot(links, List.of(), List.of(
        unicast("default", "192.0.2.1", 3, 3, 254),
        unicast("10.0.0.0/16", "172.31.64.1", 2, 4, 254)), List.of(rule(null, "eth2", 200, 1001, 157, false)));
    Translation t = new KernelExport(TABLES).export(snapshot, "vpc0");
    assertThat(t.routes()).extracting(Entry::text).containsExactly("10.0.0.0/16 via 172.31.64.1 dev eth2");
    assertThat(t.rules()).extracting(Entry::text).containsExactly("iif eth2 lookup 200 priority 1001");
  }

  @Test
  void aMultipathRouteIsWrittenWithItsNextHopsWithoutTheKernelsLivenessMarks() throws ConfigException, UnknownInterface {
    List<LinkMessage> links = List.of(LINKS.get(0), LINKS.get(1),
        new LinkMessage(4, Rtnetlink.IFF_UP, "eth3", "0a:00:00:00:00:04", List.of()));
    RouteMessage ecmp = new RouteMessage(Family.INET, IpPrefix.parse("10.0.0.0/16").prefix(), 0, 254, 3,
        Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RTN_UNICAST, 0, null, 0, OptionalInt.of(50), null, OptionalInt.empty(),
        false, true, List.of(
            new NextHop(Rtnetlink.RTNH_F_ONLINK, 1, 2, IpAddresses.parse("172.31.64.1").orElseThrow()),
            new NextHop(Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN, 3, 4,
                IpAddresses.parse("172.31.80.1").orElseThrow())));
    KernelSnapshot snapshot = new KernelSnapshot(links, List.of(), List.of(ecmp));

    Translation all = new KernelExport(TABLES).export(snapshot, null);
    assertThat(all.rejected()).isEmpty();
    assertThat(all.routes()).extracting(Entry::text).containsExactly(
        "10.0.0.0/16 metric 50 nexthop via 172.31.64.1 dev eth2 weight 1 onlink nexthop via 172.31.80.1 dev eth3 weight 3");
    RouteSpec read = new ConfigLoader(TABLES).parse("routes.yaml",
        RoutesFileWriter.write("test", all.routes(), all.rules())).routes().get(0);
    assertThat(read.nexthops()).hasSize(2);

    // --dev keeps a route one of whose next hops leaves by that interface
    assertThat(new KernelExport(TABLES).export(snapshot, "eth3").routes()).hasSize(1);
    assertThat(new KernelExport(TABLES).export(snapshot, "eth0").routes()).isEmpty();
  }
}
