package org.novnc.proxy.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.novnc.proxy.codec.Decoding.assertDecodes;
import static org.novnc.proxy.codec.Decoding.assertRejects;
import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;
import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_PROTOCOL_ERROR;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Close frames, RFC 6455 §5.5.1 and §7.4, and the decoder's two end states: closed after the
 * peer's close frame, corrupt after a violation. Frames are masked with 00 00 00 00.
 */
class CloseFrameTest {
  private static final String NO_MASK = "00 00 00 00";

  @Test
  void closeWithoutPayload() {
    // No code: reported as 1005, which is never sent.
    assertDecodes("88 80" + NO_MASK, "close 1005 \"\"");
  }

  @Test
  void closeWithCode() {
    // 03 e8 = 1000.
    assertDecodes("88 82" + NO_MASK + "03 e8", "close 1000 \"\"");
  }

  @Test
  void closeWithCodeAndReason() {
    // 1001 "bye", masked with 37 fa 21 3d.
    assertDecodes("88 85 37 fa 21 3d 34 13 43 44 52", "close 1001 \"bye\"");
  }

  @Test
  void closeWithLongestReason() {
    // 125 bytes: the code and 123 bytes of reason.
    String reason = "r".repeat(123);
    assertDecodes(
        "88 fd" + NO_MASK + "0f a0" + Hex.repeat("72", 123), "close 4000 \"" + reason + "\"");
  }

  @Test
  void closeOfOneByte() {
    // Half a code.
    assertRejects(
        CLOSE_PROTOCOL_ERROR, "Close payload must not be 1 byte", "88 81" + NO_MASK + "03");
  }

  @ParameterizedTest(name = "code {0}")
  @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
      3000, 4999})
  void closeCodesValidOnTheWire(int code) {
    assertDecodes(
        "88 82" + NO_MASK + String.format("%04x", code), "close " + code + " \"\"");
  }

  @ParameterizedTest(name = "code {0}")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
  void closeCodesInvalidOnTheWire(int code) {
    // Reserved, standing for a condition, unassigned, or undefined, §7.4.
    assertRejects(
        CLOSE_PROTOCOL_ERROR,
        "Invalid close code " + code,
        "88 82" + NO_MASK + String.format("%04x", code));
  }

  @Test
  void reasonNotUtf8() {
    // 1000, then c0 af.
    assertRejects(
        CLOSE_INVALID_PAYLOAD, "Close reason not UTF-8", "88 84" + NO_MASK + "03 e8 c0 af");
  }

  @Test
  void reasonEndsMidCharacter() {
    // 1000, then e2 82 of "€".
    assertRejects(
        CLOSE_INVALID_PAYLOAD, "Close reason not UTF-8", "88 84" + NO_MASK + "03 e8 e2 82");
  }

  @Test
  void closeBetweenFragments() {
    // A close frame may come in the middle of a fragmented message; the message never ends.
    assertDecodes(
        "02 81" + NO_MASK + "01" + "88 82" + NO_MASK + "03 e8" + "80 81" + NO_MASK + "02",
        "binary [01]…",
        "close 1000 \"\"");
  }

  @Test
  void nothingIsDeliveredAfterClose() {
    // Close, a text frame, then bytes that are not even a frame: ignored, consumed.
    assertDecodes(
        "88 82" + NO_MASK + "03 e8" + "81 81" + NO_MASK + "41" + "ff ff ff", "close 1000 \"\"");
  }

  @Test
  void closedDecoderReportsIt() {
    FrameDecoder decoder = new FrameDecoder(CodecSettings.DEFAULTS);
    EventRecorder recorder = new EventRecorder();
    ByteBuffer close = Hex.bytes("88 80" + NO_MASK + "c3 00");
    recorder.input(close);
    assertFalse(decoder.closeReceived());
    decoder.decode(close, recorder);
    assertTrue(decoder.closeReceived());
    assertEquals(FrameDecoder.State.CLOSED, decoder.state());
    assertFalse(close.hasRemaining());
  }

  @Test
  void corruptDecoderRefusesEverything() {
    FrameDecoder decoder = new FrameDecoder(CodecSettings.DEFAULTS);
    EventRecorder recorder = new EventRecorder();
    ByteBuffer unmasked = Hex.bytes("82 00");
    recorder.input(unmasked);
    assertThrows(WebSocketException.class, () -> decoder.decode(unmasked, recorder));
    for (String valid : new String[] {"82 80" + NO_MASK, "88 80" + NO_MASK, ""}) {
      ByteBuffer in = Hex.bytes(valid);
      recorder.input(in);
      WebSocketException again =
          assertThrows(WebSocketException.class, () -> decoder.decode(in, recorder));
      assertEquals(CLOSE_PROTOCOL_ERROR, again.closeCode());
      assertEquals("Client frame not masked", again.getMessage());
      assertFalse(in.hasRemaining());
    }
    assertEquals(FrameDecoder.State.CORRUPT, decoder.state());
    assertFalse(decoder.closeReceived());
    assertTrue(recorder.events.isEmpty());
  }
}
