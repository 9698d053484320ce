package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import io.routeagent.testing.Mutations;

/**
 * Mutations of valid routes files, read as the daemon reads them (from a file, through {@link
 * ConfigLoader#load}): each is either a config or a {@link ConfigException} with at least one
 * problem, never another exception (which the CLI would show as a stack trace with exit status
 * other than 0 or 1), and each costs well under two seconds of CPU. CPU time, not wall time: a
 * loaded CI machine must not fail this.
 */
class RoutesFileFuzzProperties {
  private static final ConfigLoader LOADER =
      new ConfigLoader(TableNames.of(Map.of("vpc", 100L)));
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long CPU_LIMIT_NANOS = 2_000_000_000L;

  static final List<String> SEEDS = List.of(
      """
      routes:
        - to: 10.0.0.0/16
          via: 172.31.64.1
          dev: eth2
          metric: 100
        - "192.168.0.0/16 via subnet-router dev eth2 table vpc"
        - { to: 169.254.169.254/32, type: prohibit }
        - { to: "fd00::/64", via: "fe80::1", dev: { mac: "0a:1b:2c:3d:4e:5f" }, onlink: true }
      rules:
        - { from: 172.31.64.0/20, table: 100, priority: 1000 }
        - "from all fwmark 0x1 lookup vpc priority 1100"
      """,
      """
      routes:
        - &r { to: 10.1.0.0/16, via: subnet-router, dev: { subnet: 172.31.0.0/16 } }
        - { <<: *r, to: 10.2.0.0/16 }
        - 10.3.0.0/16 via 172.31.64.1
      """,
      "routes: []\n");

  /** The routes file's own words, besides the YAML pieces every file may meet. */
  static final List<String> PIECES = Mutations.with(Mutations.YAML_PIECES,
      "to: ", "via: ", "dev: ", "metric: ", "table: ", "type: ", "rules:", "routes:", "nexthops: ",
      "priority: ", "from: ", "override: true", "adopt: true", "eth2", "{ mac: zz }",
      "{ subnet: 300.1.1.1/8 }", "via fe80::1 dev");

  private static Path dir;

  @BeforeContainer
  static void makeDirectory() throws java.io.IOException {
    dir = Files.createTempDirectory("routes-fuzz");
  }

  @Provide
  Arbitrary<String> mutatedFiles() {
    return Mutations.of(SEEDS, PIECES);
  }

  @Property(tries = 2000)
  void aMutatedFileIsAConfigOrProblemsAndNothingElse(@ForAll("mutatedFiles") String text) throws Exception {
    Path file = dir.resolve("routes.yaml");
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    long cpuBefore = THREADS.getCurrentThreadCpuTime();
    try {
      LOADER.load(file);
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.getMessage()).doesNotContain("x".repeat(Quoted.MAX + 1));
    }
    assertThat(THREADS.getCurrentThreadCpuTime() - cpuBefore).isLessThan(CPU_LIMIT_NANOS);
  }

  @AfterContainer
  static void removeDirectory() throws java.io.IOException {
    Files.deleteIfExists(dir.resolve("routes.yaml"));
    Files.deleteIfExists(dir);
  }
}
