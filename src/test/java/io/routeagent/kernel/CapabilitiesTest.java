package io.routeagent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapabilitiesTest {
  @TempDir Path dir;

  private Path status(String capEff) throws IOException {
    return Files.writeString(dir.resolve("status"),
        "Name:\tjava\nUid:\t997\t997\t997\t997\nCapInh:\t0000000000000000\nCapPrm:\t" + capEff
            + "\nCapEff:\t" + capEff + "\nCapBnd:\t000001ffffffffff\n");
  }

  @Test
  void theUnitsSetHoldsNetAdmin() throws IOException {
    // AmbientCapabilities=CAP_NET_ADMIN: bit 12 alone.
    assertThat(Capabilities.netAdmin(status("0000000000001000"))).contains(true);
  }

  @Test
  void rootInAContainerWithoutNetAdmin() throws IOException {
    // systemd-nspawn's default set for root (CAP_CHOWN ... CAP_SETFCAP, without CAP_NET_ADMIN);
    // the unit's user there: nothing, since the bounding set has no CAP_NET_ADMIN to grant.
    assertThat(Capabilities.netAdmin(status("00000000fdecafff"))).contains(false);
    assertThat(Capabilities.netAdmin(status("0000000000000000"))).contains(false);
  }

  @Test
  void fullRoot() throws IOException {
    assertThat(Capabilities.netAdmin(status("000001ffffffffff"))).contains(true);
  }

  @Test
  void cannotTellWithoutProcOrTheLine() throws IOException {
    assertThat(Capabilities.netAdmin(dir.resolve("missing"))).isEmpty();
    assertThat(Capabilities.netAdmin(Files.writeString(dir.resolve("other"), "Name:\tjava\n"))).isEmpty();
    assertThat(Capabilities.netAdmin(Files.writeString(dir.resolve("bad"), "CapEff:\tzz\n"))).isEmpty();
  }
}
