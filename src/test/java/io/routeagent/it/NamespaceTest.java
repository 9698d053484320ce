package io.routeagent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notebook-like namespace and a routes file in a temporary directory for each test; the
 * namespace is deleted after it, whatever happened.
 */
abstract class NamespaceTest {
  /** Three routes through eth2's VPC router, in the three spellings a user may write. */
  static final String ROUTES = """
      routes:
        - to: 10.0.0.0/16
          via: 172.31.64.1
          dev: eth2
        - "10.20.0.0/16 via 172.31.64.1 dev eth2 metric 50"
        - { to: 10.30.0.0/16, via: subnet-router, dev: eth2 }
      """;

  @TempDir Path dir;
  Path config;
  Netns ns;

  /** What the routes file holds when a test starts. */
  abstract String initialRoutesFile();

  @BeforeEach
  void makeNamespace() throws IOException {
    ns = Netns.notebook();
    config = write(initialRoutesFile());
  }

  @AfterEach
  void deleteNamespace() {
    if (ns != null) {
      ns.close();
    }
  }

  /** Replaces the routes file's content. */
  Path write(String text) throws IOException {
    Path file = dir.resolve("routes.yaml");
    Files.writeString(file, text);
    return file;
  }
}
