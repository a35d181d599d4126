package org.novnc.proxy.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Word-at-a-time unmasking gives what the RFC's byte-at-a-time definition gives, §5.3. */
class MaskingTest {
  private static final int KEY = 0x37fa213d;
  private static final byte[] KEY_BYTES = {0x37, (byte) 0xfa, 0x21, 0x3d};

  @Test
  void rfcHello() {
    // §5.7: "Hello" masked with 37 fa 21 3d.
    ByteBuffer buf = Hex.bytes("7f 9f 4d 51 58");
    assertEquals(1, Masking.unmask(buf, 0, 5, KEY, 0));
    assertEquals("48 65 6c 6c 6f", Hex.of(buf));
  }

  @Test
  void matchesByteAtATimeForEveryOffsetLengthAndStart() {
    Random random = new Random(6455);
    byte[] data = new byte[64];
    for (boolean direct : new boolean[] {false, true}) {
      for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
        for (int start : new int[] {0, 1, 3, 5, 7}) {
          for (int length = 0; length <= 40; length++) {
            for (int offset = 0; offset < 4; offset++) {
              random.nextBytes(data);
              ByteBuffer buf =
                  (direct ? ByteBuffer.allocateDirect(64) : ByteBuffer.allocate(64)).order(order);
              buf.put(data).clear();
              int next = Masking.unmask(buf, start, start + length, KEY, offset);
              byte[] expected = reference(data, start, start + length, offset);
              byte[] actual = new byte[64];
              buf.get(0, actual);
              String where = (direct ? "direct " : "heap ") + order + " start " + start
                  + " length " + length + " offset " + offset;
              assertArrayEquals(expected, actual, where);
              assertEquals((offset + length) % 4, next, where);
              assertEquals(0, buf.position(), where);
              assertEquals(64, buf.limit(), where);
              assertEquals(order, buf.order(), where);
            }
          }
        }
      }
    }
  }

  @Test
  void chunkedCallsMatchOneCall() {
    // Unmasking 0-3, 3-14, 14-33 carries the key offset from call to call.
    byte[] data = new byte[33];
    new Random(1).nextBytes(data);
    ByteBuffer buf = ByteBuffer.wrap(data.clone());
    int offset = Masking.unmask(buf, 0, 3, KEY, 0);
    offset = Masking.unmask(buf, 3, 14, KEY, offset);
    offset = Masking.unmask(buf, 14, 33, KEY, offset);
    assertEquals(1, offset);
    assertArrayEquals(reference(data, 0, 33, 0), buf.array());
  }

  @Test
  void maskingTwiceRestores() {
    byte[] data = new byte[29];
    new Random(2).nextBytes(data);
    ByteBuffer buf = ByteBuffer.wrap(data.clone());
    Masking.unmask(buf, 0, 29, KEY, 2);
    Masking.unmask(buf, 0, 29, KEY, 2);
    assertArrayEquals(data, buf.array());
  }

  @Test
  void rangeBeyondTheLimitIsRefused() {
    ByteBuffer buf = ByteBuffer.allocate(8).limit(4);
    assertThrows(IndexOutOfBoundsException.class, () -> Masking.unmask(buf, 0, 5, KEY, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> Masking.unmask(buf, 3, 2, KEY, 0));
  }

  /** RFC 6455 §5.3: transformed-octet-i = original-octet-i XOR masking-key-octet-(i MOD 4). */
  private static byte[] reference(byte[] data, int start, int end, int offset) {
    byte[] out = data.clone();
    for (int i = start; i < end; i++) {
      out[i] ^= KEY_BYTES[(offset + i - start) % 4];
    }
    return out;
  }
}
