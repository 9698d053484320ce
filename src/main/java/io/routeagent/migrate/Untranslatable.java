package io.routeagent.migrate;

/** A command or kernel entry that cannot be written as a routes file entry; the message says why. */
final class Untranslatable extends Exception {
  private static final long serialVersionUID = 1L;

  Untranslatable(String reason) {
    super(reason, null, false, false);
  }
}
