package org.novnc.proxy.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_BINARY;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_CLOSE;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_CONTINUATION;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_PING;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_PONG;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_TEXT;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Server frames, RFC 6455 §5.2: minimal lengths, never masked. */
class FrameEncoderTest {

  @ParameterizedTest(name = "length {0}")
  @CsvSource({
    "0,      82 00",
    "125,    82 7d",
    "126,    82 7e 00 7e",
    "65535,  82 7e ff ff",
    "65536,  82 7f 00 00 00 00 00 01 00 00",
    "9223372036854775807, 82 7f 7f ff ff ff ff ff ff ff",
  })
  void binaryHeaders(long length, String expected) {
    assertEquals(expected, Hex.of(FrameEncoder.header(OPCODE_BINARY, true, length)));
    assertEquals(expected.replace(" ", "").length() / 2, FrameEncoder.headerLength(length));
  }

  @Test
  void rfcHelloHeader() {
    // §5.7: a single-frame unmasked text message of 5 bytes.
    assertEquals("81 05", Hex.of(FrameEncoder.header(OPCODE_TEXT, true, 5)));
  }

  @Test
  void nonFinalAndContinuationHeaders() {
    // §5.7 "Hel" / "lo": 01 03, then 80 02.
    assertEquals("01 03", Hex.of(FrameEncoder.header(OPCODE_TEXT, false, 3)));
    assertEquals("80 02", Hex.of(FrameEncoder.header(OPCODE_CONTINUATION, true, 2)));
  }

  @Test
  void writeHeaderIgnoresTheBufferByteOrder() {
    ByteBuffer dst = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    dst.put((byte) 0xee);
    FrameEncoder.writeHeader(dst, OPCODE_BINARY, true, 256);
    assertEquals(5, dst.position());
    assertEquals("ee 82 7e 01 00", Hex.of(dst.flip()));
  }

  @Test
  void writeHeaderWithoutRoomWritesNothing() {
    ByteBuffer dst = ByteBuffer.allocate(3);
    assertThrows(
        BufferOverflowException.class,
        () -> FrameEncoder.writeHeader(dst, OPCODE_BINARY, true, 126));
    assertEquals(0, dst.position());
  }

  @Test
  void invalidHeadersAreRefused() {
    Class<IllegalArgumentException> refused = IllegalArgumentException.class;
    assertThrows(refused, () -> FrameEncoder.header(3, true, 0));
    assertThrows(refused, () -> FrameEncoder.header(OPCODE_PING, false, 0));
    assertThrows(refused, () -> FrameEncoder.header(OPCODE_PING, true, 126));
    assertThrows(refused, () -> FrameEncoder.header(OPCODE_BINARY, true, -1));
  }

  @Test
  void closeFrame() {
    // 1000 "bye".
    assertEquals("88 05 03 e8 62 79 65", Hex.of(FrameEncoder.closeFrame(1000, "bye")));
    assertEquals("88 02 0f a0", Hex.of(FrameEncoder.closeFrame(4000, null)));
  }

  @Test
  void closeReasonIsCutTo123Bytes() {
    ByteBuffer frame = FrameEncoder.closeFrame(1001, "x".repeat(200));
    assertEquals("88 7d 03 e9", Hex.of(frame.slice(0, 4)));
    assertEquals(125 + 2, frame.remaining());
  }

  @Test
  void closeReasonIsNeverCutInsideACharacter() {
    // "a" and 50 × "€" (3 bytes each): 1 + 40 × 3 = 121 bytes fit, the 41st € would not.
    ByteBuffer frame = FrameEncoder.closeFrame(1000, "a" + "€".repeat(50));
    assertEquals(2 + 2 + 121, frame.remaining());
    String reason = StandardCharsets.UTF_8.decode(frame.position(4)).toString();
    assertEquals("a" + "€".repeat(40), reason);
  }

  @ParameterizedTest(name = "code {0}")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 2999, 5000})
  void closeCodesThatMayNotBeSent(int code) {
    assertThrows(IllegalArgumentException.class, () -> FrameEncoder.closeFrame(code, ""));
  }

  @Test
  void pingAndPongFrames() {
    ByteBuffer payload = Hex.bytes("48 65 6c 6c 6f");
    assertEquals("89 05 48 65 6c 6c 6f", Hex.of(FrameEncoder.controlFrame(OPCODE_PING, payload)));
    assertEquals("8a 05 48 65 6c 6c 6f", Hex.of(FrameEncoder.controlFrame(OPCODE_PONG, payload)));
    assertEquals(0, payload.position(), "payload consumed");
    assertThrows(
        IllegalArgumentException.class,
        () -> FrameEncoder.controlFrame(OPCODE_CLOSE, ByteBuffer.allocate(0)));
    assertThrows(
        IllegalArgumentException.class,
        () -> FrameEncoder.controlFrame(OPCODE_PING, ByteBuffer.allocate(126)));
  }

  @Test
  void serverFramesAreNeverMasked() {
    for (long length : new long[] {0, 1, 125, 126, 65535, 65536, Long.MAX_VALUE}) {
      assertEquals(0, FrameEncoder.header(OPCODE_BINARY, true, length).get(1) & 0x80);
    }
    assertEquals(0, FrameEncoder.closeFrame(1000, "bye").get(1) & 0x80);
    assertEquals(0, FrameEncoder.controlFrame(OPCODE_PONG, ByteBuffer.allocate(3)).get(1) & 0x80);
  }

  @Test
  void maskedFrameIsTheRfcExample() {
    // §5.7: masked "Hello" with key 37 fa 21 3d.
    ByteBuffer hello = ByteBuffer.wrap("Hello".getBytes(StandardCharsets.US_ASCII));
    ByteBuffer frame = FrameEncoder.maskedFrame(OPCODE_TEXT, true, hello, 0x37fa213d);
    assertEquals("81 85 37 fa 21 3d 7f 9f 4d 51 58", Hex.of(frame));
    assertEquals(0, hello.position(), "payload consumed");
  }

  @Test
  void maskedFrameUsesMinimalLengths() {
    ByteBuffer frame = FrameEncoder.maskedFrame(OPCODE_BINARY, false, ByteBuffer.allocate(126), 0);
    assertEquals("02 fe 00 7e 00 00 00 00", Hex.of(frame.slice(0, 8)));
    assertEquals(8 + 126, frame.remaining());
  }
}
