package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NetworkNamespaceTest {
  /** The lock and the state records are named after it: net- and the inode of /proc/self/ns/net. */
  @Test
  void theNamespaceIsNamedAfterItsInode() {
    assertThat(NetworkNamespace.name()).matches("net-[0-9]+");
  }
}
