package io.routeagent.migrate;

/**
 * One entry of a routes file being written: a route or rule in the file's one-line form, with
 * where it came from.
 *
 * @param origin what it was made from, for a comment above it ("line 3: ip route add ...")
 * @param text the entry in the routes file's one-line form
 * @param note a remark for the operator (written as a second comment, and to stderr), or null
 * @param commentedOut written as a comment, for the operator to uncomment knowingly
 */
public record Entry(String origin, String text, String note, boolean commentedOut) {
  public Entry(String origin, String text, String note) {
    this(origin, text, note, false);
  }
}
