package io.routeagent.it;

import io.routeagent.testing.Commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code route-agent run} inside a test namespace: {@code ip netns exec NS agent/route-agent
 * --config FILE run --lock-dir DIR --metrics-address 127.0.0.1:9469}. The launcher execs the JVM,
 * and so does {@code ip netns exec}, so {@link #pid()} is the JVM's: signals reach the daemon
 * itself. Its output (stdout and stderr) goes to a file the test reads.
 */
final class AgentProcess implements AutoCloseable {
  static final String METRICS = "127.0.0.1:9469";
  /** Variables of the test's own environment that would change the daemon's behaviour. */
  private static final List<String> SCRUBBED =
      List.of("JOURNAL_STREAM", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "ROUTE_AGENT_CONFIG", "ROUTE_AGENT_POLICY", "RUNTIME_DIRECTORY");

  private final Netns ns;
  private final Process process;
  private final Path output;

  private AgentProcess(Netns ns, Process process, Path output) {
    this.ns = ns;
    this.process = process;
    this.output = output;
  }

  /**
   * Starts the daemon, without waiting for it.
   *
   * @param environment added to a scrubbed copy of the test's environment
   */
  static AgentProcess start(Netns ns, Path config, Path lockDir, Path output, Map<String, String> environment,
      String... extraArgs) {
    return start(ns, List.of(Netns.TOP.resolve("agent/route-agent").toString()), config, lockDir, output,
        environment, extraArgs);
  }

  /**
   * Starts the daemon with {@code launcher}: the launcher's path, after whatever runs it (such as
   * {@code setpriv} with another uid and only CAP_NET_ADMIN, as the unit runs it).
   */
  static AgentProcess start(Netns ns, List<String> launcher, Path config, Path lockDir, Path output,
      Map<String, String> environment, String... extraArgs) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name));
    command.addAll(launcher);
    command.addAll(List.of("--config", config.toString(),
        "run", "--lock-dir", lockDir.toString(), "--metrics-address", METRICS));
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    SCRUBBED.forEach(builder.environment()::remove);
    builder.environment().put("STATE_DIRECTORY", ns.stateDir.toString());
    builder.environment().putAll(environment);
    try {
      return new AgentProcess(ns, builder.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Everything the daemon has printed so far. */
  String log() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until /healthz answers 200 (the first reconcile is done); fails with the log otherwise. */
  AgentProcess awaitHealthy() {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("route-agent run exited with " + process.exitValue() + " before it was healthy:\n" + log());
      }
      if (http("/healthz").status() == 200) {
        return this;
      }
      pause(50);
    }
    return fail("route-agent run was not healthy within 20 s:\n" + log());
  }

  /** Waits until the log contains {@code text}. */
  void awaitLog(String text, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!log().contains(text)) {
      if (System.nanoTime() > deadline) {
        fail("the log did not show \"" + text + "\" within " + within.toMillis() + " ms:\n" + log());
      }
      pause(20);
    }
  }

  record Response(int status, String body) {}

  /**
   * GET from the daemon's HTTP server, inside its namespace, with bash's /dev/tcp (no curl needed).
   * Status 0 when nothing answered.
   */
  Response http(String path) {
    Commands.Result result = ns.exec("bash", "-c",
        "exec 3<>/dev/tcp/127.0.0.1/9469 && printf 'GET " + path + " HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && cat <&3");
    if (result.status() != 0 || !result.output().startsWith("HTTP/")) {
      return new Response(0, result.output());
    }
    String text = result.output();
    int status = Integer.parseInt(text.substring(9, 12));
    int body = text.indexOf("\r\n\r\n");
    return new Response(status, body < 0 ? "" : text.substring(body + 4));
  }

  /** The /metrics text; fails unless it answers 200. */
  String metrics() {
    Response response = http("/metrics");
    assertThat(response.status()).as("GET /metrics: %s", response.body()).isEqualTo(200);
    return response.body();
  }

  /** The value of one sample, e.g. {@code route_agent_config_valid} or {@code route_agent_routes{state="desired"}}. */
  static double sample(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    if (!m.find()) {
      return fail("no sample " + series + " in /metrics:\n" + metrics);
    }
    return Double.parseDouble(m.group(1));
  }

  double sample(String series) {
    return sample(metrics(), series);
  }

  /** Waits until a sample satisfies {@code condition}; returns the last /metrics text. */
  String awaitSample(String series, Predicate<Double> condition, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      String text = metrics();
      if (condition.test(sample(text, series))) {
        return text;
      }
      if (System.nanoTime() > deadline) {
        return fail(series + " = " + sample(text, series) + " did not reach the expected value within "
            + within.toMillis() + " ms; log:\n" + log());
      }
      pause(50);
    }
  }

  /** The JVM's resident set in KiB, from /proc/PID/status. */
  long residentKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fail("no VmRSS for pid " + pid());
  }

  /** SIGTERM; returns the exit status, or fails if it is not gone within {@code within}. */
  int terminate(Duration within) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      fail("route-agent did not exit within " + within.toMillis() + " ms of SIGTERM:\n" + log());
    }
    return process.exitValue();
  }

  /** SIGKILL, and wait for it to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits for it to exit by itself; returns the status. */
  int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("route-agent did not exit within " + within.toMillis() + " ms:\n" + log());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
