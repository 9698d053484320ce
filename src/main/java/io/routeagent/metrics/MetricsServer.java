package io.routeagent.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (Prometheus text) and {@code GET /healthz} (200, or 503 with the reason).
 *
 * <p>One thread and non-blocking sockets: the thread never waits on a client, so a client that
 * sends half a request, or nothing, and holds its connection open delays no one. Each connection
 * has a deadline to send its request head (at most {@link Limits#maxRequestBytes()}) and one to
 * take its answer; past it, it is closed. At most {@link Limits#maxConnections()} are open at once:
 * a new one closes the oldest, so clients that hold connections cannot lock others out either.
 * Answers not yet taken hold at most {@link Limits#maxHeldBytes()}: past it, a page is answered 503
 * instead of made (/metrics and /healthz, small, always are). A local user asking for the status
 * of 100,000 routes (20 MB) from connections that never read took the daemon's heap and the
 * server's thread with it. One request per connection ({@code Connection: close}). Not the JDK's HttpServer: its dispatcher
 * thread reads each request head with a blocking read, so one half-sent request stalls it for
 * everyone (with a pool, as many as it has threads do), and its only request timeout is a
 * JVM-wide system property.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("route-agent");

  /**
   * What one client may take.
   *
   * @param requestTimeout from accept to the end of the request head
   * @param responseTimeout from the end of the request head to the last byte of the answer taken
   * @param maxConnections open at once; a new one closes the oldest
   * @param maxRequestBytes the request line and headers; more is answered with 431
   * @param maxHeldBytes the answers made and not yet taken, all connections together; past it a
   *     page (not /metrics or /healthz) is answered 503 instead of made. About a tenth of the
   *     daemon's largest heap (the launcher's 255 MiB): two status pages of 100,000 routes (20 MB
   *     each) may wait at once, and the making of a third is refused.
   */
  record Limits(Duration requestTimeout, Duration responseTimeout, int maxConnections, int maxRequestBytes,
      long maxHeldBytes) {
    static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10), 16, 8192, 24 << 20);
  }

  private final Selector selector;
  private final ServerSocketChannel listener;
  private final Thread thread;
  private volatile boolean closing;
  /** Connections closed because they missed a deadline (tests wait for it). */
  private final AtomicLong expired = new AtomicLong();

  private MetricsServer(Selector selector, ServerSocketChannel listener, Thread thread) {
    this.selector = selector;
    this.listener = listener;
    this.thread = thread;
  }

  /**
   * Starts serving.
   *
   * @param health what /healthz says, asked at each request
   * @param documents more pages, by path ("/", "/status.json"), each made at each request
   */
  public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry registry,
      Supplier<Health> health, Map<String, Document> documents) throws IOException {
    return start(address, registry::scrape, health, documents, Limits.DEFAULT);
  }

  static MetricsServer start(InetSocketAddress address, Supplier<String> scrape, Supplier<Health> health,
      Map<String, Document> documents, Limits limits)
      throws IOException {
    Selector selector = Selector.open();
    ServerSocketChannel listener = ServerSocketChannel.open();
    try {
      listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      listener.bind(address, 16);
      listener.configureBlocking(false);
      listener.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      listener.close();
      selector.close();
      throw e;
    }
    Loop loop = new Loop(selector, listener, new Pages(scrape, health, Map.copyOf(documents)), limits);
    Thread thread = new Thread(loop, "metrics-http");
    thread.setDaemon(true);
    MetricsServer server = new MetricsServer(selector, listener, thread);
    loop.server = server;
    thread.start();
    return server;
  }

  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) listener.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("the metrics server is closed", e);
    }
  }

  /** How many connections were closed because they missed a deadline. */
  long expired() {
    return expired.get();
  }

  @Override
  public void close() {
    closing = true;
    selector.wakeup();
    try {
      thread.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What /healthz says: 503 with the reason when the agent is unhealthy, else 200 with "ok" and
   * each note (a change the daemon holds, say) on a line of its own.
   */
  public record Health(Optional<String> unhealthy, List<String> notes) {}

  /** A page served at a path: its media type, and its text made at each request. */
  public record Document(String type, Supplier<String> body) {}

  /** What the server answers: a status line, headers and body, for a request line. */
  private record Pages(Supplier<String> scrape, Supplier<Health> health, Map<String, Document> documents) {
    /** @param roomForPages false when the answers not yet taken hold all they may: a page is refused */
    byte[] answer(String requestLine, boolean roomForPages) {
      String[] parts = requestLine.split(" ", -1);
      if (parts.length != 3 || !parts[1].startsWith("/") || !parts[2].startsWith("HTTP/")) {
        return response(400, "Bad Request", "text/plain; charset=utf-8", "bad request\n", false, "");
      }
      String method = parts[0];
      String path = parts[1].split("\\?", 2)[0];
      boolean head = method.equals("HEAD");
      Document document = documents.get(path);
      boolean known = path.equals("/metrics") || path.equals("/healthz") || document != null;
      if (known && !head && !method.equals("GET")) {
        return response(405, "Method Not Allowed", "text/plain; charset=utf-8", "only GET\n", false,
            "Allow: GET, HEAD\r\n");
      }
      if (path.equals("/metrics")) {
        return response(200, "OK", "text/plain; version=0.0.4; charset=utf-8", scrape.get(), head, "");
      }
      if (path.equals("/healthz")) {
        Health now = health.get();
        StringBuilder notes = new StringBuilder();
        now.notes().forEach(note -> notes.append(note).append('\n'));
        return now.unhealthy().isPresent()
            ? response(503, "Service Unavailable", "text/plain; charset=utf-8",
                "unhealthy: " + now.unhealthy().get() + "\n" + notes, head, "")
            : response(200, "OK", "text/plain; charset=utf-8", "ok\n" + notes, head, "");
      }
      if (document != null && !roomForPages) {
        return response(503, "Service Unavailable", "text/plain; charset=utf-8",
            "busy: other clients have not taken their answers yet; ask again in a few seconds\n", head,
            "Retry-After: 10\r\n");
      }
      if (document != null) {
        return response(200, "OK", document.type(), document.body().get(), head, "Cache-Control: no-store\r\n");
      }
      return response(404, "Not Found", "text/plain; charset=utf-8",
          "route-agent serves " + String.join(", ", served()) + "\n", head, "");
    }

    private List<String> served() {
      List<String> paths = new java.util.ArrayList<>(documents.keySet());
      paths.add("/metrics");
      paths.add("/healthz");
      paths.sort(null);
      return paths;
    }

    static byte[] response(int status, String reason, String type, String body, boolean head, String extra) {
      byte[] content = body.getBytes(StandardCharsets.UTF_8);
      String header = "HTTP/1.1 " + status + " " + reason + "\r\n"
          + "Content-Type: " + type + "\r\n"
          + "Content-Length: " + content.length + "\r\n"
          + extra
          + "Connection: close\r\n\r\n";
      byte[] start = header.getBytes(StandardCharsets.US_ASCII);
      if (head) {
        return start;
      }
      byte[] all = new byte[start.length + content.length];
      System.arraycopy(start, 0, all, 0, start.length);
      System.arraycopy(content, 0, all, start.length, content.length);
      return all;
    }
  }

  /** One client: reading its request head, writing the answer, then draining until it closes. */
  private static final class Connection {
    enum Phase { REQUEST, RESPONSE, DRAIN }

    final SocketChannel channel;
    final SelectionKey key;
    Phase phase = Phase.REQUEST;
    long deadline;
    ByteBuffer buffer;
    /** The bytes of its answer counted in {@link Loop#heldBytes} while it is being taken. */
    long held;

    Connection(SocketChannel channel, SelectionKey key, long deadline, int maxRequestBytes) {
      this.channel = channel;
      this.key = key;
      this.deadline = deadline;
      this.buffer = ByteBuffer.allocate(maxRequestBytes);
    }

    void close() {
      key.cancel();
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing more to do with it.
      }
    }
  }

  private static final class Loop implements Runnable {
    private static final int DRAIN_BYTES = 4096;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final Pages pages;
    private final Limits limits;
    /** Oldest first. */
    private final Deque<Connection> connections = new ArrayDeque<>();
    /** The bytes of the answers made and not yet taken: {@link Limits#maxHeldBytes()} at most, and one. */
    private long heldBytes;
    MetricsServer server;

    Loop(Selector selector, ServerSocketChannel listener, Pages pages, Limits limits) {
      this.selector = selector;
      this.listener = listener;
      this.pages = pages;
      this.limits = limits;
    }

    @Override
    public void run() {
      try {
        while (!server.closing) {
          long wait = expire(System.nanoTime());
          // With no connection open there is no deadline to keep: the selector waits for the next
          // one, or for close()'s wakeup, rather than waking the daemon every second for nothing.
          selector.select(wait == NO_DEADLINE ? 0 : Math.max(1, wait / 1_000_000 + 1));
          for (SelectionKey key : selector.selectedKeys()) {
            if (!key.isValid()) {
              continue;
            }
            if (key.channel() == listener) {
              accept();
            } else {
              serve((Connection) key.attachment());
            }
          }
          selector.selectedKeys().clear();
        }
      } catch (IOException | RuntimeException e) {
        // The selector itself failed: /healthz goes unanswered from now on, which a prober notices.
        if (!server.closing) {
          log.error("the metrics server stopped: {}", e.toString());
        }
      } finally {
        connections.forEach(Connection::close);
        connections.clear();
        try {
          listener.close();
        } catch (IOException e) {
          // Closing anyway.
        }
        try {
          selector.close();
        } catch (IOException e) {
          // Closing anyway.
        }
      }
    }

    /** {@link #expire}'s answer when no connection is open. */
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    /** Closes the connections past their deadline; the nanoseconds to the next one, or {@link #NO_DEADLINE}. */
    private long expire(long now) {
      long next = NO_DEADLINE;
      List<Connection> late = new ArrayList<>();
      for (Connection c : connections) {
        if (c.deadline - now <= 0) {
          late.add(c);
        } else {
          next = Math.min(next, c.deadline - now);
        }
      }
      late.forEach(this::drop);
      server.expired.addAndGet(late.size());
      return next;
    }

    private void drop(Connection c) {
      release(c);
      c.close();
      connections.remove(c);
    }

    private void release(Connection c) {
      heldBytes -= c.held;
      c.held = 0;
    }

    private void accept() {
      while (true) {
        SocketChannel channel;
        try {
          channel = listener.accept();
        } catch (IOException e) {
          return; // e.g. out of descriptors: the next select retries
        }
        if (channel == null) {
          return;
        }
        while (connections.size() >= limits.maxConnections()) {
          drop(connections.peekFirst());
        }
        try {
          channel.configureBlocking(false);
          SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
          Connection c = new Connection(channel, key,
              System.nanoTime() + limits.requestTimeout().toNanos(), limits.maxRequestBytes());
          key.attach(c);
          connections.addLast(c);
        } catch (IOException e) {
          try {
            channel.close();
          } catch (IOException ignored) {
            // Closing anyway.
          }
        }
      }
    }

    private void serve(Connection c) {
      try {
        switch (c.phase) {
          case REQUEST -> read(c);
          case RESPONSE -> write(c);
          case DRAIN -> drain(c);
        }
      } catch (IOException | RuntimeException e) {
        drop(c);
      }
    }

    private void read(Connection c) throws IOException {
      if (c.channel.read(c.buffer) < 0) {
        drop(c);
        return;
      }
      int end = endOfHead(c.buffer);
      if (end >= 0) {
        byte[] answer;
        try {
          answer = pages.answer(requestLine(c.buffer), heldBytes < limits.maxHeldBytes());
        } catch (RuntimeException e) {
          // A scrape or health check that throws answers 500 and leaves the server running.
          answer = Pages.response(500, "Internal Server Error", "text/plain; charset=utf-8",
              "internal error: " + e.getClass().getSimpleName() + "\n", false, "");
        } catch (OutOfMemoryError e) {
          // What was being made for this answer is garbage now: the thread, and /healthz, go on.
          log.warn("the metrics server could not make an answer: out of memory");
          answer = Pages.response(503, "Service Unavailable", "text/plain; charset=utf-8",
              "out of memory making the answer\n", false, "Retry-After: 10\r\n");
        }
        respond(c, answer);
      } else if (!c.buffer.hasRemaining()) {
        respond(c, Pages.response(431, "Request Header Fields Too Large", "text/plain; charset=utf-8",
            "request head over " + limits.maxRequestBytes() + " bytes\n", false, ""));
      }
    }

    private void respond(Connection c, byte[] answer) throws IOException {
      c.phase = Connection.Phase.RESPONSE;
      c.deadline = System.nanoTime() + limits.responseTimeout().toNanos();
      c.buffer = ByteBuffer.wrap(answer);
      c.held = answer.length;
      heldBytes += c.held;
      c.key.interestOps(SelectionKey.OP_WRITE);
      write(c);
    }

    private void write(Connection c) throws IOException {
      c.channel.write(c.buffer);
      if (c.buffer.hasRemaining()) {
        return;
      }
      // All written: send FIN, and read what the client may still send until it closes, so that
      // closing does not reset the connection before the client has read the answer.
      release(c);
      c.channel.shutdownOutput();
      c.phase = Connection.Phase.DRAIN;
      c.buffer = ByteBuffer.allocate(DRAIN_BYTES);
      c.key.interestOps(SelectionKey.OP_READ);
    }

    private void drain(Connection c) throws IOException {
      c.buffer.clear();
      if (c.channel.read(c.buffer) < 0) {
        drop(c);
      }
    }

    /** The index just past the blank line that ends the head, or -1. */
    private static int endOfHead(ByteBuffer buffer) {
      byte[] bytes = buffer.array();
      int length = buffer.position();
      for (int i = 0; i < length; i++) {
        if (bytes[i] == '\n') {
          if (i + 1 < length && bytes[i + 1] == '\n') {
            return i + 2;
          }
          if (i + 2 < length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
            return i + 3;
          }
        }
      }
      return -1;
    }

    private static String requestLine(ByteBuffer buffer) {
      byte[] bytes = buffer.array();
      int end = 0;
      while (bytes[end] != '\n') {
        end++;
      }
      if (end > 0 && bytes[end - 1] == '\r') {
        end--;
      }
      return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }
  }
}
