package io.routeagent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (Prometheus text) and {@code GET /healthz} (200, or 503 with the reason),
 * on one thread of the JDK's own HTTP server.
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving.
   *
   * @param unhealthy the reason the agent is unhealthy, or empty when it is healthy
   */
  public static MetricsServer start(
      InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<Optional<String>> unhealthy)
      throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    server.createContext("/metrics", exchange -> {
      if (refuseNonGet(exchange)) {
        return;
      }
      respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    });
    server.createContext("/healthz", exchange -> {
      if (refuseNonGet(exchange)) {
        return;
      }
      Optional<String> reason = unhealthy.get();
      respond(exchange, reason.isPresent() ? 503 : 200, "text/plain; charset=utf-8",
          reason.map(r -> "unhealthy: " + r + "\n").orElse("ok\n"));
    });
    server.createContext("/", exchange -> respond(exchange, 404, "text/plain; charset=utf-8",
        "route-agent serves /metrics and /healthz\n"));
    server.start();
    return new MetricsServer(server);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static boolean refuseNonGet(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      return false;
    }
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    respond(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
    return true;
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
