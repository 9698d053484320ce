package io.routeagent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --lock-dir: where run takes this network namespace's lock, and where plan, apply and status look for it. */
final class LockDirOption {
  @Option(names = "--lock-dir", paramLabel = "DIR",
      description = "Where run takes the lock that keeps a second agent off this network namespace,"
          + " and where plan, apply and status look for it (default: $RUNTIME_DIRECTORY, else /run/route-agent).",
      converter = PathConverter.class)
  Path lockDir;

  Path path() {
    if (lockDir != null) {
      return lockDir;
    }
    String runtime = System.getenv("RUNTIME_DIRECTORY");
    return Path.of(runtime != null && !runtime.isEmpty() ? runtime.split(":")[0] : "/run/route-agent");
  }
}
