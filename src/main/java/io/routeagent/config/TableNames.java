package io.routeagent.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/** Resolves routing table names ("main", or a name from {@code rt_tables}) to numbers. */
public interface TableNames {
  /** The number of the table with this name, or empty if nobody named it. */
  OptionalLong lookup(String name);

  /**
   * The names iproute2 knows, read now: {@code /etc/iproute2/rt_tables} (or, when it is absent,
   * {@code /usr/share/iproute2/rt_tables}, where iproute2 6.5 moved the defaults) and the {@code
   * *.conf} files of both {@code rt_tables.d} directories. Call again to see later edits. The
   * built-in names main (254), default (253) and local (255) are always known.
   */
  static TableNames system() {
    return RtTables.read(Path.of("/etc/iproute2"), Path.of("/usr/share/iproute2"));
  }

  /** Fixed names, plus the built-in ones; for tests and tools. */
  static TableNames of(Map<String, Long> names) {
    return new RtTables(names);
  }
}
