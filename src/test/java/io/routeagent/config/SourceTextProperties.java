package io.routeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link SourceText#decode}'s quick way (the String constructor, then the strict decoder only when
 * it met something invalid) gives what the strict decoder alone gives: the same text, or the same
 * problem at the same place.
 */
class SourceTextProperties {
  /** Valid UTF-8 of every length, a BOM, U+FFFD itself, and bytes that are not UTF-8. */
  private static final List<byte[]> PIECES = List.of(
      "routes:\n  - 10.0.0.0/8 via 172.31.64.1 dev eth2\n".getBytes(StandardCharsets.UTF_8),
      "é".getBytes(StandardCharsets.UTF_8), "€".getBytes(StandardCharsets.UTF_8),
      "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8), "\uFFFD".getBytes(StandardCharsets.UTF_8),
      new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC3},
      new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF},
      new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xFF}, new byte[] {0},
      new byte[] {'\r'}, new byte[] {'\n'});

  @Provide
  Arbitrary<byte[]> files() {
    return Arbitraries.oneOf(
            Arbitraries.of(PIECES).list().ofMaxSize(12).map(pieces -> {
              java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
              pieces.forEach(out::writeBytes);
              return out.toByteArray();
            }),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(16));
  }

  @Property(tries = 3000)
  void decodesAsTheStrictDecoderAlone(@ForAll("files") byte[] bytes) {
    Problems quick = new Problems();
    Problems strict = new Problems();
    Optional<String> text = SourceText.decode("routes.yaml", bytes, quick);
    assertThat(text).isEqualTo(SourceText.strict("routes.yaml", bytes, strict));
    assertThat(ProblemMessages.of(quick)).isEqualTo(ProblemMessages.of(strict));
  }
}
