package io.routeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.routeagent.testing.RootOnly;
import java.io.IOException;
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

  private Run check(Path config) throws IOException {
    RootOnly.require(); // the policy must be root's to be read
    Path policy = Files.writeString(dir.resolve("policy.yaml"), "allow:\n  destinations: [10.0.0.0/8]\n");
    Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rw-r--r--"));
    return Run.of("--policy", policy.toString(), "--config", config.toString(), "check");
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
