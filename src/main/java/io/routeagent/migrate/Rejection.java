package io.routeagent.migrate;

/**
 * A route or rule command that cannot be carried into the routes file.
 *
 * @param line the script line it starts on; 0 for a route read from the kernel
 * @param source the command's line as written
 * @param reason why, and what to do
 */
public record Rejection(int line, String source, String reason) {
  @Override
  public String toString() {
    return (line > 0 ? "line " + line + ": " : "") + reason + "\n    " + source;
  }
}
