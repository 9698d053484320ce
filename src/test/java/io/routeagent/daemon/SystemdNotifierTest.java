package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemdNotifierTest {
  @Test
  void noNotifySocketIsNoNotifier() throws Exception {
    assertThat(SystemdNotifier.fromEnvironment(Map.of())).isEmpty();
    assertThat(SystemdNotifier.socketPath("")).isEmpty();
  }

  @Test
  void aPathIsKeptAndAnAtNamesTheAbstractNamespace() {
    assertThat(SystemdNotifier.socketPath("/run/systemd/notify").orElseThrow())
        .isEqualTo("/run/systemd/notify".getBytes(StandardCharsets.UTF_8));
    assertThat(SystemdNotifier.socketPath("@notify").orElseThrow())
        .isEqualTo(new byte[] {0, 'n', 'o', 't', 'i', 'f', 'y'});
  }

  @Test
  void aRelativeOrOverlongPathIsRefused() {
    assertThatThrownBy(() -> SystemdNotifier.socketPath("run/notify"))
        .hasMessageContaining("is not a socket path");
    assertThat(SystemdNotifier.socketPath("/" + "a".repeat(106))).isPresent();
    assertThatThrownBy(() -> SystemdNotifier.socketPath("/" + "a".repeat(107)))
        .hasMessageContaining("is not a socket path");
  }
}
