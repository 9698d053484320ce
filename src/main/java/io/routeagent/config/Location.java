package io.routeagent.config;

/** Where in which file a value was written; lines and columns count from 1. */
public record Location(String file, int line, int column) {
  /** FILE:LINE:COL, the file's name with its control characters escaped: a user names drop-ins. */
  @Override
  public String toString() {
    return Printable.escape(file) + ":" + line + ":" + column;
  }
}
