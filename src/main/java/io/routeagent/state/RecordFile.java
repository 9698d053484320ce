package io.routeagent.state;

import io.routeagent.kernel.FileAccessException;
import io.routeagent.reconcile.StateRecord;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A record kept in one file of the state directory: read and written as {@link StateFile} reads
 * and writes, so that a reader finds the old record or the new one, never half of one, and a
 * record that cannot be read or parsed is said through the warning sink and read as empty.
 *
 * @param <T> the record
 */
abstract class RecordFile<T> implements StateRecord<T> {
  private final Path file;
  private final Consumer<String> warnings;
  private final String what;
  private final Function<String, T> parse;
  private final Function<T, String> format;
  private final T empty;
  private final String unreadable;
  private final String corrupt;
  private final String unwritable;

  /**
   * @param what the record in words, for the warnings ("the record of owned rules")
   * @param unreadable what follows for the agent when the record cannot be read
   * @param corrupt what follows when it is corrupt
   * @param unwritable what follows when it cannot be written, from "; ", or empty
   */
  RecordFile(Path file, Consumer<String> warnings, String what, Function<String, T> parse,
      Function<T, String> format, T empty, String unreadable, String corrupt, String unwritable) {
    this.file = file;
    this.warnings = warnings;
    this.what = what;
    this.parse = parse;
    this.format = format;
    this.empty = empty;
    this.unreadable = unreadable;
    this.corrupt = corrupt;
    this.unwritable = unwritable;
  }

  public Path path() {
    return file;
  }

  @Override
  public String where() {
    return file.toString();
  }

  /** The record; empty when there is none yet, or (with a warning) when it cannot be read. */
  @Override
  public T load() {
    return StateFile.read(file, what, parse, empty, warnings, unreadable, corrupt);
  }

  /** Replaces the record, atomically and durably (see {@link StateFile}). */
  @Override
  public void save(T record) throws FileAccessException {
    StateFile.replace(file, format.apply(record));
  }

  /** Saves, or says through the warning sink why it could not. */
  @Override
  public void trySave(T record) {
    try {
      save(record);
    } catch (FileAccessException e) {
      warnings.accept("cannot write " + what + " " + file + ": " + e.getMessage() + unwritable);
    }
  }
}
