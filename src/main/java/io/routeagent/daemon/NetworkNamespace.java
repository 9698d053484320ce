package io.routeagent.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's network namespace: agents in different namespaces manage different tables. */
public final class NetworkNamespace {
  private NetworkNamespace() {}

  /**
   * "net-4026531840", from the inode in /proc/self/ns/net ("net:[4026531840]"); plain "net" when
   * /proc cannot tell, which makes every such agent share one name: safe for a lock, if coarse.
   */
  public static String name() {
    try {
      String link = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
      String inode = link.replaceAll("[^0-9]", "");
      return inode.isEmpty() ? "net" : "net-" + inode;
    } catch (IOException | UnsupportedOperationException e) {
      return "net";
    }
  }
}
