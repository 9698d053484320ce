package io.routeagent.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Test data: the real kernel datagrams under src/test/resources/dumps, and hex helpers. */
final class Dumps {
  private Dumps() {}

  static ByteBuffer load(String name) {
    try (InputStream in = Dumps.class.getResourceAsStream("/dumps/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no dump " + name);
      }
      return hex(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ByteBuffer hex(String text) {
    byte[] raw = HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    return ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] slice(ByteBuffer buffer, int offset, int length) {
    byte[] out = new byte[length];
    buffer.get(offset, out);
    return out;
  }
}
