package io.routeagent.config;

import static io.routeagent.config.Yaml.assertProblem;
import static io.routeagent.config.Yaml.columnOf;
import static io.routeagent.config.Yaml.entryProblem;
import static io.routeagent.config.Yaml.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** `dev` as a name, `{ mac: … }`, `{ subnet: … }`, or the one-line `mac:…` / `subnet:…`. */
class DeviceSelectorTest {
  @Test
  void aMacSelectorIsReadCaseInsensitively() throws ConfigException {
    RouteSpec spec = Yaml.entry("{ to: 10.0.0.0/16, via: subnet-router, dev: { mac: 0A:1b:2C:3d:4E:5f } }");
    assertThat(spec.dev()).isEqualTo(new DeviceSelector.Mac("0a:1b:2c:3d:4e:5f"));
    assertThat(spec.describe()).isEqualTo("10.0.0.0/16 via subnet-router dev mac:0a:1b:2c:3d:4e:5f");
  }

  @Test
  void aSubnetSelectorTakesIpv4AndIpv6() throws ConfigException {
    assertThat(Yaml.entry("{ to: 10.0.0.0/16, via: subnet-router, dev: { subnet: 172.31.0.0/16 } }").dev())
        .isEqualTo(new DeviceSelector.Subnet(IpPrefix.parse("172.31.0.0/16").prefix()));
    assertThat(Yaml.entry("{ to: 2001:db8:9::/48, dev: { subnet: \"2001:db8:1::/64\" } }").describe())
        .isEqualTo("2001:db8:9::/48 dev subnet:2001:db8:1::/64");
  }

  @Test
  void aBlockMappingWorksToo() throws ConfigException {
    RouteSpec spec =
        Yaml.route(
            "routes:\n  - to: 10.0.0.0/16\n    via: subnet-router\n    dev:\n      subnet: 172.31.0.0/16\n");
    assertThat(spec.dev()).isInstanceOf(DeviceSelector.Subnet.class);
  }

  @Test
  void theOneLineFormSpellsSelectorsWithAPrefix() throws ConfigException {
    assertThat(Yaml.entry("\"10.0.0.0/16 via subnet-router dev mac:0a:1b:2c:3d:4e:5f\"").dev())
        .isEqualTo(new DeviceSelector.Mac("0a:1b:2c:3d:4e:5f"));
    assertThat(Yaml.entry("\"10.0.0.0/16 via subnet-router dev subnet:172.31.0.0/16\"").dev())
        .isEqualTo(new DeviceSelector.Subnet(IpPrefix.parse("172.31.0.0/16").prefix()));
    // The mapping form takes the same words as a plain value.
    assertThat(Yaml.entry("{ to: 10.0.0.0/16, dev: \"mac:0a:1b:2c:3d:4e:5f\" }").dev())
        .isEqualTo(new DeviceSelector.Mac("0a:1b:2c:3d:4e:5f"));
  }

  @Test
  void namesDescribeAsBefore() throws ConfigException {
    assertThat(Yaml.entry("{ to: 10.0.0.0/16, via: subnet-router, dev: eth2 }").describe())
        .isEqualTo("10.0.0.0/16 via subnet-router dev eth2");
  }

  @Test
  void subnetRouterWorksWithEachSelectorAndARejectTypeTakesNone() {
    assertProblem(
        entryProblem("{ to: 10.0.0.0/16, type: blackhole, dev: { mac: 0a:1b:2c:3d:4e:5f } }"),
        2,
        columnOf("{ to: 10.0.0.0/16, type: blackhole, dev: { mac: 0a:1b:2c:3d:4e:5f } }", "{ mac"),
        "a blackhole route takes no `dev`");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0a:1b:2c:3d:4e",
        "0a:1b:2c:3d:4e:5f:60",
        "0a-1b-2c-3d-4e-5f",
        "0g:1b:2c:3d:4e:5f",
        "a:1b:2c:3d:4e:5ff",
        "0a1b2c3d4e5f"
      })
  void badMacs(String mac) {
    String entry = "{ to: 10.0.0.0/16, dev: { mac: \"" + mac + "\" } }";
    assertProblem(entryProblem(entry), 2, columnOf(entry, "\"" + mac), "\"" + mac + "\" is not a MAC address");
    String line = "10.0.0.0/16 dev mac:" + mac;
    assertProblem(entryProblem("\"" + line + "\""), 2, columnOf("\"" + line, "mac:"), "is not a MAC address");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "172.31.0.0/33  | is longer than 32 bits",
        "172.31.0.1/16  | did you mean 172.31.0.0/16?",
        "172.31/16      | the address is not an IPv4 or IPv6 address",
        "vpc            | the address is not an IPv4 or IPv6 address"
      })
  void badSubnets(String subnet, String fragment) {
    String entry = "{ to: 10.0.0.0/16, dev: { subnet: " + subnet + " } }";
    assertProblem(entryProblem(entry), 2, columnOf(entry, subnet), fragment)
        .satisfies(p -> assertThat(p.message()).startsWith("\"" + subnet + "\" is not a valid subnet: "));
    String line = "10.0.0.0/16 dev subnet:" + subnet;
    assertProblem(entryProblem("\"" + line + "\""), 2, columnOf("\"" + line, "subnet:"), fragment);
  }

  @Test
  void anUnknownKeySuggestsTheRightOne() {
    String entry = "{ to: 10.0.0.0/16, dev: { mca: 0a:1b:2c:3d:4e:5f } }";
    ConfigProblem p = entryProblem(entry);
    assertProblem(p, 2, columnOf(entry, "mca"), "unknown key \"mca\" in `dev`");
    assertThat(p.hint()).startsWith("Did you mean \"mac\"?");
  }

  @Test
  void bothKeysAtOnceAreRefusedAtTheSecond() {
    String entry = "{ to: 10.0.0.0/16, dev: { mac: 0a:1b:2c:3d:4e:5f, subnet: 172.31.0.0/16 } }";
    assertProblem(entryProblem(entry), 2, columnOf(entry, "subnet"), "not both");
  }

  @Test
  void anEmptyMappingIsRefused() {
    String entry = "{ to: 10.0.0.0/16, dev: {} }";
    ConfigProblem p = entryProblem(entry);
    assertProblem(p, 2, columnOf(entry, "{}"), "`dev` is an empty mapping");
    assertThat(p.hint()).contains("dev: { mac:");
  }

  @Test
  void aKeyGivenTwiceInTheSelectorIsOneProblem() {
    ConfigProblem p =
        problem(
            "routes:\n  - to: 10.0.0.0/16\n    dev:\n      mac: 0a:1b:2c:3d:4e:5f\n      mac: 0a:1b:2c:3d:4e:60\n");
    assertProblem(p, 5, 7, "duplicate key \"mac\"");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{ mac: 42 }         | `mac` takes a string, not a number",
        "{ mac: }            | `mac` has no value",
        "{ subnet: [a, b] }  | `subnet` takes a single value, not a list"
      })
  void valuesOfTheWrongKind(String dev, String fragment) {
    String entry = "{ to: 10.0.0.0/16, dev: " + dev + " }";
    ConfigProblem p = entryProblem(entry);
    assertThat(p.message()).contains(fragment);
    assertThat(p.location().line()).isEqualTo(2);
  }

  @Test
  void twoRoutesWithTheSameKeyAreDuplicatesWhateverTheirSelectors() {
    assertThat(
            Yaml.problems(
                "routes:\n"
                    + "  - { to: 10.0.0.0/16, dev: { mac: 0a:1b:2c:3d:4e:5f } }\n"
                    + "  - { to: 10.0.0.0/16, dev: { subnet: 172.31.0.0/16 } }\n"))
        .singleElement()
        .satisfies(p -> assertProblem(p, 3, 5, "duplicate route 10.0.0.0/16"));
  }

  @Test
  void aLargeFileWithSelectorsReadsTheSameAsASmallOne() throws ConfigException {
    StringBuilder yaml = new StringBuilder("routes:\n");
    for (int i = 0; i < 5000; i++) {
      yaml.append("  - { to: 10.").append(i / 256).append('.').append(i % 256)
          .append(".0/24, via: subnet-router, dev: { mac: 0a:00:00:00:00:02 } }\n");
    }
    assertThat(Yaml.routes(yaml.toString()))
        .hasSize(5000)
        .allSatisfy(r -> assertThat(r.dev()).isEqualTo(new DeviceSelector.Mac("0a:00:00:00:00:02")));
  }
}
