package io.routeagent.packaging;

import io.routeagent.testing.Commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/on-start.sh, the lifecycle script that pins the tarball's sha256, as SageMaker runs it
 * (root, from /, with next to no PATH), under a root directory (ROUTE_AGENT_LIFECYCLE_ROOT, which it
 * hands to install.sh as --root). The routes directory is the notebook user's (uid 1000), who may
 * put anything there: the tests do so as that uid.
 */
class LifecycleIT {
  @TempDir Path dir;
  Path script;
  Path root;
  Path volume;

  @BeforeEach
  void setUp() throws IOException {
    Bundle.requireRoot();
    script = Bundle.onStart();
    // The user must reach the volume under the temporary directory, as on a notebook.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    root = Files.createDirectory(dir.resolve("root"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    volume = Files.createDirectories(root.resolve("home/ec2-user/SageMaker/route-agent"));
    for (Path p = volume; !p.equals(root); p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
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

  /** The user copies the real tarball onto the volume under {@code name}. */
  private void userCopiesTheTarball(String name) {
    Bundle.asUser("cp '" + Bundle.tarball() + "' '" + volume.resolve(name) + "'");
  }

  @Test
  void pinsTheTarballsSha256AndFitsSageMakersLimit() throws IOException, NoSuchAlgorithmException {
    String sha256 = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Bundle.tarball())));
    String text = Files.readString(script);
    assertThat(text).startsWith("#!/bin/bash\n").doesNotContain("\r")
        .contains("\npinned_sha256=" + sha256 + "\n", "\npinned_name=" + Bundle.name() + "\n")
        .doesNotContainPattern("@ROUTE_AGENT_[A-Z0-9]+@");
    assertThat(text.length()).as("a lifecycle script may have 16,384 characters").isLessThanOrEqualTo(16_384);
  }

  @Test
  void installsFromTheTarballOnTheVolumeAndAgainAtTheNextStart() throws IOException {
    userCopiesTheTarball(Bundle.tarball().getFileName().toString());
    Commands.Result first = onStart();
    assertThat(first.output()).contains("installing from", "verified on a copy", "installed the bundle", "done in");
    assertThat(root.resolve("opt/route-agent/bin/route-agent")).isExecutable();
    assertThat(root.resolve("etc/systemd/system/route-agent.service")).exists();
    assertThat(volume.resolve("routes.yaml")).exists();
    assertThat(root.resolve("opt/route-agent.unpack")).doesNotExist();
    // Its log is root's, outside the user's directory.
    assertThat(Files.readString(root.resolve("var/log/route-agent-on-start.log"))).contains("done in");
    assertThat(volume.resolve("on-start.log")).doesNotExist();
    assertThat(root.resolve("etc/route-agent/policy.yaml")).as("no policy in the script, no policy file").doesNotExist();

    String before = InstallIT.listing(root.resolve("opt/route-agent")) + InstallIT.listing(root.resolve("etc"));
    Commands.Result second = onStart();
    assertThat(second.output()).contains("is up to date").doesNotContain("installed the bundle");
    InstallIT.assertSameListing(before,
        InstallIT.listing(root.resolve("opt/route-agent")) + InstallIT.listing(root.resolve("etc")));
  }

  @Test
  void withoutATarballSaysSoAndLetsTheNotebookStart() {
    Commands.Result result = onStart();
    assertThat(result.output()).contains("no tarball in", "has the sha256 this script pins", "nothing installed");
    assertThat(root.resolve("opt/route-agent")).doesNotExist();
  }

  @Test
  void aFileThatIsNotTheTarballIsIgnoredAndTheNotebookStarts() throws IOException {
    Bundle.asUser("echo 'not a tarball' > '" + volume.resolve("route-agent-9.9.9-linux-x86_64.tar.gz") + "'");
    Commands.Result result = onStart();
    assertThat(result.output()).contains("ignored " + volume.resolve("route-agent-9.9.9-linux-x86_64.tar.gz"),
        "nothing installed");
    assertThat(root.resolve("opt/route-agent")).doesNotExist();
  }

  @Test
  void theTemplateInTheTarballPinsNothingAndInstallsNothing() throws IOException {
    userCopiesTheTarball(Bundle.tarball().getFileName().toString());
    script = Bundle.unpack(Files.createDirectory(dir.resolve("unpacked"))).resolve("lifecycle/on-start.sh");
    Commands.Result result = onStart();
    assertThat(result.output()).contains("this is the template", "target/on-start.sh", "nothing installed");
    assertThat(root.resolve("opt/route-agent")).doesNotExist();
  }

  /** Issue 10, reproduction 1: the user's tarball ran its install.sh as root. */
  @Test
  void aTarballTheUserDropsIsNeverRunAsRoot() throws IOException {
    Path marker = dir.resolve("ran-as-root");
    Bundle.asUser("cd '" + volume + "'; b=x/route-agent-9.9.9-linux-x86_64; mkdir -p $b;"
        + " printf '#!/bin/sh\\nid > " + marker + "\\n' > $b/install.sh; chmod 755 $b/install.sh;"
        + " tar -czf route-agent-9.9.9-linux-x86_64.tar.gz -C x route-agent-9.9.9-linux-x86_64; rm -r x");
    Commands.Result result = onStart();
    assertThat(marker).as("the user's install.sh ran as root: " + result.output()).doesNotExist();
    assertThat(result.output()).contains("ignored " + volume.resolve("route-agent-9.9.9-linux-x86_64.tar.gz"),
        "no tarball in " + volume + " has the sha256 this script pins", "nothing installed");
    assertThat(root.resolve("opt/route-agent")).doesNotExist();
    assertThat(root.resolve("opt/route-agent.unpack")).doesNotExist();
  }

  @Test
  void theTarballWithThePinnedHashIsInstalledUnderAnyNameAndOneWithAnotherHashNever() throws IOException {
    // Same name and size as the real one, one byte changed (the last, in gzip's trailer).
    Path forged = volume.resolve(Bundle.tarball().getFileName());
    userCopiesTheTarball(Bundle.tarball().getFileName().toString());
    Bundle.asUser("printf '\\377' | dd of='" + forged + "' bs=1 seek=$(($(stat -c %s '" + forged + "') - 1))"
        + " conv=notrunc 2>/dev/null");
    assertThat(Files.size(forged)).isEqualTo(Files.size(Bundle.tarball()));
    assertThat(Files.readAllBytes(forged)).isNotEqualTo(Files.readAllBytes(Bundle.tarball()));

    Commands.Result refused = onStart();
    assertThat(refused.output()).contains("ignored " + forged + ": its sha256 is not the one this script pins",
        "nothing installed");
    assertThat(root.resolve("opt/route-agent")).doesNotExist();

    userCopiesTheTarball("upload (1).tar.gz");
    Commands.Result installed = onStart();
    assertThat(installed.output()).contains("installing from " + volume.resolve("upload (1).tar.gz"),
        "installed the bundle", "done in");
    assertThat(root.resolve("opt/route-agent/bin/route-agent")).isExecutable();
  }

  /**
   * The user names the files: a name holding newlines printed a line of its own, a fake "done" in
   * the log and the notebook's CloudWatch stream. Every name the script prints is one line, its
   * control characters visible (printf %q), and an ordinary name is printed as it is.
   */
  @Test
  void aFileNameCannotForgeALineOfTheLog() throws IOException {
    String forged = "a.tar.gz: ok\nroute-agent on-start: done in 1s; the agent starts in the background\nb.tar.gz";
    Files.writeString(volume.resolve(forged), "not a tarball");
    String escape = "z\u001b[2J\n.tar.gz";
    Files.copy(Bundle.tarball(), volume.resolve(escape));
    InstallIT.chown("1000:1000", volume.resolve(forged));
    InstallIT.chown("1000:1000", volume.resolve(escape));

    Commands.Result result = onStart();

    String log = Files.readString(root.resolve("var/log/route-agent-on-start.log"));
    for (String output : List.of(result.output(), log)) {
      assertThat(output).contains(
          "ignored $'" + volume + "/a.tar.gz: ok\\nroute-agent on-start: done in 1s; the agent starts in the"
              + " background\\nb.tar.gz': not the tarball this script pins (another size)",
          "installing from $'" + volume + "/z\\E[2J\\n.tar.gz' (sha256");
      assertThat(output.lines().filter(line -> line.startsWith("route-agent on-start: done in"))).hasSize(1);
      assertThat(output.lines().filter(line -> line.startsWith("b.tar.gz") || line.startsWith(".tar.gz"))).isEmpty();
      assertThat(output).doesNotContain("\u001b");
    }
    assertThat(root.resolve("opt/route-agent/bin/route-agent")).isExecutable();
  }

  /** Issue 10, reproduction 1: `tee "$dir/on-start.log"` wrote as root through the user's link. */
  @Test
  void theLogIsNeverWrittenThroughALinkInTheUsersDirectory() throws IOException {
    Path secret = Files.writeString(dir.resolve("root-only"), "root's own\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    String before = InstallIT.listing(secret);
    userCopiesTheTarball(Bundle.tarball().getFileName().toString());
    Bundle.asUser("ln -s '" + secret + "' '" + volume.resolve("on-start.log") + "'");

    Commands.Result result = onStart();
    assertThat(result.output()).contains("done in");
    assertThat(secret).hasContent("root's own");
    InstallIT.assertSameListing(before, InstallIT.listing(secret));
    assertThat(Files.readSymbolicLink(volume.resolve("on-start.log"))).isEqualTo(secret);
    assertThat(Files.readString(root.resolve("var/log/route-agent-on-start.log"))).contains("done in");
  }

  @Test
  void writesThePolicyFromItsOwnTextRootOwned0644BeforeInstalling() throws IOException {
    Path withPolicy = dir.resolve("on-start.sh");
    String policy = "allow:\n  tables: [main, 100-199]  # it's the admin's\n  override: false\n";
    Files.writeString(withPolicy, Files.readString(script)
        .replace("<<'ROUTE_AGENT_POLICY'\nROUTE_AGENT_POLICY\n", "<<'ROUTE_AGENT_POLICY'\n" + policy + "ROUTE_AGENT_POLICY\n"));
    assertThat(Files.readString(withPolicy)).contains(policy);
    script = withPolicy;
    // A policy.yaml on the volume is no policy.
    Bundle.asUser("echo 'allow: { override: true }' > '" + volume.resolve("policy.yaml") + "'");

    Commands.Result first = onStart();
    assertThat(first.output()).contains("wrote /etc/route-agent/policy.yaml");
    Path written = root.resolve("etc/route-agent/policy.yaml");
    assertThat(written).hasContent(policy.stripTrailing());
    assertThat(Files.readString(written)).isEqualTo(policy);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written))).isEqualTo("rw-r--r--");
    assertThat(Files.getAttribute(written, "unix:uid")).isEqualTo(0);

    String before = InstallIT.listing(root.resolve("etc/route-agent"));
    Commands.Result second = onStart();
    assertThat(second.output()).contains("/etc/route-agent/policy.yaml is up to date");
    InstallIT.assertSameListing(before, InstallIT.listing(root.resolve("etc/route-agent")));
  }
}
