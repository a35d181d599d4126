package org.novnc.proxy.codec;

import static org.novnc.proxy.codec.WebSocketProtocol.B0_FLAG_FIN;
import static org.novnc.proxy.codec.WebSocketProtocol.B1_FLAG_MASK;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_CLOSE;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_PING;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_PONG;
import static org.novnc.proxy.codec.WebSocketProtocol.PAYLOAD_LENGTH_16;
import static org.novnc.proxy.codec.WebSocketProtocol.PAYLOAD_LENGTH_64;
import static org.novnc.proxy.codec.WebSocketProtocol.PAYLOAD_MEDIUM_MAX;
import static org.novnc.proxy.codec.WebSocketProtocol.PAYLOAD_SHORT_MAX;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes frames, RFC 6455 §5.2. Server frames are never masked, so a data frame is a header
 * followed by the payload as it is: write both with one gathering write and nothing is copied.
 * Lengths always use the shortest encoding. Payload buffers passed in are read, never consumed.
 */
public final class FrameEncoder {
  /** Longest close reason: a control payload is at most 125 bytes, 2 of them the code. */
  private static final int CLOSE_REASON_MAX = PAYLOAD_SHORT_MAX - 2;

  private FrameEncoder() {}

  /** The header length of an unmasked frame: 2, 4 or 10 bytes. */
  public static int headerLength(long payloadLength) {
    if (payloadLength < 0) {
      throw new IllegalArgumentException("Negative payload length: " + payloadLength);
    }
    return 2 + extendedLengthBytes(payloadLength);
  }

  /** A server frame header, ready to read (position 0, limit its length). */
  public static ByteBuffer header(int opcode, boolean fin, long payloadLength) {
    ByteBuffer header = ByteBuffer.allocate(headerLength(payloadLength));
    writeHeader(header, opcode, fin, payloadLength);
    return header.flip();
  }

  /**
   * Puts a server frame header at {@code dst}'s position and advances it.
   *
   * @throws IllegalArgumentException for an undefined opcode, a negative length, or a control
   *     frame that is not final or longer than 125 bytes
   * @throws BufferOverflowException if {@code dst} has no room; nothing is written then
   */
  public static void writeHeader(ByteBuffer dst, int opcode, boolean fin, long payloadLength) {
    if (opcode < 0 || opcode > 0xF || !WebSocketProtocol.isDefined(opcode)) {
      throw new IllegalArgumentException("Undefined opcode: " + opcode);
    }
    if (WebSocketProtocol.isControl(opcode)) {
      if (!fin) {
        throw new IllegalArgumentException("Control frames must be final");
      }
      if (payloadLength > PAYLOAD_SHORT_MAX) {
        throw new IllegalArgumentException("Control frame payload too long: " + payloadLength);
      }
    }
    if (dst.remaining() < headerLength(payloadLength)) {
      throw new BufferOverflowException();
    }
    putHeader(dst, opcode, fin, 0, payloadLength);
  }

  /**
   * A whole close frame, ready to read. The reason is cut to 123 bytes of UTF-8, never inside a
   * character.
   *
   * @throws IllegalArgumentException if {@code code} may not be sent: see {@link
   *     WebSocketProtocol#isValidCloseCodeOnWire}
   */
  public static ByteBuffer closeFrame(int code, String reason) {
    if (!WebSocketProtocol.isValidCloseCodeOnWire(code)) {
      throw new IllegalArgumentException("Close code not valid to send: " + code);
    }
    byte[] utf8 = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
    int length = utf8.length;
    if (length > CLOSE_REASON_MAX) {
      length = CLOSE_REASON_MAX;
      while (length > 0 && (utf8[length] & 0xC0) == 0x80) {
        length--; // utf8[length] continues a character: cut before the character starts
      }
    }
    ByteBuffer frame = ByteBuffer.allocate(2 + 2 + length);
    putHeader(frame, OPCODE_CLOSE, true, 0, 2 + length);
    frame.put((byte) (code >>> 8)).put((byte) code).put(utf8, 0, length);
    return frame.flip();
  }

  /**
   * A whole ping or pong frame, ready to read.
   *
   * @throws IllegalArgumentException for another opcode or a payload longer than 125 bytes
   */
  public static ByteBuffer controlFrame(int opcode, ByteBuffer payload) {
    if (opcode != OPCODE_PING && opcode != OPCODE_PONG) {
      throw new IllegalArgumentException("Not a ping or pong opcode: " + opcode);
    }
    int length = payload.remaining();
    if (length > PAYLOAD_SHORT_MAX) {
      throw new IllegalArgumentException("Control frame payload too long: " + length);
    }
    ByteBuffer frame = ByteBuffer.allocate(2 + length);
    putHeader(frame, opcode, true, 0, length);
    frame.put(payload.duplicate());
    return frame.flip();
  }

  /**
   * A whole masked frame as a client sends it, ready to read; for tests and clients. Only the
   * opcode's range (0–15) is checked, so invalid frames can be built too.
   *
   * @param maskKey the masking key, first byte on the wire most significant
   */
  public static ByteBuffer maskedFrame(int opcode, boolean fin, ByteBuffer payload, int maskKey) {
    if (opcode < 0 || opcode > 0xF) {
      throw new IllegalArgumentException("Opcode out of range: " + opcode);
    }
    int length = payload.remaining();
    ByteBuffer frame = ByteBuffer.allocate(headerLength(length) + 4 + length);
    putHeader(frame, opcode, fin, B1_FLAG_MASK, length);
    frame.putInt(maskKey);
    int start = frame.position();
    frame.put(payload.duplicate());
    Masking.unmask(frame, start, frame.position(), maskKey, 0);
    return frame.flip();
  }

  private static int extendedLengthBytes(long payloadLength) {
    if (payloadLength <= PAYLOAD_SHORT_MAX) {
      return 0;
    }
    return payloadLength <= PAYLOAD_MEDIUM_MAX ? 2 : 8;
  }

  private static void putHeader(ByteBuffer dst, int opcode, boolean fin, int mask, long length) {
    dst.put((byte) ((fin ? B0_FLAG_FIN : 0) | opcode));
    int extended = extendedLengthBytes(length);
    if (extended == 0) {
      dst.put((byte) (mask | (int) length));
      return;
    }
    dst.put((byte) (mask | (extended == 2 ? PAYLOAD_LENGTH_16 : PAYLOAD_LENGTH_64)));
    for (int shift = (extended - 1) * 8; shift >= 0; shift -= 8) {
      dst.put((byte) (length >>> shift)); // network byte order, whatever dst's order
    }
  }
}
