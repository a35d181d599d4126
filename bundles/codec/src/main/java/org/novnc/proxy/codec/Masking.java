package org.novnc.proxy.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Client-to-server masking, RFC 6455 §5.3: byte {@code i} of the payload is XORed with byte
 * {@code i % 4} of the masking key. Masking and unmasking are the same operation.
 */
public final class Masking {
  private Masking() {}

  /**
   * XORs {@code buf[start, end)} in place with the masking key, eight bytes at a time and then the
   * tail. Positions are absolute; the buffer's position, limit and byte order are not changed.
   *
   * @param maskKey the 4-byte masking key as read from the wire, first byte most significant
   * @param maskOffset which key byte (0–3) applies to {@code buf[start]}: the number of payload
   *     bytes of this frame already unmasked, modulo 4
   * @return the key byte offset for the byte after {@code end}, to pass to the next call
   * @throws java.nio.ReadOnlyBufferException if {@code buf} is read-only
   */
  public static int unmask(ByteBuffer buf, int start, int end, int maskKey, int maskOffset) {
    if (start < 0 || end < start || end > buf.limit()) {
      throw new IndexOutOfBoundsException(
          "[" + start + ", " + end + ") outside [0, " + buf.limit() + ")");
    }
    if (maskKey == 0) {
      return (maskOffset + end - start) & 3; // XOR with zero: nothing to do (clients may use key 0)
    }
    int key = Integer.rotateLeft(maskKey, (maskOffset & 3) * 8); // key byte for buf[start] on top
    long wide = ((long) key << 32) | (key & 0xFFFF_FFFFL);
    if (buf.order() == ByteOrder.LITTLE_ENDIAN) {
      wide = Long.reverseBytes(wide);
    }
    int i = start;
    for (int words = end - 7; i < words; i += 8) {
      buf.putLong(i, buf.getLong(i) ^ wide);
    }
    // Whole words keep the key aligned, so the tail starts again at the top byte.
    for (; i < end; i++) {
      buf.put(i, (byte) (buf.get(i) ^ (key >>> 24)));
      key = Integer.rotateLeft(key, 8);
    }
    return (maskOffset + end - start) & 3;
  }
}
