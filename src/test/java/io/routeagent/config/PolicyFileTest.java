package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The policy is trusted only as a root-owned regular file that no one else may write. */
class PolicyFileTest {
  private static final TableNames TABLES = TableNames.of(Map.of());
  private static final String POLICY = "allow:\n  destinations: [10.0.0.0/8]\n";

  @TempDir Path temp;
  Path etc;
  Path file;

  /** Files made here must be root's: the test needs root, and under CI=true fails without it. */
  @BeforeEach
  void rootOwnedDirectory() throws IOException {
    etc = Files.createDirectory(temp.resolve("etc"));
    Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
    file = etc.resolve("policy.yaml");
    if (!Integer.valueOf(0).equals(Files.getAttribute(etc, "unix:uid"))) {
      String why = "the policy's trust checks need files owned by root: run the tests as root";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
  }

  private Path write(String text, String permissions) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  private ConfigException refused(PolicyFile policy) {
    ConfigException e = catchThrowableOfType(ConfigException.class, policy::load);
    assertThat(e).as("the policy must be refused").isNotNull();
    assertThat(e.failClosed()).isTrue();
    assertThat(e.problems()).hasSize(1);
    assertThat(e.getMessage()).doesNotContain("Exception", "\tat ");
    return e;
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      0    | 0100644 |
      0    | 0100600 |
      0    | 0100444 |
      0    | 0100664 | it is writable by its group or others (mode 0664)
      0    | 0100646 | it is writable by its group or others (mode 0646)
      1000 | 0100644 | it is owned by uid 1000, not root
      0    | 0120777 | it is a symbolic link, not a regular file
      0    | 0010644 | it is a FIFO (named pipe), not a regular file
      0    | 0040755 | it is a directory, not a regular file
      0    | 0020666 | it is a character device, not a regular file
      """)
  void ownerAndModeAsFstatGivesThem(int uid, String mode, String why) {
    assertThat(PolicyFile.distrust(uid, Integer.parseInt(mode, 8)).orElse(null)).isEqualTo(why);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      0    | 0040755 |
      0    | 0041777 |
      0    | 0040775 | is writable by its group or others (mode 0775)
      0    | 0040777 | is writable by its group or others (mode 0777)
      1000 | 0040755 | is owned by uid 1000, not root
      """)
  void directoriesOnTheWay(int uid, String mode, String why) {
    assertThat(PolicyFile.distrustDirectory(uid, Integer.parseInt(mode, 8)).orElse(null)).isEqualTo(why);
  }

  @Test
  void aRootOwnedFileWritableByRootAloneIsTrusted() throws Exception {
    write(POLICY, "rw-r--r--");
    Policy policy = new PolicyFile(file, true, TABLES).load();
    assertThat(policy.inForce()).isTrue();
    assertThat(policy.file()).contains(file.toString());
  }

  @Test
  void aGroupWritablePolicyIsRefused() throws IOException {
    write(POLICY, "rw-rw-r--");
    assertThat(refused(new PolicyFile(file, true, TABLES)).getMessage())
        .startsWith(file + ": the policy is not trusted: it is writable by its group or others (mode 0664)")
        .contains("Nothing is applied or pruned", "chmod 0644 " + file);
    // At the default path too: an untrusted policy is never "no policy".
    refused(new PolicyFile(file, false, TABLES));
  }

  @Test
  void aPolicyOwnedByAnotherUserIsRefused() throws IOException {
    write(POLICY, "rw-r--r--");
    Files.setAttribute(file, "unix:uid", 1000);
    assertThat(refused(new PolicyFile(file, false, TABLES)).getMessage())
        .contains("the policy is not trusted: it is owned by uid 1000, not root");
  }

  @Test
  void aSymbolicLinkIsNotFollowed() throws IOException {
    Path real = Files.writeString(etc.resolve("real.yaml"), POLICY);
    Files.createSymbolicLink(file, real);
    assertThat(refused(new PolicyFile(file, true, TABLES)).getMessage())
        .contains("the policy is not trusted: it is a symbolic link, and the agent follows no link here");
  }

  @Test
  void aFifoIsRefusedWithoutBeingOpened() throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    assertThat(refused(new PolicyFile(file, true, TABLES)).getMessage()).contains("it is a FIFO");
  }

  /** chmod 0644 on a directory named by mistake would make it unusable: no such advice. */
  @Test
  void aDirectoryNamedAsThePolicyIsRefusedWithoutChmodAdvice() throws IOException {
    Files.createDirectory(file);
    assertThat(refused(new PolicyFile(file, true, TABLES)).getMessage())
        .isEqualTo(file + ": the policy is not trusted: it is a directory, not a regular file; the agent reads"
            + " regular files only. Nothing is applied or pruned until this is fixed.");
  }

  @Test
  void aDirectoryOthersMayWriteIsNotTrusted() throws IOException {
    write(POLICY, "rw-r--r--");
    Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(refused(new PolicyFile(file, true, TABLES)).getMessage())
        .contains("the policy is not trusted: directory " + etc + " is writable by its group or others (mode 0777)")
        .contains("Nothing is applied or pruned until the policy is in directories only root can change")
        .doesNotContain("chmod", "chown");
    // Even when the file is absent: whoever may write there could remove the policy.
    Files.delete(file);
    refused(new PolicyFile(file, false, TABLES));
    Files.setAttribute(etc, "unix:uid", 1000);
    Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(refused(new PolicyFile(file, false, TABLES)).getMessage()).contains("is owned by uid 1000, not root");
  }

  @Test
  void aMissingDefaultPolicyIsNoPolicyAndAMissingGivenOneIsAnError() throws Exception {
    assertThat(new PolicyFile(file, false, TABLES).load()).isEqualTo(Policy.NONE);
    assertThat(new PolicyFile(etc.resolve("route-agent/policy.yaml"), false, TABLES).load()).isEqualTo(Policy.NONE);
    assertThat(refused(new PolicyFile(file, true, TABLES)).getMessage())
        .isEqualTo(file + ": the policy file does not exist. Write it, or leave --policy and"
            + " ROUTE_AGENT_POLICY unset to use /etc/route-agent/policy.yaml when it exists.");
  }

  @Test
  void aPolicyOverTheSizeCapIsRefused() throws IOException {
    write("allow: {}\n" + "#".repeat(PolicyFile.MAX_SIZE) + "\n", "rw-r--r--");
    assertThat(refused(new PolicyFile(file, true, TABLES)).getMessage()).contains("larger than the limit of 64 KiB");
  }

  @Test
  void anInvalidPolicyFailsClosedWithLineAndColumn() throws IOException {
    write("allow:\n  destinatons: [10.0.0.0/8]\n", "rw-r--r--");
    assertThat(refused(new PolicyFile(file, true, TABLES)).getMessage())
        .startsWith(file + ":2:3: unknown key \"destinatons\"");
    Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});
    assertThat(refused(new PolicyFile(file, true, TABLES)).getMessage()).contains("not valid UTF-8");
  }
}
