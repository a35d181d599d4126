package org.novnc.proxy.codec;

import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The websockify {@code base64} subprotocol: each message is a text message whose payload is the
 * standard, padded base64 (RFC 4648 §4) of the bytes it carries. Only old clients without binary
 * WebSocket support use it, so it allocates where the binary path never does.
 */
public final class Base64Payload {
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
          .getBytes(StandardCharsets.US_ASCII);

  /** Six-bit value of each byte; -1 for bytes outside the alphabet (including '=' and space). */
  private static final byte[] VALUES = new byte[256];

  static {
    Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      VALUES[ALPHABET[i]] = (byte) i;
    }
  }

  private Base64Payload() {}

  /**
   * The padded base64 of {@code bytes}' remaining bytes, as ASCII, ready to read; {@code bytes}
   * itself is not consumed. One call makes one whole message payload.
   */
  public static ByteBuffer encode(ByteBuffer bytes) {
    return Base64.getEncoder().encode(bytes.duplicate());
  }

  /**
   * Decodes the text payload of one connection's messages as it arrives in chunks. A quad of
   * base64 characters may be split across chunks and frames; padding is accepted only in the last
   * quad of a message, and anything else outside the alphabet, whitespace included, is an error.
   * One per connection; not thread-safe.
   */
  public static final class Decoder {
    private int bits; // the characters of the unfinished quad, six bits each
    private int chars; // how many characters of the quad are in bits, padding included
    private int pads; // how many of those are '='
    private boolean padded; // the message's padded last quad has been read

    /**
     * Decodes the remaining bytes of {@code textChunk}, consuming them.
     *
     * @param messageEnd whether the chunk ends the message: the last quad must then be whole
     * @return the decoded bytes, ready to read; empty if the chunk completed no quad
     * @throws WebSocketException with close code 1007 on invalid input
     */
    public ByteBuffer decode(ByteBuffer textChunk, boolean messageEnd) {
      int end = textChunk.limit();
      ByteBuffer out = ByteBuffer.allocate((chars + textChunk.remaining()) / 4 * 3);
      for (int i = textChunk.position(); i < end; i++) {
        int c = textChunk.get(i) & 0xFF;
        if (padded) {
          throw invalid("Base64 padding before the end of the message");
        }
        if (c == '=') {
          if (chars < 2) {
            throw invalid("Misplaced base64 padding");
          }
          pads++;
          bits <<= 6;
        } else {
          int value = VALUES[c];
          if (value < 0) {
            throw invalid("Invalid base64 character 0x" + Integer.toHexString(c));
          }
          if (pads > 0) {
            throw invalid("Misplaced base64 padding");
          }
          bits = (bits << 6) | value;
        }
        if (++chars == 4) {
          out.put((byte) (bits >>> 16));
          if (pads < 2) {
            out.put((byte) (bits >>> 8));
          }
          if (pads < 1) {
            out.put((byte) bits);
          }
          padded = pads > 0;
          bits = 0;
          chars = 0;
          pads = 0;
        }
      }
      textChunk.position(end);
      if (messageEnd) {
        if (chars != 0) {
          throw invalid("Base64 message length not a multiple of 4");
        }
        padded = false;
      }
      return out.flip();
    }

    private static WebSocketException invalid(String message) {
      return new WebSocketException(CLOSE_INVALID_PAYLOAD, message);
    }
  }
}
