package io.routeagent.cli;

/**
 * Exit statuses shared by the commands; README.md ("What works today") lists which command uses
 * which, and each command's help lists its own (picocli's exitCodeList, which the man page repeats).
 */
final class ExitStatus {
  private ExitStatus() {}

  static final int OK = 0;
  static final int ERROR = 1;
  /** plan: changes pending; status: not everything installed. */
  static final int PENDING = 2;
  /** apply: some routes left waiting for their interface. */
  static final int WAITING = 3;
  /** apply: a daemon manages this network namespace; nothing was changed (--force overrides). */
  static final int DAEMON_RUNNING = 4;
  /** A usage error (an unknown option or command, a bad value): sysexits.h's EX_USAGE. */
  static final int USAGE = 64;
  /** run: without the privilege to change routes (sysexits.h's EX_NOPERM); the unit does not restart it. */
  static final int NO_PRIVILEGE = io.routeagent.daemon.Service.NO_PRIVILEGE;
  /**
   * run: the routes directory bound into the unit's sandbox was moved or deleted at its source
   * (sysexits.h's EX_TEMPFAIL); the unit's restart binds the one that now has its name.
   */
  static final int DIRECTORY_LOST = io.routeagent.daemon.Daemon.DIRECTORY_LOST;

  /** The usage error's line in every command's list, the same everywhere. */
  static final String USAGE_LINE = USAGE + ":usage error: an unknown option or command, or a bad value";
}
