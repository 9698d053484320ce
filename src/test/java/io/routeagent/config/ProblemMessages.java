package io.routeagent.config;

/** What a user would read of these problems: the message they are thrown with, or "" for none. */
final class ProblemMessages {
  private ProblemMessages() {}

  static String of(Problems problems) {
    try {
      problems.throwIfAny();
      return "";
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }
}
