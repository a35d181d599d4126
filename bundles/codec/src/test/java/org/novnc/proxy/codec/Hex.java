package org.novnc.proxy.codec;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex vectors as the RFC writes them: "81 85 37 fa", spaces ignored. */
final class Hex {
  private Hex() {}

  /** The bytes of the concatenated hex strings, in a fresh heap buffer ready to read. */
  static ByteBuffer bytes(String... hex) {
    return ByteBuffer.wrap(array(hex));
  }

  static byte[] array(String... hex) {
    return HexFormat.of().parseHex(String.join("", hex).replace(" ", ""));
  }

  /** {@code hex} repeated {@code times} times. */
  static String repeat(String hex, int times) {
    return hex.replace(" ", "").repeat(times);
  }

  /** The remaining bytes of {@code buffer}, space separated; the buffer is not consumed. */
  static String of(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return of(bytes);
  }

  static String of(byte[] bytes) {
    return HexFormat.ofDelimiter(" ").formatHex(bytes);
  }
}
