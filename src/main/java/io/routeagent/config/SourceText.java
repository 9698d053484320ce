package io.routeagent.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Turns file bytes into text, and positions in text into line and column. */
final class SourceText {
  private SourceText() {}

  /**
   * Decodes strict UTF-8 (a leading byte order mark is dropped). Invalid bytes are reported at
   * their line and column rather than replaced: a binary or mis-encoded file must not half-load.
   */
  static Optional<String> decode(String file, byte[] bytes, Problems problems) {
    ByteBuffer in = ByteBuffer.wrap(bytes).position(byteOrderMark(bytes));
    // The String constructor decodes valid UTF-8 as the strict decoder does, several times faster
    // (a straight copy for ASCII, 4.6 MB for 100,000 routes), and turns each invalid sequence into
    // U+FFFD: a text without one is the strict decoder's. With one (or a U+FFFD written in the
    // file), the strict decoder finds and places the invalid byte.
    String lenient = new String(bytes, in.position(), bytes.length - in.position(), StandardCharsets.UTF_8);
    if (lenient.indexOf('\uFFFD') < 0) {
      return Optional.of(lenient);
    }
    return strict(file, bytes, problems);
  }

  /** The length of the UTF-8 byte order mark the text starts with: 3, or 0 without one. */
  private static int byteOrderMark(byte[] bytes) {
    return bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
  }

  /** As {@link #decode}, with the strict decoder alone. */
  static Optional<String> strict(String file, byte[] bytes, Problems problems) {
    ByteBuffer in = ByteBuffer.wrap(bytes).position(byteOrderMark(bytes));
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    out.flip();
    if (result.isError()) {
      int offset = in.position();
      problems.add(
          locate(file, out, out.length()),
          String.format(
              "the file is not valid UTF-8 text: byte 0x%02X at offset %d", bytes[offset], offset),
          "The routes file must be UTF-8 text; is it a binary file?");
      return Optional.empty();
    }
    return Optional.of(out.toString());
  }

  /**
   * The location of {@code text.charAt(index)}, counting lines as YAML does (LF, CRLF or CR) and
   * columns in code points, both from 1.
   */
  static Location locate(String file, CharSequence text, int index) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        lineStart = i + 1;
      }
    }
    return new Location(file, line, Character.codePointCount(text, lineStart, index) + 1);
  }

  /** Like {@link #locate} for an index counted in code points, as snakeyaml's reader counts. */
  static Location locateCodePoint(String file, String text, int codePointIndex) {
    int available = text.codePointCount(0, text.length());
    int index = text.offsetByCodePoints(0, Math.min(codePointIndex, available));
    return locate(file, text, index);
  }
}
