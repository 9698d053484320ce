package io.routeagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** Table names as iproute2's {@code lib/rt_names.c} reads them. */
final class RtTables implements TableNames {
  /** The names iproute2 compiles in: {@code RT_TABLE_DEFAULT}, {@code _MAIN}, {@code _LOCAL}. */
  private static final Map<String, Long> BUILT_IN =
      Map.of("default", 253L, "main", 254L, "local", 255L);

  private static final String TABLES = "rt_tables";
  private static final String DROP_INS = "rt_tables.d";

  private final Map<String, Long> names;

  RtTables(Map<String, Long> names) {
    Map<String, Long> all = new HashMap<>(names);
    all.putAll(BUILT_IN);
    this.names = Map.copyOf(all);
  }

  @Override
  public OptionalLong lookup(String name) {
    Long id = names.get(name);
    return id == null ? OptionalLong.empty() : OptionalLong.of(id);
  }

  /**
   * Reads the files in iproute2's order: the main file from {@code etcDir}, else from {@code
   * usrDir}; then each {@code usrDir/rt_tables.d/*.conf} not shadowed by a file of the same name in
   * {@code etcDir/rt_tables.d}; then those. A later line for a name wins.
   */
  static RtTables read(Path etcDir, Path usrDir) {
    Map<String, Long> names = new HashMap<>();
    Path etcTables = etcDir.resolve(TABLES);
    readFile(Files.exists(etcTables) ? etcTables : usrDir.resolve(TABLES), names);
    Path etcDropIns = etcDir.resolve(DROP_INS);
    for (Path file : confFiles(usrDir.resolve(DROP_INS))) {
      if (!Files.exists(etcDropIns.resolve(file.getFileName()))) {
        readFile(file, names);
      }
    }
    confFiles(etcDropIns).forEach(file -> readFile(file, names));
    return new RtTables(names);
  }

  private static List<Path> confFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p))
          .sorted()
          .toList();
    } catch (IOException e) {
      // Like iproute2, an unreadable directory just names nothing; a route that needs one of its
      // names then fails with "unknown table name", which points at these files.
      return List.of();
    }
  }

  private static void readFile(Path file, Map<String, Long> names) {
    try {
      Files.readAllLines(file, StandardCharsets.ISO_8859_1).forEach(line -> parseLine(line, names));
    } catch (IOException e) {
      // Missing or unreadable: iproute2 skips it too (see confFiles).
    }
  }

  /** Reads "NUMBER NAME", NUMBER decimal or 0x hex, '#' starting a comment. */
  static void parseLine(String line, Map<String, Long> names) {
    int hash = line.indexOf('#');
    String content = (hash < 0 ? line : line.substring(0, hash)).strip();
    String[] words = content.split("\\s+");
    if (words.length >= 2) {
      parseId(words[0]).ifPresent(id -> names.put(words[1], id));
    }
  }

  private static OptionalLong parseId(String text) {
    boolean hex = text.startsWith("0x") || text.startsWith("0X");
    String digits = hex ? text.substring(2) : text;
    if (digits.isEmpty() || digits.length() > 10) {
      return OptionalLong.empty();
    }
    try {
      long id = Long.parseLong(digits, hex ? 16 : 10);
      return id <= 0xffff_ffffL && id >= 0 ? OptionalLong.of(id) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
