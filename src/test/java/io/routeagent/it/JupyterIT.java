package io.routeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.routeagent.testing.Commands;
import io.routeagent.testing.RootOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routes file edited as a notebook user edits it: through a real Jupyter server (Debian's
 * jupyter-server, the contents REST API that JupyterLab's editor and file browser use), run as the
 * file's owner in the notebook's namespace, against {@code route-agent run}. iproute2 is the
 * witness of the kernel after each step, and {@code ip monitor route} of the whole upload.
 */
class JupyterIT extends DaemonTestBase {
  /** The notebook user, who owns the routes directory and runs Jupyter. */
  private static final int PERSON = 4271;
  private static final String TOKEN = "ra-it-token-" + ProcessHandle.current().pid();
  private static final String SERVER = "http://127.0.0.1:8893";
  /**
   * How long a reload may take before the test gives up: a deadline for an event, not a speed
   * target (a reload takes a second or two, the watcher waiting 200 ms for quiet; on a loaded
   * 2-core CI machine a tight deadline would only make the test flaky).
   */
  private static final Duration RELOAD = Duration.ofSeconds(20);

  /** Stands for /home/ec2-user/SageMaker: Jupyter's root, the routes file's directory. */
  private Path sageMaker;
  private Process jupyter;
  private Path jupyterOut;

  @BeforeEach
  void startJupyter() throws IOException {
    RootOnly.require();
    Path server = Path.of("/usr/bin/jupyter-server");
    if (!Files.isExecutable(server)) {
      String why = "jupyter-server is not installed (apt-get install jupyter-server)";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    sageMaker = Files.createDirectories(dir.resolve("home/SageMaker"));
    Files.move(config, sageMaker.resolve("routes.yaml"));
    config = sageMaker.resolve("routes.yaml");
    Path dropIns = Files.createDirectories(sageMaker.resolve("routes.d"));
    Path jupyterHome = Files.createDirectories(dir.resolve("jupyter-home"));
    chown(dir.resolve("home"), sageMaker, config, dropIns, jupyterHome);
    jupyterOut = dir.resolve("jupyter.out");
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name,
        "setpriv", "--reuid=" + PERSON, "--regid=" + PERSON, "--clear-groups",
        "env", "-i", "PATH=/usr/bin:/bin", "HOME=" + jupyterHome,
        "JUPYTER_RUNTIME_DIR=" + jupyterHome.resolve("runtime"),
        "JUPYTER_DATA_DIR=" + jupyterHome.resolve("data"),
        "JUPYTER_CONFIG_DIR=" + jupyterHome.resolve("config"),
        server.toString(), "--ServerApp.root_dir=" + sageMaker, "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=8893", "--ServerApp.port_retries=0", "--ServerApp.token=" + TOKEN,
        "--ServerApp.open_browser=False"));
    jupyter = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(jupyterOut.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!api("GET", "/api/status", null).startsWith("200")) {
      if (System.nanoTime() > deadline || !jupyter.isAlive()) {
        fail("jupyter-server did not answer within 60 s: " + Files.readString(jupyterOut));
      }
      Thread.onSpinWait();
    }
  }

  @AfterEach
  void stopJupyter() throws InterruptedException {
    if (jupyter != null) {
      jupyter.destroy();
      if (!jupyter.waitFor(10, TimeUnit.SECONDS)) {
        jupyter.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void chown(Path... paths) {
    for (Path path : paths) {
      Commands.Result r = Commands.run(List.of("chown", "-h", PERSON + ":" + PERSON, path.toString()));
      assertThat(r.status()).as(r.output()).isZero();
    }
  }

  /** Calls the contents API as JupyterLab does; returns the HTTP status, a new line, the body. */
  private String api(String method, String path, String json) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name, "curl", "-sS",
        "-o", "/dev/stdout", "-w", "\\n%{http_code}", "-X", method,
        "-H", "Authorization: token " + TOKEN, "-H", "Content-Type: application/json"));
    if (json != null) {
      Path body = Files.createTempFile(dir, "body", ".json");
      Files.writeString(body, json);
      command.addAll(List.of("--data-binary", "@" + body));
    }
    command.add(SERVER + path);
    Commands.Result r = Commands.run(command);
    String out = r.output().strip();
    int cut = out.lastIndexOf('\n');
    return cut < 0 ? out : out.substring(cut + 1) + "\n" + out.substring(0, cut);
  }

  private void ok(String answer, String what) {
    assertThat(answer).as(what).matches("(?s)20[0-9]\n.*|20[0-9]");
  }

  private static String json(String text) {
    StringBuilder s = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        default -> s.append(c);
      }
    }
    return s.append('"').toString();
  }

  private void save(String path, String text) throws IOException {
    ok(api("PUT", "/api/contents/" + path, "{\"type\":\"file\",\"format\":\"text\",\"content\":" + json(text) + "}"),
        "save " + path);
  }

  @Test
  void editsMadeThroughJupyterReachTheKernelAndHalfAnUploadNever() throws Exception {
    AgentProcess agent = startAgent();
    String r4 = "10.40.0.0/16 via 172.31.64.1 dev eth2 proto 157";
    String r5 = "10.50.0.0/16 via 172.31.64.1 dev eth2 proto 157";

    // A save: one write with O_TRUNC, in place.
    save("routes.yaml", ROUTES + "  - \"10.40.0.0/16 via 172.31.64.1 dev eth2\"\n");
    ns.awaitIp(t -> t.contains(r4), RELOAD, agent::log, "route");

    // "New File" in routes.d: an empty untitled.yaml blocks no other save.
    ok(api("POST", "/api/contents/routes.d", "{\"type\":\"file\",\"ext\":\".yaml\"}"), "new file");
    assertThat(sageMaker.resolve("routes.d/untitled.yaml")).exists().isEmptyFile();
    save("routes.yaml", ROUTES);
    ns.awaitIp(t -> !t.contains("10.40.0.0/16"), RELOAD, agent::log, "route");
    agent.awaitLog("untitled.yaml: the file is empty and declared nothing before", SOON);

    // Renamed, then filled in.
    ok(api("PATCH", "/api/contents/routes.d/untitled.yaml", "{\"path\":\"routes.d/vpn.yaml\"}"), "rename");
    save("routes.d/vpn.yaml", "routes:\n  - \"10.50.0.0/16 via 172.31.64.1 dev eth2\"\n");
    ns.awaitIp(t -> t.contains(r5), RELOAD, agent::log, "route");

    // A checkpoint, a typo saved, the checkpoint restored: the log's last line says all is well.
    String checkpoint = api("POST", "/api/contents/routes.yaml/checkpoints", null);
    ok(checkpoint, "checkpoint");
    String id = checkpoint.replaceAll("(?s).*\"id\":\\s*\"([^\"]+)\".*", "$1");
    save("routes.yaml", ROUTES.replace("10.30.0.0/16", "10.30.0.0/33"));
    agent.awaitLog("invalid config, the last good one stays in force", RELOAD);
    ok(api("POST", "/api/contents/routes.yaml/checkpoints/" + id, null), "restore");
    agent.awaitLog("the routes file is valid again", RELOAD);
    String log = api("GET", "/api/contents/logs/route-agent.log?type=file&format=text", null);
    ok(log, "the log read through Jupyter");
    assertThat(log).contains("the routes file is valid again");
    assertThat(log.replaceAll("(?s).*\"content\":\\s*\"", "").replaceAll("(?s)\\\\n\"\\s*,.*", ""))
        .as("the log's last line").endsWith(
            "the routes file is valid again; it declares what is already in force, nothing to change (routes=4 files=2)");

    // Deleted: its routes go.
    ok(api("DELETE", "/api/contents/routes.d/vpn.yaml", null), "delete");
    ns.awaitIp(t -> !t.contains("10.50.0.0/16"), RELOAD, agent::log, "route");

    // An upload in chunks, as JupyterLab sends a file over 1 MiB; a cut line in every chunk but the
    // last; the daemon holds each, and the witness sees no route come or go until the end.
    StringBuilder big = new StringBuilder("routes:\n");
    for (int i = 0; i < 1500; i++) {
      big.append("  - 10.").append(100 + i / 256).append('.').append(i % 256).append(".0/24 via 172.31.64.1 dev eth2\n");
    }
    byte[] bytes = big.toString().getBytes(StandardCharsets.UTF_8);
    int[] cuts = {bytes.length / 3 + 7, 2 * bytes.length / 3 + 3, bytes.length};
    Path monitorOut = dir.resolve("monitor.out");
    Process monitor = new ProcessBuilder("ip", "-n", ns.name, "-ts", "monitor", "route")
        .redirectErrorStream(true).redirectOutput(monitorOut.toFile()).start();
    try {
      int from = 0;
      int held = 0;
      int healthChecked = 0;
      for (int chunk = 0; chunk < cuts.length; chunk++) {
        int holdsBefore = count(agent.log(), "holding a change until");
        String content = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, from, cuts[chunk]));
        int number = chunk == cuts.length - 1 ? -1 : chunk + 1;
        ok(api("PUT", "/api/contents/routes.d/big.yaml", "{\"type\":\"file\",\"format\":\"base64\",\"chunk\":"
            + number + ",\"content\":\"" + content + "\"}"), "chunk " + number);
        from = cuts[chunk];
        if (number != -1) {
          // Read: held when it parses, refused when its cut line does not.
          int before = held;
          long deadline = System.nanoTime() + RELOAD.toNanos();
          while (reads(agent.log()) <= before) {
            if (System.nanoTime() > deadline) {
              fail("chunk " + number + " was not read: " + agent.log());
            }
            AgentProcess.pause(10);
          }
          held = reads(agent.log());
          assertThat(Files.readString(monitorOut)).as("nothing installed or pruned during the upload").isEmpty();
          if (count(agent.log(), "holding a change until") > holdsBefore
              && !agent.log().substring(agent.log().lastIndexOf("holding a change until")).contains("dropped")) {
            // Issue 15: /healthz says what is held (still 200: holding is not a fault).
            AgentProcess.Response health = agent.http("/healthz");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body()).startsWith("ok\n").contains("a change of the routes file is held until");
            // ...and so does `route-agent status`, first, from the daemon's runtime directory.
            Commands.Result status = ns.agent(config, "status", "--lock-dir", lockDir.toString());
            assertThat(status.output()).contains("held: a change of the routes file is held until");
            assertThat(ns.agent(config, "status", "--json", "--lock-dir", lockDir.toString()).output())
                .contains("\"held\":{\"until\":");
            healthChecked++;
          }
        }
      }
      assertThat(healthChecked).as("a chunk that was held, and /healthz asked while it was").isPositive();
      ns.awaitIp(t -> t.contains("10.105.219.0/24") && t.contains("10.100.0.0/24"), Duration.ofSeconds(60),
          agent::log, "route");
    } finally {
      monitor.destroy();
      monitor.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(agent.log()).contains("config reloaded routes=1503");
    assertThat(Files.readString(monitorOut).lines().filter(l -> l.contains("Deleted"))).isEmpty();
  }

  /** The reads of a changed file that did not apply it: held, or refused. */
  private static int reads(String log) {
    return count(log, "holding a change until") + count(log, "invalid config, the last good one");
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
