package io.routeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.Mutations;
import io.routeagent.testing.RootOnly;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@code route-agent --policy P --config F check} on mutations of a valid routes file and a valid
 * policy, as the command line runs it: the exit status is 0 or 1, the output holds no stack trace,
 * and each run costs under two seconds of CPU (thread CPU time: a loaded machine does not fail it).
 */
class CheckFuzzProperties {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long CPU_LIMIT_NANOS = 2_000_000_000L;

  private static final String ROUTES = """
      routes:
        - to: 10.0.0.0/16
          via: 172.31.64.1
          dev: eth2
        - "10.20.0.0/16 via subnet-router dev eth2 table 100"
        - { to: 10.30.0.0/16, type: blackhole }
      rules:
        - { from: 172.31.64.0/20, table: 100, priority: 1000 }
      """;
  private static final String POLICY = """
      allow:
        destinations: [10.0.0.0/8]
        gateways: [subnet-router, 172.31.0.0/16]
        interfaces: [eth2, { subnet: 172.31.0.0/16 }]
        tables: [main, 100-199]
        types: [unicast, blackhole]
        rules: { priorities: 1000-1999, tables: [100-199] }
      """;
  private static final List<String> PIECES = Mutations.with(Mutations.YAML_PIECES, "allow:", "routes:",
      "rules:", "to: ", "via: ", "dev: ", "table: ", "priority: ", "destinations: ", "override: true",
      "adopt: true", "eth2", "{ subnet: ");

  private static Path dir;

  /** The policy must be root's and not writable by others to be read at all. */
  @BeforeContainer
  static void makeDirectory() throws IOException {
    RootOnly.require();
    dir = Files.createTempDirectory("check-fuzz");
  }

  @AfterContainer
  static void removeDirectory() throws IOException {
    if (dir != null) {
      for (String name : List.of("routes.yaml", "policy.yaml")) {
        Files.deleteIfExists(dir.resolve(name));
      }
      Files.deleteIfExists(dir);
    }
  }

  @Provide
  Arbitrary<String> routes() {
    return Mutations.of(List.of(ROUTES), PIECES);
  }

  @Provide
  Arbitrary<String> policies() {
    return Mutations.of(List.of(POLICY), PIECES);
  }

  @Property(tries = 400)
  void checkExitsZeroOrOneWithoutAStackTrace(
      @ForAll("routes") String routes, @ForAll("policies") String policy) throws IOException {
    // getBytes, not writeString: a mutation may split a surrogate pair, which getBytes replaces.
    Path config = Files.write(dir.resolve("routes.yaml"), routes.getBytes(StandardCharsets.UTF_8));
    Path policyFile = Files.write(dir.resolve("policy.yaml"), policy.getBytes(StandardCharsets.UTF_8));
    Files.setPosixFilePermissions(policyFile, PosixFilePermissions.fromString("rw-r--r--"));
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    int status;
    long cpuBefore = THREADS.getCurrentThreadCpuTime();
    try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      System.setErr(capture);
      status = Main.run("--policy", policyFile.toString(), "--config", config.toString(), "check");
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuBefore;
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(status).as(output).isIn(0, 1);
    assertThat(output).doesNotContain("\tat ", "Exception", "internal error");
    assertThat(cpu).as(output).isLessThan(CPU_LIMIT_NANOS);
  }
}
