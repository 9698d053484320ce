package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.routeagent.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the status page, as a notebook user opens it: Debian's Chromium, headless, loading it
 * from a daemon in a notebook-shaped namespace, directly and behind a path prefix that mirrors
 * Jupyter's /proxy/9469/. The DOM is checked (each route with its state and reason, a bad edit's
 * line:column), and screenshots are kept in target/ as build artifacts.
 */
class StatusPageIT extends DaemonTestBase {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  /** One route more, on an interface the namespace does not have: it waits. */
  static final String WITH_A_WAITING_ROUTE = ROUTES + "  - \"10.40.0.0/16 via 172.31.80.1 dev eth3\"\n";

  @Override
  String initialRoutesFile() {
    return WITH_A_WAITING_ROUTE;
  }

  @BeforeEach
  void requireChromium() {
    if (!Files.isExecutable(CHROMIUM)) {
      String why = "chromium is not installed (apt-get install chromium)";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
  }

  @Test
  void theBrowserShowsEachRouteWithItsStateAndABadEditWithItsLineAndColumn() throws IOException {
    AgentProcess agent = startAgent();
    long start = System.nanoTime();
    AgentProcess.Response page = agent.http("/");
    long served = System.nanoTime() - start;
    assertThat(page.status()).isEqualTo(200);
    System.out.printf("StatusPageIT: the page is %d bytes, served in %d ms%n", page.body().length(), served / 1_000_000);

    start = System.nanoTime();
    String dom = chromium("http://127.0.0.1:9469/", "--dump-dom");
    System.out.printf("StatusPageIT: Chromium loaded and rendered it in %d ms (its own start included)%n",
        (System.nanoTime() - start) / 1_000_000);
    assertThat(dom).contains("<p id=\"summary\">3/4 routes installed, 1 waiting</p>");
    assertThat(rows(dom, "installed")).hasSize(3);
    assertThat(rows(dom, "waiting")).singleElement().asString()
        .contains("10.40.0.0/16 via 172.31.80.1 dev eth3", "eth3", "routes.yaml:");
    assertThat(dom).contains("No admin policy in force").doesNotContain("id=\"problem\"");
    screenshot("http://127.0.0.1:9469/", "status-page.png", "1100,900");

    write("routes:\n  - to: 10.0.0.0/16\n    vai: 172.31.64.1\n    dev: eth2\n");
    awaitPage(agent, body -> body.contains("id=\"problem\""), "the refused edit on the page");
    dom = chromium("http://127.0.0.1:9469/", "--dump-dom");
    assertThat(section(dom, "problem")).contains("routes.yaml:3:5", "unknown key", "vai");
    assertThat(rows(dom, "installed")).as("the last good configuration stays in force").hasSize(3);
    assertThat(section(dom, "events")).contains("the routes file was refused");
    screenshot("http://127.0.0.1:9469/", "status-page-narrow-with-a-problem.png", "420,1000");

    write(WITH_A_WAITING_ROUTE);
    awaitPage(agent, body -> !body.contains("id=\"problem\""), "the problem gone once the file is valid again");
  }

  @Test
  void behindJupytersPathPrefixTheLinksStayUnderIt() throws IOException, InterruptedException {
    AgentProcess agent = startAgent();
    agent.awaitHealthy();
    Path proxy = Path.of("src/test/resources/status-page/prefix-proxy.py").toAbsolutePath();
    Process server = new ProcessBuilder("ip", "netns", "exec", ns.name, "python3", proxy.toString(), "8899")
        .redirectErrorStream(true).redirectOutput(dir.resolve("proxy.out").toFile()).start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (ns.exec("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8899").status() != 0) {
        if (System.nanoTime() > deadline || !server.isAlive()) {
          fail("the proxy did not listen: " + Files.readString(dir.resolve("proxy.out")));
        }
        Thread.onSpinWait();
      }
      String dom = chromium("http://127.0.0.1:8899/proxy/9469/", "--dump-dom");
      assertThat(rows(dom, "installed")).hasSize(3);
      // Every link is relative: under the prefix, each resolves to a page of the agent.
      for (String link : List.of("status.json", "metrics", "healthz")) {
        assertThat(dom).contains("href=\"" + link + "\"");
      }
      assertThat(chromium("http://127.0.0.1:8899/proxy/9469/status.json", "--dump-dom"))
          .contains("\"routes\":[", "\"state\":\"waiting\"", "\"summary\":{\"installed\":3");
      assertThat(chromium("http://127.0.0.1:8899/proxy/9469/healthz", "--dump-dom")).contains("ok");
      screenshot("http://127.0.0.1:8899/proxy/9469/", "status-page-behind-a-prefix.png", "800,900");
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /** The rows of the routes table in {@code state}. */
  private static List<String> rows(String dom, String state) {
    List<String> rows = new ArrayList<>();
    String routes = section(dom, "routes");
    String marker = "data-state=\"" + state + "\"";
    for (int at = routes.indexOf(marker); at >= 0; at = routes.indexOf(marker, at + 1)) {
      rows.add(routes.substring(at, routes.indexOf("</tr>", at)));
    }
    return rows;
  }

  private static String section(String dom, String id) {
    int start = dom.indexOf("<section id=\"" + id + "\"");
    assertThat(start).as("section #%s in:%n%s", id, dom).isNotNegative();
    return dom.substring(start, dom.indexOf("</section>", start));
  }

  private void awaitPage(AgentProcess agent, Predicate<String> condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      AgentProcess.Response page = agent.http("/");
      if (page.status() == 200 && condition.test(page.body())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        fail(what + " not within 30 s: " + page.body() + "\n" + agent.log());
      }
      Thread.onSpinWait();
    }
  }

  /** Headless Chromium in the namespace, as root (hence no sandbox), with a profile of its own. */
  private String chromium(String url, String... what) throws IOException {
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--no-first-run", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium"))));
    command.addAll(List.of(what));
    command.add(url);
    String[] args = command.toArray(String[]::new);
    Commands.Result result = ns.exec(args);
    assertThat(result.status()).as("chromium %s: %s", url, result.output()).isZero();
    return result.output();
  }

  /** Keeps a screenshot in target/, a build artifact. */
  private void screenshot(String url, String name, String size) throws IOException {
    Path file = Path.of("target", name).toAbsolutePath();
    Files.deleteIfExists(file);
    chromium(url, "--screenshot=" + file, "--window-size=" + size, "--hide-scrollbars");
    assertThat(file).as("screenshot").exists();
    assertThat(Files.size(file)).isGreaterThan(1000);
    System.out.println("StatusPageIT: screenshot " + file);
  }
}
