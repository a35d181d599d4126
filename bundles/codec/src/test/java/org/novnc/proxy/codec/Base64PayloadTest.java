package org.novnc.proxy.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The websockify base64 subprotocol: RFC 4648 §4 base64 in text messages. */
class Base64PayloadTest {

  @ParameterizedTest(name = "\"{0}\" is \"{1}\"")
  @CsvSource({
    // RFC 4648 §10 test vectors.
    "'', ''",
    "f, Zg==",
    "fo, Zm8=",
    "foo, Zm9v",
    "foob, Zm9vYg==",
    "fooba, Zm9vYmE=",
    "foobar, Zm9vYmFy",
  })
  void rfc4648Vectors(String bytes, String base64) {
    ByteBuffer input = ascii(bytes);
    assertEquals(base64, text(Base64Payload.encode(input)));
    assertEquals(bytes.length(), input.remaining(), "input consumed");
    assertEquals(bytes, decodeInPieces(base64, Integer.MAX_VALUE));
    assertEquals(bytes, decodeInPieces(base64, 1));
    assertEquals(bytes, decodeInPieces(base64, 3));
  }

  @Test
  void binaryBytes() {
    // 00 ff fe: all bits in use.
    assertEquals("AP/+", text(Base64Payload.encode(Hex.bytes("00 ff fe"))));
    Base64Payload.Decoder decoder = new Base64Payload.Decoder();
    assertEquals("00 ff fe", Hex.of(decoder.decode(ascii("AP/+"), true)));
  }

  @Test
  void oneDecoderForManyMessages() {
    Base64Payload.Decoder decoder = new Base64Payload.Decoder();
    assertEquals("66", Hex.of(decoder.decode(ascii("Zg=="), true)));
    assertEquals("66 6f", Hex.of(decoder.decode(ascii("Zm8="), true)));
    assertEquals("", Hex.of(decoder.decode(ascii("Zm"), false)));
    assertEquals("66 6f 6f", Hex.of(decoder.decode(ascii("9v"), true)));
  }

  @Test
  void decodeConsumesTheChunk() {
    ByteBuffer chunk = ascii("Zm9vY");
    new Base64Payload.Decoder().decode(chunk, false);
    assertEquals(0, chunk.remaining());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "space, 'Zm9v Zg==', Invalid base64 character 0x20",
    "tab, 'Zm9v\tZg==', Invalid base64 character 0x9",
    "URL-safe alphabet, 'AP_-', Invalid base64 character 0x5f",
    "not ASCII, 'Zm9\u00e9', Invalid base64 character 0xc3",
    "missing padding, Zg, Base64 message length not a multiple of 4",
    "half padding, Zg=, Base64 message length not a multiple of 4",
    "padding first, '=Zg=', Misplaced base64 padding",
    "three pads, 'Z===', Misplaced base64 padding",
    "letter after pad, 'Zg=A', Misplaced base64 padding",
    "data after padding, 'Zg==Zm9v', Base64 padding before the end of the message",
  })
  void invalidMessages(String what, String message, String error) {
    for (int piece : new int[] {Integer.MAX_VALUE, 1}) {
      WebSocketException e =
          assertThrows(WebSocketException.class, () -> decodeInPieces(message, piece));
      assertEquals(CLOSE_INVALID_PAYLOAD, e.closeCode());
      assertEquals(error, e.getMessage());
    }
  }

  /** Decodes {@code message} as one text message arriving in chunks of {@code piece} bytes. */
  private static String decodeInPieces(String message, int piece) {
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    Base64Payload.Decoder decoder = new Base64Payload.Decoder();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int position = 0;
    do {
      int size = Math.min(piece, utf8.length - position);
      ByteBuffer decoded =
          decoder.decode(ByteBuffer.wrap(utf8, position, size), position + size == utf8.length);
      out.write(decoded.array(), decoded.arrayOffset() + decoded.position(), decoded.remaining());
      position += size;
    } while (position < utf8.length);
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static ByteBuffer ascii(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String text(ByteBuffer ascii) {
    return StandardCharsets.US_ASCII.decode(ascii).toString();
  }
}
