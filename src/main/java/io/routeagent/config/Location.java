package io.routeagent.config;

/** Where in which file a value was written; lines and columns count from 1. */
public record Location(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
