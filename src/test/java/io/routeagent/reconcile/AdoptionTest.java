package io.routeagent.reconcile;

import static io.routeagent.reconcile.Specs.config;
import static io.routeagent.reconcile.Specs.via;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.config.DesiredConfig;
import io.routeagent.config.Policy;
import io.routeagent.config.TableNames;
import io.routeagent.kernel.ErrnoPolicy;
import io.routeagent.net.Family;
import io.routeagent.net.IpAddresses;
import io.routeagent.net.IpPrefix;
import io.routeagent.netlink.NextHop;
import io.routeagent.netlink.RouteMessage;
import io.routeagent.netlink.Rtnetlink;
import io.routeagent.state.DisplacedRouteFile;
import io.routeagent.testing.FakeKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, reproduction 3: an entry that replaces another owner's route (the platform's default
 * route) adopts it; when the entry leaves the file the original must come back as it was, even
 * after a crash in between, and a policy without adoption refuses the entry.
 */
class AdoptionTest {
  static final int PROTO = 157;
  static final int RTPROT_BOOT = 3;
  static final int RTPROT_DHCP = 16;

  @TempDir Path state;
  final FakeKernel kernel = new FakeKernel();
  final List<String> warnings = new ArrayList<>();
  /** The notebook's default route: eth0's gateway, installed at boot. */
  final RouteMessage platformDefault = new RouteMessage(Family.INET, IpPrefix.defaultRoute(Family.INET), 0,
      Rtnetlink.RT_TABLE_MAIN, RTPROT_BOOT, Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RTN_UNICAST, 0,
      IpAddresses.parse("192.0.2.1").orElseThrow(), 3, OptionalInt.empty(),
      IpAddresses.parse("192.0.2.10").orElseThrow(), OptionalInt.of(9001), false, false, List.of());
  /** `{ to: default, via: subnet-router, dev: eth2, override: true }`, resolved. */
  final DesiredConfig overrideDefault = config(via("0.0.0.0/0", "172.31.64.1", "eth2"));
  final DesiredConfig nothing = config();

  /** {@code config} under an admin policy that leaves out {@code adopt} (so: no adoption). */
  static DesiredConfig withoutAdoption(DesiredConfig config) throws Exception {
    Policy policy = Policy.parse("policy.yaml", "allow: {}\n", TableNames.of(java.util.Map.of()));
    return new DesiredConfig(config.routes(), config.files(), config.rules(), policy);
  }

  DisplacedRouteFile recordFile() {
    return new DisplacedRouteFile(state.resolve("net.displaced-routes"), warnings::add);
  }

  /** A fresh reconciler, as a new process would make one: it knows only what the file says. */
  Reconciler reconciler() {
    return new Reconciler(kernel, new Planner(PROTO), null, recordFile());
  }

  @Test
  void anAdoptedRouteComesBackAsItWasWhenItsEntryGoes() throws Exception {
    kernel.withRoutes(platformDefault);
    Reconciler reconciler = reconciler();

    ApplyResult adopted = reconciler.apply(overrideDefault);
    assertThat(adopted.failed()).isFalse();
    assertThat(adopted.results()).singleElement().satisfies(r -> {
      assertThat(r.change().op()).isEqualTo(Change.Op.REPLACE);
      assertThat(r.change().reason()).contains("proto boot").contains("recorded, and put back");
    });
    assertThat(kernel.routesNow()).singleElement().satisfies(r -> assertThat(r.protocol()).isEqualTo(PROTO));
    assertThat(recordFile().load().routes()).extracting(DisplacedRoutes.Displaced::route)
        .containsExactly(platformDefault);

    Plan plan = reconciler.plan(nothing);
    assertThat(plan.changes()).singleElement().hasToString(
        "restore default via 192.0.2.1 dev eth0 src 192.0.2.10 mtu 9001 (proto boot, displaced by default via"
            + " 172.31.64.1 dev eth2 proto 157)");

    ApplyResult removed = reconciler.apply(nothing);
    assertThat(removed.failed()).isFalse();
    assertThat(kernel.routesNow()).containsExactly(platformDefault);
    assertThat(kernel.requests()).noneMatch(q -> q.kind() == io.routeagent.kernel.RouteRequest.Kind.DELETE);
    assertThat(recordFile().load().isEmpty()).isTrue();
    assertThat(reconciler.plan(nothing).inSync()).isTrue();
    assertThat(warnings).isEmpty();
  }

  @Test
  void aCrashBetweenAdoptionAndRemovalStillRestores() throws Exception {
    kernel.withRoutes(platformDefault);
    assertThat(reconciler().apply(overrideDefault).failed()).isFalse();
    // kill -9: the next process has only the record on disk.
    ApplyResult removed = reconciler().apply(nothing);
    assertThat(removed.results()).singleElement()
        .satisfies(r -> assertThat(r.change().op()).isEqualTo(Change.Op.RESTORE));
    assertThat(kernel.routesNow()).containsExactly(platformDefault);
  }

  @Test
  void theRecordIsOnDiskBeforeTheReplaceIsSent() throws Exception {
    kernel.withRoutes(platformDefault);
    Path blocked = state.resolve("not-a-directory");
    Files.writeString(blocked, "");
    Reconciler reconciler = new Reconciler(kernel, new Planner(PROTO), null,
        new DisplacedRouteFile(blocked.resolve("net.displaced-routes"), warnings::add));
    DesiredConfig both = config(via("0.0.0.0/0", "172.31.64.1", "eth2"), via("10.0.0.0/16", "172.31.64.1", "eth2"));

    ApplyResult result = reconciler.apply(both);

    assertThat(result.failed()).isTrue();
    assertThat(result.results()).filteredOn(r -> r.verdict() == ErrnoPolicy.Verdict.FAILED).singleElement()
        .satisfies(r -> assertThat(r.message()).startsWith("not replacing default via 172.31.64.1 dev eth2: ")
            .contains("cannot be recorded")
            .endsWith(": cannot write " + blocked.resolve("net.displaced-routes") + " (" + blocked
                + ": it cannot be made a directory: EEXIST File exists)"));
    assertThat(kernel.routesNow()).contains(platformDefault).hasSize(2);
  }

  @Test
  void aRestoreWaitsForItsInterfaceAndKeepsTheRecord() throws Exception {
    kernel.withRoutes(platformDefault);
    Reconciler reconciler = reconciler();
    reconciler.apply(overrideDefault);
    var eth0 = kernel.linksNow().get(1);
    kernel.withoutLinks(l -> l.index() == eth0.index());

    ApplyResult waiting = reconciler.apply(nothing);
    assertThat(waiting.results()).singleElement().satisfies(r -> {
      assertThat(r.verdict()).isEqualTo(ErrnoPolicy.Verdict.WAITING);
      assertThat(r.message()).startsWith("ENODEV restoring default via 192.0.2.1");
    });
    assertThat(recordFile().load().size()).isEqualTo(1);

    kernel.withLink(eth0);
    reconciler().apply(nothing);
    assertThat(kernel.routesNow()).containsExactly(platformDefault);
    assertThat(recordFile().load().isEmpty()).isTrue();
  }

  @Test
  void aRouteItsOwnerTookBackIsLeftAloneAndForgotten() throws Exception {
    kernel.withRoutes(platformDefault);
    reconciler().apply(overrideDefault);
    RouteMessage renewed = new RouteMessage(Family.INET, IpPrefix.defaultRoute(Family.INET), 0,
        Rtnetlink.RT_TABLE_MAIN, RTPROT_DHCP, Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RTN_UNICAST, 0,
        IpAddresses.parse("172.31.64.1").orElseThrow(), 2, OptionalInt.empty(), null, OptionalInt.empty(),
        false, false, List.of());
    kernel.withoutRoutes(r -> true).withRoutes(renewed);
    kernel.forgetRequests();

    ApplyResult result = reconciler().apply(nothing);
    assertThat(result.results()).isEmpty();
    assertThat(kernel.requests()).isEmpty();
    assertThat(kernel.routesNow()).containsExactly(renewed);
    assertThat(recordFile().load().isEmpty()).isTrue();
  }

  /** The daemon's repair, when another owner replaces our route: theirs is recorded before ours goes back. */
  @Test
  void aRepairOverAnotherOwnersRouteRecordsItAndItComesBackWhenTheEntryGoes() throws Exception {
    Planner planner = new Planner(PROTO);
    Reconciler reconciler = new Reconciler(kernel, planner, null, recordFile());
    InstalledRoutes installed = InstalledRoutes.of(planner, overrideDefault, reconciler.apply(overrideDefault));
    kernel.withoutRoutes(r -> true).withRoutes(platformDefault);

    Change repair = installed.repair(platformDefault, false);
    assertThat(repair.adopts()).isTrue();
    assertThat(reconciler.execute(List.of(repair))).singleElement()
        .satisfies(r -> assertThat(r.verdict()).isEqualTo(ErrnoPolicy.Verdict.DONE));
    assertThat(kernel.routesNow()).singleElement().satisfies(r -> assertThat(r.protocol()).isEqualTo(PROTO));
    assertThat(recordFile().load().routes()).extracting(DisplacedRoutes.Displaced::route)
        .containsExactly(platformDefault);

    reconciler().apply(nothing);
    assertThat(kernel.routesNow()).containsExactly(platformDefault);
  }

  @Test
  void withoutAdoptionARepairDoesNotFightAnotherOwner() throws Exception {
    Planner planner = new Planner(PROTO);
    Reconciler reconciler = new Reconciler(kernel, planner, null, recordFile());
    InstalledRoutes installed = InstalledRoutes.of(planner, overrideDefault, reconciler.apply(overrideDefault));
    // The policy changes (now without adopt) and the config is reconciled before the repair.
    reconciler.apply(withoutAdoption(overrideDefault));
    kernel.withoutRoutes(r -> true).withRoutes(platformDefault);
    kernel.forgetRequests();

    List<ChangeResult> results = reconciler.execute(List.of(installed.repair(platformDefault, false)));

    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.verdict()).isEqualTo(ErrnoPolicy.Verdict.FAILED);
      assertThat(r.message()).endsWith("adoption not allowed by the admin policy");
    });
    assertThat(kernel.requests()).isEmpty();
    assertThat(kernel.routesNow()).containsExactly(platformDefault);
  }

  /** What goes back is the route displaced last: an older record describes a route already gone. */
  @Test
  void aRouteDisplacedAgainIsTheOneThatComesBack() throws Exception {
    kernel.withRoutes(platformDefault);
    reconciler().apply(overrideDefault);
    RouteMessage renewed = new RouteMessage(Family.INET, IpPrefix.defaultRoute(Family.INET), 0,
        Rtnetlink.RT_TABLE_MAIN, RTPROT_DHCP, Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RTN_UNICAST, 0,
        IpAddresses.parse("192.0.2.254").orElseThrow(), 3, OptionalInt.empty(), null, OptionalInt.empty(),
        false, false, List.of());
    kernel.withoutRoutes(r -> true).withRoutes(renewed);
    reconciler().apply(overrideDefault);
    assertThat(kernel.routesNow()).singleElement().satisfies(r -> assertThat(r.protocol()).isEqualTo(PROTO));

    reconciler().apply(nothing);
    assertThat(kernel.routesNow()).containsExactly(renewed);
  }

  @Test
  void withoutAdoptionTheEntryIsRefusedAndNothingChanges() throws Exception {
    kernel.withRoutes(platformDefault);
    Reconciler reconciler = reconciler();

    ApplyResult result = reconciler.apply(withoutAdoption(overrideDefault));

    assertThat(result.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.REFUSED);
      assertThat(s.reason()).isEqualTo("adoption not allowed by the admin policy: default via 192.0.2.1 dev eth0"
          + " src 192.0.2.10 mtu 9001 proto boot");
    });
    assertThat(result.failed()).isTrue();
    assertThat(kernel.requests()).isEmpty();
    assertThat(kernel.routesNow()).containsExactly(platformDefault);
    assertThat(recordFile().load().isEmpty()).isTrue();
  }

  /** The platform's default route through two gateways, as a dump shows it (eth2's next hop dead). */
  final RouteMessage multipathDefault = new RouteMessage(Family.INET, IpPrefix.defaultRoute(Family.INET), 0,
      Rtnetlink.RT_TABLE_MAIN, RTPROT_BOOT, Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RTN_UNICAST, 0, null, 0,
      OptionalInt.empty(), null, OptionalInt.empty(), false, true, List.of(
          new NextHop(0, 1, 3, IpAddresses.parse("192.0.2.1").orElseThrow()),
          new NextHop(Rtnetlink.RTNH_F_DEAD | Rtnetlink.RTNH_F_LINKDOWN | Rtnetlink.RTNH_F_ONLINK, 3, 2,
              IpAddresses.parse("172.31.64.9").orElseThrow())));

  @Test
  void aMultipathRouteOfAnotherOwnerIsAdoptedAndComesBackWhole() throws Exception {
    kernel.withRoutes(multipathDefault);
    Reconciler reconciler = reconciler();

    ApplyResult adopted = reconciler.apply(overrideDefault);
    assertThat(adopted.failed()).isFalse();
    assertThat(adopted.results()).singleElement().satisfies(r -> {
      assertThat(r.change().op()).isEqualTo(Change.Op.REPLACE);
      assertThat(r.change().reason()).contains("recorded, and put back");
    });
    assertThat(kernel.routesNow()).singleElement().satisfies(r -> assertThat(r.multipath()).isFalse());
    assertThat(recordFile().load().routes()).singleElement().satisfies(d -> {
      assertThat(d.route()).isEqualTo(multipathDefault);
      assertThat(d.nextHopDevs()).containsExactly("eth0", "eth2");
    });

    // a new process, with only the record: the route comes back with both next hops and their weights
    ApplyResult removed = reconciler().apply(nothing);
    assertThat(removed.failed()).isFalse();
    assertThat(removed.results()).singleElement()
        .satisfies(r -> assertThat(r.change().op()).isEqualTo(Change.Op.RESTORE));
    assertThat(kernel.routesNow()).singleElement().satisfies(r -> {
      assertThat(r.protocol()).isEqualTo(RTPROT_BOOT);
      assertThat(r.nextHops()).containsExactlyInAnyOrder(
          new NextHop(0, 1, 3, IpAddresses.parse("192.0.2.1").orElseThrow()),
          new NextHop(Rtnetlink.RTNH_F_ONLINK, 3, 2, IpAddresses.parse("172.31.64.9").orElseThrow()));
    });
    assertThat(recordFile().load().isEmpty()).isTrue();
    assertThat(warnings).isEmpty();
  }

  @Test
  void aMultipathRouteOfAnotherOwnerIsRefusedWithoutAdoption() throws Exception {
    kernel.withRoutes(multipathDefault);
    ApplyResult result = reconciler().apply(withoutAdoption(overrideDefault));
    assertThat(result.statuses()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(RouteState.REFUSED);
      assertThat(s.reason()).startsWith("adoption not allowed by the admin policy: default nexthop via 192.0.2.1");
    });
    assertThat(kernel.requests()).isEmpty();
    assertThat(kernel.routesNow()).containsExactly(multipathDefault);
  }

  @Test
  void aMultipathRecordReadsBackAndAnOldRecordIsStillRead() {
    DisplacedRoutes record = DisplacedRoutes.of(List.of(
        new DisplacedRoutes.Displaced(multipathDefault, null, List.of("eth0", ""))));
    String text = record.format();
    assertThat(text).contains("via= oif=0 dev= metric= src= mtu= nexthop=192.0.2.1/eth0/3/1/0x0"
        + " nexthop=172.31.64.9//2/3/0x" + Integer.toHexString(multipathDefault.nextHops().get(1).flags()) + "\n");
    assertThat(DisplacedRoutes.parse(text)).isEqualTo(record);

    // as written before next hops were recorded
    DisplacedRoutes old = DisplacedRoutes.parse("route-agent displaced routes 1\n"
        + "inet table=254 to=0.0.0.0/0 tos=0 proto=3 scope=0 type=1 flags=0x0 via=192.0.2.1 oif=3 dev=eth0 metric="
        + " src=192.0.2.10 mtu=9001\n");
    assertThat(old.routes()).singleElement().satisfies(d -> {
      assertThat(d.route()).isEqualTo(platformDefault);
      assertThat(d.dev()).isEqualTo("eth0");
      assertThat(d.nextHopDevs()).isEmpty();
    });
    for (String bad : List.of("nexthop=192.0.2.1/eth0/3/1/0x0", "nexthop=192.0.2.1/eth0/3/0/0x0 nexthop=192.0.2.2//3/1/0x0",
        "nexthop=2001:db8::1//3/1/0x0 nexthop=192.0.2.2//3/1/0x0", "nexthop=192.0.2.1/eth0/3/1")) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> DisplacedRoutes.parse(
          "route-agent displaced routes 1\ninet table=254 to=0.0.0.0/0 tos=0 proto=3 scope=0 type=1 flags=0x0 via="
              + " oif=0 dev= metric= src= mtu= " + bad + "\n")))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("line 2: ");
    }
  }

  @Test
  void theRecordReadsBackWhatItWrote() {
    RouteMessage v6 = new RouteMessage(Family.INET6, IpPrefix.parse("2001:db8::/32").prefix(), 0, 100, RTPROT_DHCP,
        Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RTN_UNICAST, Rtnetlink.RTNH_F_ONLINK,
        IpAddresses.parse("fe80::1").orElseThrow(), 2, OptionalInt.of(1024), null, OptionalInt.of(1400), false, false,
        List.of());
    RouteMessage blackhole = new RouteMessage(Family.INET, IpPrefix.parse("10.9.0.0/16").prefix(), 0,
        4000000000L, 4, Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RTN_BLACKHOLE, 0, null, 0,
        OptionalInt.of(-1), null, OptionalInt.empty(), false, false, List.of());
    DisplacedRoutes record = DisplacedRoutes.of(List.of(
        new DisplacedRoutes.Displaced(platformDefault, "eth0"),
        new DisplacedRoutes.Displaced(v6, "eth2"),
        new DisplacedRoutes.Displaced(blackhole, null)));
    assertThat(DisplacedRoutes.parse(record.format())).isEqualTo(record);
    assertThat(record.format()).contains(
        "inet table=254 to=0.0.0.0/0 tos=0 proto=3 scope=0 type=1 flags=0x0 via=192.0.2.1 oif=3 dev=eth0 metric="
            + " src=192.0.2.10 mtu=9001\n");
  }
}
