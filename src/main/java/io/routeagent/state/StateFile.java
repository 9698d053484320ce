package io.routeagent.state;

import io.routeagent.kernel.FileAccessException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one way a record in the state directory is written: to a temporary file beside it, forced
 * to disk, renamed over the old one, and the directory forced, so that a reader (this process
 * after a kill -9, or the next one) finds the old record or the new one, never half of one. And
 * the one way it is read: a record that cannot be read or parsed is said through the warning sink
 * and read as {@code empty}.
 */
final class StateFile {
  private StateFile() {}

  /**
   * The record in {@code file}, or {@code empty} when there is none yet or it cannot be used.
   *
   * @param what the record in words, for the warnings ("the record of owned rules")
   * @param parse the record's parser; an IllegalArgumentException means a corrupt record
   * @param unreadable what follows for the agent when the record cannot be read
   * @param corrupt what follows when it is corrupt
   */
  static <T> T read(Path file, String what, Function<String, T> parse, T empty, Consumer<String> warnings,
      String unreadable, String corrupt) {
    ByteBuffer bytes;
    try {
      bytes = ByteBuffer.wrap(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return empty;
    } catch (AccessDeniedException e) {
      warnings.accept("cannot read " + what + " " + file + " (permission denied): " + unreadable);
      return empty;
    } catch (IOException e) {
      warnings.accept("cannot read " + what + " " + file + ": " + FileAccessException.describe(e) + "; it is ignored");
      return empty;
    }
    try {
      return parse.apply(StandardCharsets.UTF_8.newDecoder().decode(bytes).toString());
    } catch (CharacterCodingException e) {
      // The decoder stops at the first byte that is not UTF-8.
      warnings.accept(what + " " + file + " is corrupt (not UTF-8 text at byte offset " + bytes.position()
          + "); it is ignored: " + corrupt);
      return empty;
    } catch (IllegalArgumentException e) {
      warnings.accept(what + " " + file + " is corrupt (" + e.getMessage() + "); it is ignored: " + corrupt);
      return empty;
    }
  }

  /**
   * Replaces {@code file}'s content with {@code text}, atomically and durably.
   *
   * @throws FileAccessException naming the path of the step that failed (the directory, or the
   *     temporary file beside the record) and its errno
   */
  static void replace(Path file, String text) throws FileAccessException {
    Path directory = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw FileAccessException.of(directory, "it cannot be made a directory", e);
    }
    Path temporary = directory.resolve("." + file.getFileName() + ".tmp");
    FileChannel out;
    try {
      out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw FileAccessException.of(temporary, "it cannot be opened for writing", e);
    }
    try (out) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    } catch (IOException e) {
      throw FileAccessException.of(temporary, "it cannot be written", e);
    }
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      if (e instanceof AtomicMoveNotSupportedException) {
        deleteAfter(temporary, e);
      }
      throw FileAccessException.of(temporary, "it cannot be renamed to " + file.getFileName(), e);
    }
    // The rename is durable once the directory is.
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      throw FileAccessException.of(directory, "it cannot be synced to disk", e);
    }
  }

  /** Removes a temporary file that can never be renamed, keeping {@code failure} the one said. */
  private static void deleteAfter(Path temporary, IOException failure) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
