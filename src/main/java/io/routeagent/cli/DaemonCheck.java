package io.routeagent.cli;

import io.routeagent.config.Printable;
import io.routeagent.daemon.DaemonLock;

/** How plan and apply name a running daemon: its pid and the routes file it applies. */
final class DaemonCheck {
  private DaemonCheck() {}

  /** "the route-agent daemon (pid 1234) manages this network namespace's routes from FILE". */
  static String describe(DaemonLock.Holder daemon) {
    // The lock file is read defensively, but the file it names is shown: escaped, as any path.
    return Printable.escape("a route-agent daemon (pid "
        + (daemon.pid().isPresent() ? String.valueOf(daemon.pid().getAsLong()) : "unknown")
        + ") manages this network namespace's routes"
        + daemon.watches().map(file -> " from " + file).orElse("") + " (lock " + daemon.lockFile() + ")");
  }

  /** The file to edit, or how to find it when an older daemon did not say. */
  static String watched(DaemonLock.Holder daemon) {
    return daemon.watches().map(file -> Printable.escape(file.toString()))
        .orElse("the routes file it was started with (its --config, or $ROUTE_AGENT_CONFIG)");
  }
}
