package org.novnc.proxy.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.novnc.proxy.codec.Decoding.assertDecodes;
import static org.novnc.proxy.codec.Decoding.assertRejects;
import static org.novnc.proxy.codec.EventRecorder.message;
import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_PROTOCOL_ERROR;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Single frames, RFC 6455 §5.2 and §5.7: header fields, lengths, masking. Each vector is decoded
 * whole and one byte at a time (see {@link Decoding}). Masking key 00 00 00 00 leaves the payload
 * readable; it is as valid as any other key.
 */
class FrameDecoderTest {
  private static final String NO_MASK = "00 00 00 00";

  @Test
  void rfcMaskedHello() {
    // §5.7: a single-frame masked text message, key 37 fa 21 3d.
    assertDecodes("81 85 37 fa 21 3d 7f 9f 4d 51 58", "text \"Hello\"");
  }

  @Test
  void rfcUnmaskedHelloIsAServerFrame() {
    // §5.7: the unmasked "Hello" only a server may send, §5.1.
    assertRejects(CLOSE_PROTOCOL_ERROR, "Client frame not masked", "81 05 48 65 6c 6c 6f");
  }

  @Test
  void rfcFragmentedHello() {
    // §5.7: "Hel" in a non-final text frame, "lo" in a final continuation, each frame masked
    // with 37 fa 21 3d from the key's first byte on.
    assertDecodes(
        "01 83 37 fa 21 3d 7f 9f 4d" + "80 82 37 fa 21 3d 5b 95", "text \"Hello\"");
  }

  @Test
  void rfcPingAndMaskedPong() {
    // §5.7: ping "Hello" (here masked, as from a client), then the masked pong answering it.
    assertDecodes(
        "89 85 37 fa 21 3d 7f 9f 4d 51 58" + "8a 85 37 fa 21 3d 7f 9f 4d 51 58",
        "ping [48 65 6c 6c 6f]",
        "pong [48 65 6c 6c 6f]");
  }

  @Test
  void rfc256BytesUse16BitLength() {
    // §5.7: 256 bytes of binary data: 7-bit length 126, then 01 00.
    String payload = Hex.repeat("a5", 256);
    assertDecodes("82 fe 01 00" + NO_MASK + payload, message(false, Hex.array(payload)));
  }

  @Test
  void rfc64KiBUse64BitLength() {
    // §5.7: 64 KiB of binary data: 7-bit length 127, then 00 00 00 00 00 01 00 00.
    String payload = Hex.repeat("5a", 65536);
    assertDecodes(
        "82 ff 00 00 00 00 00 01 00 00" + NO_MASK + payload, message(false, Hex.array(payload)));
  }

  @Test
  void emptyBinaryMessage() {
    // Length 0: the message still has a start and an end.
    assertDecodes("82 80" + NO_MASK, "binary []");
  }

  @Test
  void largest7BitLength() {
    // 125 bytes: the largest length that needs no extension.
    String payload = Hex.repeat("01", 125);
    assertDecodes("82 fd" + NO_MASK + payload, message(false, Hex.array(payload)));
  }

  @Test
  void smallest16BitLength() {
    // 126 bytes: 7e, then 00 7e.
    String payload = Hex.repeat("02", 126);
    assertDecodes("82 fe 00 7e" + NO_MASK + payload, message(false, Hex.array(payload)));
  }

  @Test
  void largest16BitLength() {
    // 65535 bytes: 7e, then ff ff.
    String payload = Hex.repeat("03", 65535);
    assertDecodes("82 fe ff ff" + NO_MASK + payload, message(false, Hex.array(payload)));
  }

  @Test
  void nonMinimal16BitLength() {
    // 125 fits the 7-bit field, so 7e 00 7d is not the minimal encoding, §5.2.
    assertRejects(
        CLOSE_PROTOCOL_ERROR,
        "Payload length not minimally encoded",
        "82 fe 00 7d" + NO_MASK + Hex.repeat("00", 125));
  }

  @Test
  void nonMinimal64BitLength() {
    // 65535 fits the 16-bit field.
    assertRejects(
        CLOSE_PROTOCOL_ERROR,
        "Payload length not minimally encoded",
        "82 ff 00 00 00 00 00 00 ff ff" + NO_MASK);
  }

  @Test
  void lengthWithMostSignificantBitSet() {
    // 2^63: the 64-bit length's most significant bit must be 0, §5.2.
    assertRejects(
        CLOSE_PROTOCOL_ERROR,
        "Payload length must be below 2^63",
        "82 ff 80 00 00 00 00 00 00 00" + NO_MASK);
  }

  @Test
  void unmaskedBinaryFrame() {
    // Mask bit 0 on an empty binary frame, §5.1.
    assertRejects(CLOSE_PROTOCOL_ERROR, "Client frame not masked", "82 00");
  }

  @ParameterizedTest(name = "first byte {0}")
  @ValueSource(strings = {"c2", "a2", "92", "f2"})
  void reservedBitsSet(String firstByte) {
    // RSV1, RSV2, RSV3, all three: no extension was negotiated, §5.2.
    assertRejects(
        CLOSE_PROTOCOL_ERROR, "Reserved bits must be 0", firstByte + " 80" + NO_MASK);
  }

  @ParameterizedTest(name = "opcode {0}")
  @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
  void reservedOpcodes(int opcode) {
    // 0x3-0x7 are reserved for data frames, 0xB-0xF for control frames, §5.2.
    String header = String.format("%02x 80", 0x80 | opcode);
    assertRejects(CLOSE_PROTOCOL_ERROR, "Reserved opcode " + opcode, header + NO_MASK);
  }

  @Test
  void pingOf125Bytes() {
    // The largest control frame payload, §5.5.
    String payload = Hex.repeat("ab", 125);
    assertDecodes("89 fd" + NO_MASK + payload, "ping [" + Hex.of(Hex.array(payload)) + "]");
  }

  @Test
  void pingOf126Bytes() {
    // Rejected at its second byte: a control frame's length fits 7 bits.
    assertRejects(
        CLOSE_PROTOCOL_ERROR,
        "Control frame payload must be at most 125 bytes",
        "89 fe 00 7e" + NO_MASK + Hex.repeat("ab", 126));
  }

  @Test
  void fragmentedPing() {
    // FIN 0 on a ping: control frames must not be fragmented, §5.5.
    assertRejects(CLOSE_PROTOCOL_ERROR, "Control frames must be final", "09 80" + NO_MASK);
  }

  @Test
  void headerChecksComeInDocumentedOrder() {
    // RSV1 and unmasked: reserved bits first.
    assertRejects(CLOSE_PROTOCOL_ERROR, "Reserved bits must be 0", "c3 00");
    // Reserved opcode and unmasked: opcode before mask.
    assertRejects(CLOSE_PROTOCOL_ERROR, "Reserved opcode 3", "83 00");
    // Unmasked, fragmented ping: mask before control-frame rules.
    assertRejects(CLOSE_PROTOCOL_ERROR, "Client frame not masked", "09 7e");
    // Fragmented ping of 126 bytes: final before length.
    assertRejects(CLOSE_PROTOCOL_ERROR, "Control frames must be final", "09 fe");
    // Continuation without a message, non-minimal length: sequence before length.
    assertRejects(
        CLOSE_PROTOCOL_ERROR, "Continuation frame without a message", "80 fe 00 01" + NO_MASK);
  }

  @Test
  void incompleteFrameWaitsForMore() {
    // A header alone, a header and key, then a payload cut short: nothing, nothing, "He".
    assertDecodes("81");
    assertDecodes("81 85 37 fa");
    assertDecodes("81 85 37 fa 21 3d 7f 9f", "text \"He\"…");
  }

  @Test
  void chunksAreViewsOfTheInputBuffer() {
    // Three bytes of the caller's own, then masked "Hello": the chunk starts 6 bytes later.
    ByteBuffer in = Hex.bytes("ee ee ee" + "81 85 37 fa 21 3d 7f 9f 4d 51 58");
    in.position(3);
    int inputStart = in.position();
    List<Integer> offsets = new ArrayList<>();
    new FrameDecoder(CodecSettings.DEFAULTS)
        .decode(
            in,
            new FrameListener() {
              @Override
              public void onData(ByteBuffer payload, boolean text, boolean start, boolean end) {
                offsets.add(payload.position() - inputStart);
                offsets.add(payload.remaining());
              }

              @Override
              public void onPing(ByteBuffer payload) {}

              @Override
              public void onPong(ByteBuffer payload) {}

              @Override
              public void onClose(int code, String reason) {}
            });
    assertEquals(List.of(6, 5), offsets);
    assertFalse(in.hasRemaining());
    assertEquals("48 65 6c 6c 6f", Hex.of(in.duplicate().position(9)), "unmasked in place");
  }
}
