package io.routeagent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Mount tables as the systemd unit's sandbox shows them (read off a container running the unit). */
class MountSourceTest {
  private static final String SANDBOX = """
      310 290 0:70 / / rw,relatime - overlay overlay rw,lowerdir=/x
      324 310 0:75 / /home ro,nosuid,nodev,relatime - tmpfs tmpfs ro,size=4k,mode=755
      325 324 254:0 /var/tmp/volume/route-agent /home/ec2-user/SageMaker/route-agent rw,relatime - ext4 /dev/vda rw
      326 310 0:76 / /tmp rw,nosuid,nodev - tmpfs tmpfs rw
      """;

  @Test
  void theRoutesDirectoryIsTheBindMountThatShowsIt() {
    assertThat(MountSource.holding(Path.of("/home/ec2-user/SageMaker/route-agent"), SANDBOX))
        .contains(new MountSource("/home/ec2-user/SageMaker/route-agent", "/var/tmp/volume/route-agent"))
        .hasValueSatisfying(mount -> assertThat(mount.bound()).isTrue());
    assertThat(MountSource.holding(Path.of("/home/ec2-user/SageMaker/route-agent/routes.d"), SANDBOX))
        .as("a directory below the mount point").map(MountSource::mountPoint)
        .contains("/home/ec2-user/SageMaker/route-agent");
  }

  @Test
  void aPathOutsideEveryBindIsOnTheRootMount() {
    assertThat(MountSource.holding(Path.of("/home/ec2-user"), SANDBOX)).contains(new MountSource("/home", "/"))
        .hasValueSatisfying(mount -> assertThat(mount.bound()).isFalse());
    assertThat(MountSource.holding(Path.of("/homework"), SANDBOX)).as("a prefix of the name, not of the path")
        .contains(new MountSource("/", "/"));
  }

  @Test
  void theMountOnTopWins() {
    String stacked = SANDBOX + "400 325 0:80 / /home/ec2-user/SageMaker/route-agent rw - tmpfs tmpfs rw\n";
    assertThat(MountSource.holding(Path.of("/home/ec2-user/SageMaker/route-agent"), stacked))
        .contains(new MountSource("/home/ec2-user/SageMaker/route-agent", "/"));
  }

  /** What the kernel showed after `mv route-agent route-agent.old` and after `rm -rf` of it, on the host. */
  @Test
  void aMovedOrDeletedSourceShowsInTheRoot() {
    String moved = SANDBOX.replace("/var/tmp/volume/route-agent ", "/var/tmp/volume/route-agent.old ");
    assertThat(MountSource.holding(Path.of("/home/ec2-user/SageMaker/route-agent"), moved))
        .hasValueSatisfying(mount -> assertThat(mount.root()).isEqualTo("/var/tmp/volume/route-agent.old"))
        .hasValueSatisfying(mount -> assertThat(mount.deleted()).isFalse());
    String deleted = SANDBOX.replace("/var/tmp/volume/route-agent ", "/var/tmp/volume/route-agent.old//deleted ");
    assertThat(MountSource.holding(Path.of("/home/ec2-user/SageMaker/route-agent"), deleted))
        .hasValueSatisfying(mount -> assertThat(mount.deleted()).isTrue());
  }

  @Test
  void escapedCharactersInPathsAreDecoded() {
    String table = "1 0 0:1 / / rw - ext4 /dev/vda rw\n"
        + "2 1 0:2 /my\\040routes\\134x /mnt/a\\040b rw - ext4 /dev/vda rw\n";
    assertThat(MountSource.holding(Path.of("/mnt/a b/c"), table)).contains(new MountSource("/mnt/a b", "/my routes\\x"));
  }
}
