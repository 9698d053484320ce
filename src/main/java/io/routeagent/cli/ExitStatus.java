package io.routeagent.cli;

/** Exit statuses shared by the commands; README.md ("What works today") lists which command uses which. */
final class ExitStatus {
  private ExitStatus() {}

  static final int OK = 0;
  static final int ERROR = 1;
  /** plan: changes pending; status: not everything installed. */
  static final int PENDING = 2;
  /** apply: some routes left waiting for their interface. */
  static final int WAITING = 3;
}
