package io.routeagent.packaging;

import io.routeagent.testing.Commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lifecycle/on-start.sh as SageMaker runs it (root, from /, with next to no PATH), under a root
 * directory (ROUTE_AGENT_LIFECYCLE_ROOT, which it hands to install.sh as --root).
 */
class LifecycleIT {
  @TempDir Path dir;
  Path script;
  Path root;
  Path volume;

  @BeforeEach
  void setUp() throws IOException {
    Bundle.requireRoot();
    script = Bundle.unpack(Files.createDirectory(dir.resolve("unpacked"))).resolve("lifecycle/on-start.sh");
    root = Files.createDirectory(dir.resolve("root"));
    volume = Files.createDirectories(root.resolve("home/ec2-user/SageMaker/route-agent"));
    InstallIT.chown("1000:1000", root.resolve("home/ec2-user/SageMaker"));
    InstallIT.chown("1000:1000", volume);
  }

  private Commands.Result onStart() {
    List<String> command = List.of("/bin/bash", "-c", "cd / && exec /bin/bash " + script);
    long start = System.nanoTime();
    Commands.Result result = Bundle.run(command, Map.of("ROUTE_AGENT_LIFECYCLE_ROOT", root.toString(), "PATH", "/nonexistent"), true);
    System.out.printf("on-start.sh took %d ms%n", (System.nanoTime() - start) / 1_000_000);
    assertThat(result.status()).as("on-start.sh must always exit 0: " + result.output()).isZero();
    return result;
  }

  @Test
  void installsFromTheTarballOnTheVolumeAndAgainAtTheNextStart() throws IOException {
    Files.copy(Bundle.tarball(), volume.resolve(Bundle.tarball().getFileName()));
    Commands.Result first = onStart();
    assertThat(first.output()).contains("installing from", "installed the bundle", "done in");
    assertThat(root.resolve("opt/route-agent/bin/route-agent")).isExecutable();
    assertThat(root.resolve("etc/systemd/system/route-agent.service")).exists();
    assertThat(volume.resolve("routes.yaml")).exists();
    assertThat(root.resolve("opt/route-agent.unpack")).doesNotExist();
    assertThat(Files.readString(volume.resolve("on-start.log"))).contains("done in");

    String before = InstallIT.listing(root.resolve("opt/route-agent")) + InstallIT.listing(root.resolve("etc"));
    Commands.Result second = onStart();
    assertThat(second.output()).contains("is up to date").doesNotContain("installed the bundle");
    InstallIT.assertSameListing(before,
        InstallIT.listing(root.resolve("opt/route-agent")) + InstallIT.listing(root.resolve("etc")));
  }

  @Test
  void withoutATarballSaysSoAndLetsTheNotebookStart() {
    Commands.Result result = onStart();
    assertThat(result.output()).contains("no route-agent-*-linux-x86_64.tar.gz in");
    assertThat(root.resolve("opt/route-agent")).doesNotExist();
  }

  @Test
  void aBrokenTarballFailsTheInstallNotTheNotebook() throws IOException {
    Files.writeString(volume.resolve("route-agent-9.9.9-linux-x86_64.tar.gz"), "not a tarball");
    Commands.Result result = onStart();
    assertThat(result.output()).contains("cannot unpack", "not installed", "the notebook starts anyway");
    assertThat(root.resolve("opt/route-agent")).doesNotExist();
  }
}
