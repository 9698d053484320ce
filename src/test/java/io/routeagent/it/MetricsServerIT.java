package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.routeagent.testing.Commands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, reproduction 5: the metrics server as the unit runs it (the daemon under its own uid
 * with only CAP_NET_ADMIN), its clients under another unprivileged uid, in a namespace.
 */
class MetricsServerIT extends NamespaceTest {
  /** The daemon's uid, and a notebook user's: numeric, no account needed. */
  private static final int AGENT_UID = 64901;
  private static final int USER_UID = 64902;
  /** A failure guard for one request (timeout(1) around it), not a measurement. */
  private static final int GUARD_SECONDS = 30;
  private static final List<String> SCRUBBED =
      List.of("JOURNAL_STREAM", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "ROUTE_AGENT_CONFIG",
          "RUNTIME_DIRECTORY", "STATE_DIRECTORY");

  private final List<Process> processes = new ArrayList<>();
  private Path output;

  @Override
  String initialRoutesFile() {
    return ROUTES;
  }

  @BeforeEach
  void letTheAgentRead() throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    for (String owned : List.of("lock", "state")) {
      Path d = Files.createDirectory(dir.resolve(owned));
      Files.setAttribute(d, "unix:uid", AGENT_UID);
      Files.setAttribute(d, "unix:gid", AGENT_UID);
    }
    output = dir.resolve("agent.out");
  }

  /** Before the namespace goes: JUnit runs a subclass's @AfterEach before its superclass's. */
  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aClientHoldingHalfARequestStallsNoOne() throws Exception {
    Process agent = startAgent("127.0.0.1:9469");
    awaitHealthy(agent);
    Process half = hold("GET /metr");
    Process silent = hold("");

    Response health = get("/healthz");
    Response metrics = get("/metrics");

    assertThat(health.status()).as("GET /healthz while a client holds half a request: %s\nlog:\n%s",
        health.text(), log()).isEqualTo(200);
    assertThat(metrics.status()).as("GET /metrics: %s", metrics.text()).isEqualTo(200);
    assertThat(metrics.text()).contains("route_agent_routes{state=\"installed\"} 3.0");
    // Both answers came while the two clients still held their connections.
    assertThat(half.isAlive()).isTrue();
    assertThat(silent.isAlive()).isTrue();
  }

  @Test
  void aNonLoopbackAddressIsServedWithOneWarning() throws Exception {
    Process agent = startAgent("0.0.0.0:9469");
    awaitHealthy(agent);

    // Reachable from the network: on eth2's address too.
    assertThat(get("172.31.64.10", "/healthz").status()).isEqualTo(200);
    assertThat(log().lines().filter(l -> l.contains("--metrics-address")))
        .singleElement().asString()
        .endsWith("WARN  --metrics-address 0.0.0.0:9469 is not a loopback address: /metrics and /healthz"
            + " are reachable from the network");
  }

  @Test
  void aHostNameIsAUsageErrorAndNeverLookedUp() throws Exception {
    Process agent = startAgent("metrics.invalid:9469");

    if (!agent.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)) {
      fail("route-agent run --metrics-address metrics.invalid:9469 did not exit:\n" + log());
    }
    assertThat(agent.exitValue()).as("a usage error: %s", log()).isEqualTo(64);
    assertThat(log().lines().findFirst()).hasValue("route-agent run: --metrics-address metrics.invalid:9469: HOST must"
        + " be an IP address (127.0.0.1, [::1], 0.0.0.0) or localhost; names are not looked up; see 'route-agent run"
        + " --help'");
    assertThat(log()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /**
   * Any local user may bind the port before the agent starts (a restart is enough to open the
   * window): the routes are reconciled all the same, the journal and `route-agent status` say the
   * port is taken, and the agent serves once it is free.
   */
  @Test
  void aPortTakenByAnotherUserDelaysOnlyTheServer() throws Exception {
    Process holder = holdPort("127.0.0.1", 9469);
    Process agent = startAgent("127.0.0.1:9469");

    // iproute2 the witness: the routes are installed while the port is held.
    ns.awaitIp(table -> table.contains("10.0.0.0/16 via 172.31.64.1 dev eth2 proto 157")
        && table.contains("10.20.0.0/16 via 172.31.64.1 dev eth2 proto 157 metric 50")
        && table.contains("10.30.0.0/16 via 172.31.64.1 dev eth2 proto 157"),
        Duration.ofSeconds(GUARD_SECONDS), this::log, "route");
    awaitLog("ERROR --metrics-address 127.0.0.1:9469: cannot listen there: Address already in use (EADDRINUSE);"
        + " running without /metrics and /healthz, trying again every 5 s");
    assertThat(agent.isAlive()).as("the agent runs without its server: %s", log()).isTrue();
    assertThat(ns.agent(config, "status", "--lock-dir", dir.resolve("lock").toString()).output())
        .contains("metrics: /metrics and /healthz are not served: --metrics-address 127.0.0.1:9469: cannot listen"
            + " there since ")
        .contains(": Address already in use (EADDRINUSE); trying again every 5 s");

    holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

    // The next attempt (every 5 s) binds: waited for as an event, within a generous bound.
    awaitHealthy(agent);
    assertThat(log()).contains("INFO  serving /metrics and /healthz on 127.0.0.1:9469, after ");
    assertThat(ns.agent(config, "status", "--lock-dir", dir.resolve("lock").toString()).output())
        .doesNotContain("metrics:");
    assertThat(log()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void anAddressNotOnThisHostIsOneClearLineAndTheRoutesAreKept() throws Exception {
    Process agent = startAgent("192.0.2.99:9469");

    ns.awaitIp(table -> table.contains("10.0.0.0/16 via 172.31.64.1 dev eth2 proto 157"),
        Duration.ofSeconds(GUARD_SECONDS), this::log, "route");
    awaitLog("ERROR --metrics-address 192.0.2.99:9469: cannot listen there: Cannot assign requested address"
        + " (EADDRNOTAVAIL); running without /metrics and /healthz, trying again every 5 s");
    assertThat(agent.isAlive()).as(log()).isTrue();
    assertThat(log()).doesNotContain("internal error").doesNotContain("\tat ");
  }

  /** A notebook user's listening socket on the port, held until the test ends (or the test frees it). */
  private Process holdPort(String host, int port) throws IOException {
    Process process = new ProcessBuilder("ip", "netns", "exec", ns.name,
        "setpriv", "--reuid=" + USER_UID, "--regid=" + USER_UID, "--clear-groups",
        "/usr/bin/python3", "-c", "import socket,sys\n"
            + "s=socket.socket(); s.bind((sys.argv[1], int(sys.argv[2]))); s.listen()\n"
            + "print('listening', flush=True); sys.stdin.read()",
        host, String.valueOf(port))
        .redirectErrorStream(true)
        .start();
    processes.add(process);
    String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
    if (!"listening".equals(line)) {
      fail("the other user could not hold " + host + ":" + port + ": " + line);
    }
    return process;
  }

  private void awaitLog(String text) {
    long deadline = System.nanoTime() + Duration.ofSeconds(GUARD_SECONDS).toNanos();
    while (!log().contains(text)) {
      if (System.nanoTime() > deadline) {
        fail("the log did not show \"" + text + "\" within " + GUARD_SECONDS + " s:\n" + log());
      }
      AgentProcess.pause(50);
    }
  }

  /** {@code route-agent run} as the unit runs it: its own uid, CAP_NET_ADMIN and nothing else. */
  private Process startAgent(String metricsAddress) throws IOException {
    List<String> command = List.of("ip", "netns", "exec", ns.name,
        "setpriv", "--reuid=" + AGENT_UID, "--regid=" + AGENT_UID, "--clear-groups",
        "--inh-caps", "+net_admin", "--ambient-caps", "+net_admin",
        Netns.TOP.resolve("agent/route-agent").toString(), "--config", config.toString(),
        "--state-dir", dir.resolve("state").toString(),
        "run", "--lock-dir", dir.resolve("lock").toString(), "--log-file", "none",
        "--metrics-address", metricsAddress);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    SCRUBBED.forEach(builder.environment()::remove);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private void awaitHealthy(Process agent) {
    long deadline = System.nanoTime() + Duration.ofSeconds(GUARD_SECONDS).toNanos();
    while (get("/healthz").status() != 200) {
      if (!agent.isAlive()) {
        fail("route-agent run exited with " + agent.exitValue() + ":\n" + log());
      }
      if (System.nanoTime() > deadline) {
        fail("route-agent run was not healthy within " + GUARD_SECONDS + " s:\n" + log());
      }
      AgentProcess.pause(50);
    }
  }

  /**
   * A notebook user's client that connects, sends {@code text} (half a request, or nothing) and
   * holds the connection open until the test ends. Returns once it has sent.
   */
  private Process hold(String text) throws IOException {
    Process process = new ProcessBuilder("ip", "netns", "exec", ns.name,
        "setpriv", "--reuid=" + USER_UID, "--regid=" + USER_UID, "--clear-groups",
        "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9469 && printf '%s' \"$1\" >&3 && echo sent && exec sleep 600",
        "hold", text)
        .redirectErrorStream(true)
        .start();
    processes.add(process);
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (!"sent".equals(line)) {
      fail("the holding client could not connect: " + line);
    }
    return process;
  }

  record Response(int status, String text) {}

  private Response get(String path) {
    return get("127.0.0.1", path);
  }

  /** GET as the notebook user, with bash's /dev/tcp; status 0 when nothing answered in time. */
  private Response get(String host, String path) {
    Commands.Result result = ns.exec("setpriv", "--reuid=" + USER_UID, "--regid=" + USER_UID, "--clear-groups",
        "timeout", String.valueOf(GUARD_SECONDS), "bash", "-c",
        "exec 3<>/dev/tcp/" + host + "/9469 && printf 'GET " + path + " HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n' >&3 && cat <&3");
    String text = result.output();
    if (result.status() != 0 || !text.startsWith("HTTP/")) {
      return new Response(0, text);
    }
    return new Response(Integer.parseInt(text.substring(9, 12)), text);
  }

  private String log() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
