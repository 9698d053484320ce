package io.routeagent.config;

/**
 * What a route's and a rule's draft share: where the entry starts, the table names, the problem
 * collector, and whether the entry failed (a failed entry is reported, never built).
 */
abstract class EntryDraft {
  /** Where the entry starts: the place for problems of the entry as a whole. */
  final Location entry;
  final TableNames tables;
  final Problems problems;
  boolean failed;

  EntryDraft(Location entry, TableNames tables, Problems problems) {
    this.entry = entry;
    this.tables = tables;
    this.problems = problems;
  }

  /** Reports a problem with this entry; it will not be built. */
  void fail(Location at, String message, String hint) {
    failed = true;
    problems.add(at, message, hint);
  }

  /** Keeps the entry from being built, after its problem was reported elsewhere. */
  void discard() {
    failed = true;
  }
}
