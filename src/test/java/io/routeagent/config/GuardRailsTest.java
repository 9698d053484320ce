package io.routeagent.config;

import static io.routeagent.config.Yaml.assertProblem;
import static io.routeagent.config.Yaml.entry;
import static io.routeagent.config.Yaml.entryProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuardRailsTest {
  private static final List<IpPrefix> CONNECTED =
      List.of(
          IpPrefix.parse("172.31.64.0/20").prefix(), IpPrefix.parse("2001:db8:1::/64").prefix());

  @Test
  void aDefaultRouteInTheMainTableNeedsOverride() throws ConfigException {
    ConfigProblem p = entryProblem("default via 172.31.0.1 dev eth0");
    assertProblem(p, 2, 5, "a default route in the main table");
    assertThat(p.hint()).contains("override: true");
    assertProblem(entryProblem("{ to: 0.0.0.0/0, dev: eth0 }"), 2, 11, "a default route");
    assertProblem(entryProblem("{ to: \"::/0\", dev: eth0 }"), 2, 11, "a default route");

    assertThat(entry("default via 172.31.0.1 dev eth0 override").override()).isTrue();
    assertThat(entry("{ to: default, via: 172.31.0.1, override: true }").override()).isTrue();
    assertThat(entry("default via 172.31.0.1 dev eth0 table 100").table()).isEqualTo(100);
  }

  @ParameterizedTest
  @ValueSource(strings = {"169.254.169.254", "169.254.0.0/16", "169.0.0.0/8", "128.0.0.0/1"})
  void destinationsHoldingTheMetadataServiceNeedOverride(String to) throws ConfigException {
    ConfigProblem p = entryProblem(to + " via 172.31.64.1 dev eth2");
    assertProblem(p, 2, 5, "contains the instance metadata service 169.254.169.254");
    assertThat(p.message()).contains("cut the notebook off its instance metadata");
    assertThat(p.hint()).contains("override: true");
    assertThat(entry(to + " via 172.31.64.1 dev eth2 override").override()).isTrue();
  }

  @Test
  void theIpv6MetadataServiceToo() {
    assertProblem(entryProblem("fd00:ec2::/32 dev eth0"), 2, 5, "fd00:ec2::254");
  }

  @ParameterizedTest
  @ValueSource(strings = {"prohibit", "blackhole", "unreachable"})
  void blockingTheMetadataServiceItselfIsAllowed(String type) throws ConfigException {
    assertThat(entry("{ to: 169.254.169.254/32, type: " + type + " }").type().keyword())
        .isEqualTo(type);
    assertThat(entry(type + " fd00:ec2::254").to().isHost()).isTrue();
  }

  @Test
  void blockingMoreThanTheMetadataServiceNeedsOverride() {
    assertProblem(entryProblem("prohibit 169.254.0.0/16"), 2, 14, "contains the instance metadata");
    assertProblem(entryProblem("throw 169.254.169.254"), 2, 11, "contains the instance metadata");
  }

  @Test
  void otherTablesAreNotGuarded() throws ConfigException {
    assertThat(entry("169.254.169.254 via 10.0.0.1 table 100").table()).isEqualTo(100);
  }

  @Test
  void aRouteInsideAConnectedSubnetIsRefused() throws ConfigException {
    assertThat(GuardRails.connectedConflict(entry("172.31.64.0/20 dev eth2"), CONNECTED))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith("172.31.64.0/20 is the directly connected subnet 172.31.64.0/20:")
                    .contains("take local traffic off its link", "override: true"));
    assertThat(GuardRails.connectedConflict(entry("172.31.70.0/24 via 10.0.0.1"), CONNECTED))
        .hasValueSatisfying(m -> assertThat(m).contains("lies inside"));
    assertThat(GuardRails.connectedConflict(entry("2001:db8:1::5 dev eth0"), CONNECTED))
        .isPresent();
  }

  @Test
  void aWiderPrefixOrAnotherTableOrOverrideIsFine() throws ConfigException {
    assertThat(GuardRails.connectedConflict(entry("172.16.0.0/12 via 172.31.64.1"), CONNECTED))
        .isEmpty();
    assertThat(GuardRails.connectedConflict(entry("172.31.64.0/24 dev eth2 table 9"), CONNECTED))
        .isEmpty();
    assertThat(GuardRails.connectedConflict(entry("172.31.64.0/24 dev eth2 override"), CONNECTED))
        .isEmpty();
    assertThat(GuardRails.connectedConflict(entry("10.0.0.0/8 dev eth2"), CONNECTED)).isEmpty();
    assertThat(GuardRails.connectedConflict(entry("2001:db8::/32 dev eth2"), CONNECTED)).isEmpty();
  }

  @Test
  void blockingTheMetadataServiceIsFineEvenWhenConnected() throws ConfigException {
    RouteSpec block = entry("prohibit 169.254.169.254");
    assertThat(
            GuardRails.connectedConflict(block, List.of(IpPrefix.parse("169.254.0.0/16").prefix())))
        .isEmpty();
  }
}
