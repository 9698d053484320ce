package io.routeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.RootOnly;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} with an empty drop-in beside a valid routes file: with no configuration in force
 * to compare with, the empty file is skipped with a notice on stderr, and an empty routes file
 * stays an error.
 */
class CheckEmptyDropInTest {
  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  private Run check(Path config) throws IOException {
    RootOnly.require(); // the policy must be root's to be read
    Path policy = Files.writeString(dir.resolve("policy.yaml"), "allow:\n  destinations: [10.0.0.0/8]\n");
    Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rw-r--r--"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      status = Main.run("--policy", policy.toString(), "--config", config.toString(), "check");
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anEmptyDropInIsSkippedWithANotice() throws IOException {
    Path config = Files.writeString(dir.resolve("routes.yaml"), "routes:\n  - 10.0.0.0/16 via 172.31.64.1\n");
    Path dropIns = Files.createDirectory(dir.resolve("routes.d"));
    Files.writeString(dropIns.resolve("untitled.yaml"), "");

    Run run = check(config);

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("valid, 1 route");
    assertThat(run.err().strip()).isEqualTo("route-agent: notice: skipped " + dropIns.resolve("untitled.yaml")
        + ": the file is empty, it declares nothing");
  }

  @Test
  void anEmptyRoutesFileStaysAnError() throws IOException {
    Path config = Files.writeString(dir.resolve("routes.yaml"), "\n");
    Run run = check(config);
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out() + run.err()).contains("the file is empty");
  }
}
