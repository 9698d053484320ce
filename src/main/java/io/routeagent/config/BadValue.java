package io.routeagent.config;

/**
 * A value that cannot be used, with what to do about it. Thrown by the value parsers, caught where
 * the value's location is known; it carries no stack trace since it is a report, not a bug.
 */
final class BadValue extends RuntimeException {
  private final String hint;

  BadValue(String message, String hint) {
    super(message, null, false, false);
    this.hint = hint;
  }

  String hint() {
    return hint;
  }
}
