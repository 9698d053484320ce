package io.routeagent.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import io.routeagent.testing.Commands;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway network namespace shaped like a notebook instance (see agent/notebook-netns.sh):
 * eth0 192.0.2.10/24 with the default route, eth2 172.31.64.10/20. Deleted on close. Outside CI a
 * machine that cannot make namespaces skips the test; under CI=true that is a failure.
 */
final class Netns implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  static final Path TOP = Path.of(System.getProperty("user.dir"));

  final String name;
  /**
   * The agent's state directory for this namespace ($STATE_DIRECTORY for {@link #agent} and
   * AgentProcess): the records there are named after the namespace's inode, which the kernel
   * reuses for a later namespace, so a record in the host's /var/lib/route-agent could reach
   * another test.
   */
  final Path stateDir;

  private Netns(String name, Path stateDir) {
    this.name = name;
    this.stateDir = stateDir;
  }

  static Netns notebook() {
    String name = "ra-it-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    Commands.Result made = run(List.of(TOP.resolve("agent/notebook-netns.sh").toString(), name));
    if (made.status() != 0) {
      run(List.of("ip", "netns", "del", name));
      String why = "cannot create network namespace " + name + ": " + made.output();
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    try {
      return new Netns(name, java.nio.file.Files.createTempDirectory("ra-state-"));
    } catch (IOException e) {
      run(List.of("ip", "netns", "del", name));
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Runs {@code ip -n NAME ARGS} and returns its output; fails the test if ip fails. */
  String ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip", "-n", name));
    command.addAll(List.of(args));
    Commands.Result result = run(command);
    if (result.status() != 0) {
      fail("`" + String.join(" ", command) + "` failed: " + result.output());
    }
    return result.output();
  }

  /**
   * Polls {@code ip -n NAME ARGS} until its output satisfies {@code condition} and returns that
   * output; fails with the last output (and {@code context}, e.g. the daemon's log) otherwise.
   */
  String awaitIp(Predicate<String> condition, Duration within, Supplier<String> context, String... args) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      String output = ip(args);
      if (condition.test(output)) {
        return output;
      }
      if (System.nanoTime() > deadline) {
        return fail("`ip " + String.join(" ", args) + "` did not reach the expected state within "
            + within.toMillis() + " ms; last output:\n" + output + "\ncontext:\n" + context.get());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Adds eth3, a second VPC-side interface (a veth, up, 172.31.80.10/20): the other leg of the
   * multipath entries.
   */
  void addEth3() {
    ip("link", "add", "eth3", "type", "veth", "peer", "name", "eth3-peer");
    ip("link", "set", "eth3", "up");
    ip("link", "set", "eth3-peer", "up");
    ip("addr", "add", "172.31.80.10/20", "dev", "eth3");
  }

  /**
   * {@link #addEth3}, and an IPv6 subnet on eth2 and on eth3 (2001:db8:64::10/64 and
   * 2001:db8:80::10/64, usable at once: no duplicate address detection).
   */
  void addEth3WithIpv6Subnets() {
    addEth3();
    ip("addr", "add", "2001:db8:64::10/64", "dev", "eth2", "nodad");
    ip("addr", "add", "2001:db8:80::10/64", "dev", "eth3", "nodad");
  }

  /** Runs a command inside the namespace. */
  Commands.Result exec(String... args) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs the agent's launcher inside the namespace. */
  Commands.Result agent(Path config, String... args) {
    List<String> command = new ArrayList<>(List.of(
        "ip", "netns", "exec", name, TOP.resolve("agent/route-agent").toString(), "--config", config.toString()));
    command.addAll(List.of(args));
    return Commands.run(command, java.util.Map.of("STATE_DIRECTORY", stateDir.toString()), false);
  }

  @Override
  public void close() {
    run(List.of("ip", "netns", "del", name));
    run(List.of("rm", "-rf", "--", stateDir.toString()));
  }

  static Commands.Result run(List<String> command) {
    return Commands.run(command);
  }
}
