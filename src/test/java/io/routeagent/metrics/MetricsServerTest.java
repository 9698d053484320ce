package io.routeagent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics server over real loopback sockets. A test that waits for an answer gives up after
 * {@link #GUARD} (a failure, not a measurement): on a server that blocks, it would wait forever.
 */
class MetricsServerTest {
  private static final Duration GUARD = Duration.ofSeconds(30);
  private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<Optional<String>> unhealthy = new AtomicReference<>(Optional.empty());
  private final List<Socket> held = new ArrayList<>();
  private MetricsServer server;

  @AfterEach
  void close() throws IOException {
    for (Socket socket : held) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aClientHoldingHalfARequestDelaysNoOne() throws IOException {
    registry.counter("route_agent_test_total").increment();
    server = MetricsServer.start(ANY_PORT, registry, () -> new MetricsServer.Health(unhealthy.get(), java.util.List.of()), java.util.Map.of());
    Socket half = hold("GET /metr");
    Socket silent = hold("");

    Answer metrics = get("/metrics");
    Answer health = get("/healthz");

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("route_agent_test_total 1.0");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
    // Both answers came while the two clients still hold their connections, unanswered.
    assertThat(unanswered(half)).isTrue();
    assertThat(unanswered(silent)).isTrue();
  }

  @Test
  void moreHeldConnectionsThanTheCapDelayNoOne() throws IOException {
    server = MetricsServer.start(ANY_PORT, registry, () -> new MetricsServer.Health(unhealthy.get(), java.util.List.of()), java.util.Map.of());
    for (int i = 0; i < MetricsServer.Limits.DEFAULT.maxConnections() + 4; i++) {
      hold("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    }

    assertThat(get("/healthz").status()).isEqualTo(200);
  }

  @Test
  void aHalfSentRequestIsClosedAtItsDeadline() throws IOException {
    server = MetricsServer.start(ANY_PORT, registry::scrape, () -> new MetricsServer.Health(unhealthy.get(), java.util.List.of()), java.util.Map.of(),
        new MetricsServer.Limits(Duration.ofMillis(100), Duration.ofSeconds(60), 16, 8192, 24 << 20));
    Socket half = hold("GET /metrics HTTP/1.1\r\nHost: x\r\n");

    assertThat(half.getInputStream().read()).as("the server closed it, unanswered").isEqualTo(-1);
  }

  @Test
  void aClientThatDoesNotReadItsAnswerDelaysNoOneAndIsClosedAtItsDeadline() throws Exception {
    String big = "x".repeat(16 << 20);
    server = MetricsServer.start(ANY_PORT, () -> big, () -> new MetricsServer.Health(unhealthy.get(), java.util.List.of()), java.util.Map.of(),
        new MetricsServer.Limits(Duration.ofSeconds(60), Duration.ofMillis(500), 16, 8192, 24 << 20));
    Socket stalled = new Socket();
    stalled.setReceiveBufferSize(4096);
    stalled.connect(server.address(), (int) GUARD.toMillis());
    stalled.setSoTimeout((int) GUARD.toMillis());
    held.add(stalled);
    stalled.getOutputStream().write("GET /metrics HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    assertThat(get("/healthz").status()).isEqualTo(200);
    long deadline = System.nanoTime() + GUARD.toNanos();
    while (server.expired() == 0) {
      assertThat(System.nanoTime()).as("the stalled connection closed at its deadline").isLessThan(deadline);
      Thread.sleep(10); // polling a condition, with the deadline above
    }

    // Then the stalled client finds its answer cut (more than the socket buffers hold): fewer
    // bytes than announced, then the end.
    InputStream in = stalled.getInputStream();
    long read = 0;
    byte[] chunk = new byte[65536];
    try {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        read += n;
      }
    } catch (IOException e) {
      // A reset is as good as an end.
    }
    assertThat(read).isLessThan(big.length());
  }

  /**
   * The security review's attack: the status of 100,000 routes (20 MB) asked from connections
   * that never read took the daemon's heap and this thread. Answers not yet taken hold at most
   * {@link MetricsServer.Limits#maxHeldBytes()}: past it a page is refused, /healthz and /metrics
   * are still answered, and once the holders go the page is made again.
   */
  @Test
  void answersNotTakenHoldAtMostTheBudgetAndAPagePastItIsRefused() throws Exception {
    String big = "x".repeat(16 << 20);
    server = MetricsServer.start(ANY_PORT, registry::scrape, () -> new MetricsServer.Health(unhealthy.get(), List.of()),
        java.util.Map.of("/status.json", new MetricsServer.Document("application/json", () -> big)),
        new MetricsServer.Limits(Duration.ofSeconds(60), Duration.ofSeconds(60), 16, 8192, 24 << 20));
    Socket first = stalled("/status.json");
    Socket second = stalled("/status.json");

    Answer refused = get("/status.json");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.body()).startsWith("busy: other clients have not taken their answers yet");
    assertThat(get("/healthz").status()).isEqualTo(200);
    assertThat(get("/metrics").status()).isEqualTo(200);

    first.close();
    second.close();
    long deadline = System.nanoTime() + GUARD.toNanos();
    Answer again;
    while ((again = get("/status.json")).status() != 200) {
      assertThat(System.nanoTime()).as("the page made again once its holders are gone").isLessThan(deadline);
      Thread.sleep(10); // polling a condition, with the deadline above
    }
    assertThat(again.body()).hasSize(big.length());
  }

  /** A connection that asked for {@code path} and read only its status line: the answer is made, and held. */
  private Socket stalled(String path) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(server.address(), (int) GUARD.toMillis());
    socket.setSoTimeout((int) GUARD.toMillis());
    held.add(socket);
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    byte[] statusLine = socket.getInputStream().readNBytes("HTTP/1.1 200".length());
    assertThat(new String(statusLine, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
    return socket;
  }

  @Test
  void aRequestHeadOverTheCapIsRefused() throws IOException {
    server = MetricsServer.start(ANY_PORT, registry, () -> new MetricsServer.Health(unhealthy.get(), java.util.List.of()), java.util.Map.of());

    Answer answer = request("GET /metrics HTTP/1.1\r\nX-Long: " + "a".repeat(9000) + "\r\n\r\n");

    assertThat(answer.status()).isEqualTo(431);
  }

  @Test
  void healthzSaysWhy() throws IOException {
    unhealthy.set(Optional.of("no valid routes file"));
    server = MetricsServer.start(ANY_PORT, registry, () -> new MetricsServer.Health(unhealthy.get(), java.util.List.of()), java.util.Map.of());

    Answer answer = get("/healthz");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.body()).isEqualTo("unhealthy: no valid routes file\n");
  }

  @Test
  void aFailingScrapeAnswers500AndTheServerGoesOn() throws IOException {
    server = MetricsServer.start(ANY_PORT, () -> {
      throw new IllegalStateException("broken meter");
    }, () -> new MetricsServer.Health(unhealthy.get(), java.util.List.of()), java.util.Map.of(), MetricsServer.Limits.DEFAULT);

    assertThat(get("/metrics").status()).isEqualTo(500);
    assertThat(get("/healthz").status()).isEqualTo(200);
  }

  @Test
  void otherMethodsPathsAndHead() throws IOException {
    server = MetricsServer.start(ANY_PORT, registry, () -> new MetricsServer.Health(unhealthy.get(), java.util.List.of()), java.util.Map.of());

    Answer post = request("POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    Answer head = request("HEAD /healthz HTTP/1.1\r\n\r\n");
    Answer other = get("/other");
    Answer query = get("/healthz?x=1");
    Answer garbage = request("hello\r\n\r\n");

    assertThat(post.status()).isEqualTo(405);
    assertThat(post.head()).contains("Allow: GET, HEAD");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.head()).contains("Content-Length: 3");
    assertThat(head.body()).isEmpty();
    assertThat(other.status()).isEqualTo(404);
    assertThat(query.status()).isEqualTo(200);
    assertThat(garbage.status()).isEqualTo(400);
  }

  @Test
  void anHttp10ClientWithBareNewlines() throws IOException {
    server = MetricsServer.start(ANY_PORT, registry, () -> new MetricsServer.Health(unhealthy.get(), java.util.List.of()), java.util.Map.of());

    assertThat(request("GET /healthz HTTP/1.0\n\n").body()).isEqualTo("ok\n");
  }

  record Answer(int status, String head, String body) {}

  private Answer get(String path) throws IOException {
    return request("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
  }

  /**
   * Sends a request and reads the answer: its head, then Content-Length bytes of body (none for
   * HEAD). Fails after {@link #GUARD}.
   */
  private Answer request(String text) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(server.address(), (int) GUARD.toMillis());
      socket.setSoTimeout((int) GUARD.toMillis());
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      try {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
          int c = in.read();
          assertThat(c).as("an HTTP answer, not the end after: %s", head).isNotNegative();
          head.append((char) c);
        }
        Matcher length = Pattern.compile("(?mi)^Content-Length: *([0-9]+)").matcher(head);
        byte[] body = length.find() && !text.startsWith("HEAD ")
            ? in.readNBytes(Integer.parseInt(length.group(1)))
            : new byte[0];
        return new Answer(Integer.parseInt(head.substring(9, 12)), head.toString().strip(),
            new String(body, StandardCharsets.UTF_8));
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no answer to " + text.lines().findFirst().orElse("") + " within " + GUARD, e);
      }
    }
  }

  /** Opens a connection, sends {@code text} and keeps it open, unanswered, until the test ends. */
  private Socket hold(String text) throws IOException {
    Socket socket = new Socket();
    socket.connect(server.address(), (int) GUARD.toMillis());
    socket.setSoTimeout((int) GUARD.toMillis());
    held.add(socket);
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return socket;
  }

  /** Nothing has come back on the connection yet, and the server has not closed it. */
  private static boolean unanswered(Socket socket) throws IOException {
    socket.setSoTimeout(1);
    try {
      socket.getInputStream().read();
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout((int) GUARD.toMillis());
    }
  }
}
