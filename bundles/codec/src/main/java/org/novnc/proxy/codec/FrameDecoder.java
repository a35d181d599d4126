package org.novnc.proxy.codec;

import static org.novnc.proxy.codec.WebSocketProtocol.B0_FLAG_FIN;
import static org.novnc.proxy.codec.WebSocketProtocol.B0_FLAG_RSV;
import static org.novnc.proxy.codec.WebSocketProtocol.B0_MASK_OPCODE;
import static org.novnc.proxy.codec.WebSocketProtocol.B1_FLAG_MASK;
import static org.novnc.proxy.codec.WebSocketProtocol.B1_MASK_LENGTH;
import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;
import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_NO_STATUS;
import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_PROTOCOL_ERROR;
import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_TOO_BIG;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_CLOSE;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_CONTINUATION;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_PING;
import static org.novnc.proxy.codec.WebSocketProtocol.OPCODE_TEXT;
import static org.novnc.proxy.codec.WebSocketProtocol.PAYLOAD_LENGTH_16;
import static org.novnc.proxy.codec.WebSocketProtocol.PAYLOAD_LENGTH_64;
import static org.novnc.proxy.codec.WebSocketProtocol.PAYLOAD_MEDIUM_MAX;
import static org.novnc.proxy.codec.WebSocketProtocol.PAYLOAD_SHORT_MAX;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Server side of RFC 6455 §5: turns the client's bytes into {@link FrameListener} events as they
 * arrive, whatever the read boundaries. One per connection; not thread-safe.
 *
 * <p>Data payloads are unmasked in place and handed over as views of the input buffer, never
 * copied; only a partial header and control frame payloads (at most 125 bytes) are kept between
 * calls.
 *
 * <p>A frame header is checked in this order, the first failure deciding the close code:
 *
 * <ol>
 *   <li>RSV1-3 are 0 (no extension is negotiated) — 1002;
 *   <li>the opcode is defined — 1002;
 *   <li>the frame is masked (§5.1) — 1002;
 *   <li>a control frame is final and at most 125 bytes long (§5.5) — 1002;
 *   <li>a continuation frame continues a message, a text or binary frame does not (§5.4) — 1002;
 *   <li>an extended length is minimal and below 2^63 (§5.2) — 1002;
 *   <li>the frame fits {@link CodecSettings#maxFrameSize()}, the message so far {@link
 *       CodecSettings#maxMessageSize()} — 1009, before any payload is read.
 * </ol>
 *
 * <p>Text payloads must be UTF-8 across chunks and fragments, checked before each chunk is
 * delivered — 1007. Close frames must carry no payload or a code valid on the wire (1002) and a
 * UTF-8 reason (1007).
 *
 * <p>A violation throws {@link WebSocketException} and leaves the decoder corrupt:
 * every later call discards its input and throws again with the same code. After a close frame the
 * decoder is closed and discards its input silently.
 */
public final class FrameDecoder {

  /** Where the decoder is in the byte stream. */
  enum State {
    /** Reading the first two header bytes. */
    HEADER,
    /** Reading a 16- or 64-bit payload length. */
    EXTENDED_LENGTH,
    /** Reading the 4-byte masking key. */
    MASK_KEY,
    /** Handing over a data frame's payload as it arrives. */
    PAYLOAD,
    /** Collecting a control frame's payload. */
    CONTROL_PAYLOAD,
    /** A close frame was received; input is ignored. */
    CLOSED,
    /** A protocol violation was found; input is refused. */
    CORRUPT
  }

  private final CodecSettings settings;
  private final Utf8Validator utf8 = new Utf8Validator();
  private final ByteBuffer control = ByteBuffer.allocate(PAYLOAD_SHORT_MAX);

  private State state = State.HEADER;
  private WebSocketException failure;

  // A big-endian number being read, possibly across calls.
  private long number;
  private int numberBytes;

  // The current frame.
  private boolean fin;
  private int opcode;
  private int lengthBytes;
  private long payloadRemaining;
  private int maskKey;
  private int maskOffset;

  // The current data message.
  private boolean inMessage;
  private boolean messageText;
  private boolean messageStart;
  private long messageBytes;

  public FrameDecoder(CodecSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    this.settings = settings;
  }

  /**
   * Decodes all remaining bytes of {@code in}, calling {@code listener} for what they complete.
   * Data payloads are unmasked in place, so {@code in} must be writable. On return, {@code in}'s
   * position is its limit, whether or not the last frame is complete. An exception from the
   * listener propagates; a {@link WebSocketException} from it also makes the decoder corrupt.
   *
   * @throws WebSocketException if the bytes violate RFC 6455 or the settings' limits
   */
  public void decode(ByteBuffer in, FrameListener listener) {
    if (state == State.CORRUPT) {
      in.position(in.limit());
      throw new WebSocketException(failure.closeCode(), failure.getMessage());
    }
    try {
      while (in.hasRemaining()) {
        switch (state) {
          case HEADER -> {
            if (readNumber(in, 2)) {
              readHeader((int) number);
            }
          }
          case EXTENDED_LENGTH -> {
            if (readNumber(in, lengthBytes)) {
              readExtendedLength(number);
            }
          }
          case MASK_KEY -> {
            if (readNumber(in, 4)) {
              maskKey = (int) number;
              maskOffset = 0;
              startPayload(in, listener);
            }
          }
          case PAYLOAD -> deliverData(in, available(in), listener);
          case CONTROL_PAYLOAD -> readControlPayload(in, listener);
          case CLOSED, CORRUPT -> in.position(in.limit());
        }
      }
    } catch (WebSocketException e) {
      state = State.CORRUPT;
      failure = e;
      in.position(in.limit());
      throw e;
    }
  }

  /** Whether the peer's close frame has been received. */
  public boolean closeReceived() {
    return state == State.CLOSED;
  }

  State state() {
    return state;
  }

  /** Reads a {@code size}-byte big-endian number into {@link #number}; false if more is needed. */
  private boolean readNumber(ByteBuffer in, int size) {
    if (numberBytes == 0) {
      number = 0;
    }
    for (; numberBytes < size; numberBytes++) {
      if (!in.hasRemaining()) {
        return false;
      }
      number = (number << 8) | (in.get() & 0xFF);
    }
    numberBytes = 0;
    return true;
  }

  private void readHeader(int bits) {
    int b0 = bits >>> 8;
    int b1 = bits & 0xFF;
    if ((b0 & B0_FLAG_RSV) != 0) {
      throw protocolError("Reserved bits must be 0");
    }
    opcode = b0 & B0_MASK_OPCODE;
    if (!WebSocketProtocol.isDefined(opcode)) {
      throw protocolError("Reserved opcode " + opcode);
    }
    if ((b1 & B1_FLAG_MASK) == 0) {
      throw protocolError("Client frame not masked");
    }
    fin = (b0 & B0_FLAG_FIN) != 0;
    int length = b1 & B1_MASK_LENGTH;
    if (WebSocketProtocol.isControl(opcode)) {
      if (!fin) {
        throw protocolError("Control frames must be final");
      }
      if (length > PAYLOAD_SHORT_MAX) {
        throw protocolError("Control frame payload must be at most 125 bytes");
      }
    } else if (opcode == OPCODE_CONTINUATION) {
      if (!inMessage) {
        throw protocolError("Continuation frame without a message");
      }
    } else {
      if (inMessage) {
        throw protocolError("Expected continuation frame");
      }
      inMessage = true;
      messageText = opcode == OPCODE_TEXT;
      messageStart = true;
      messageBytes = 0;
      utf8.reset();
    }
    if (length == PAYLOAD_LENGTH_16) {
      lengthBytes = 2;
      state = State.EXTENDED_LENGTH;
    } else if (length == PAYLOAD_LENGTH_64) {
      lengthBytes = 8;
      state = State.EXTENDED_LENGTH;
    } else {
      checkLength(length);
    }
  }

  private void readExtendedLength(long length) {
    if (lengthBytes == 8 && length < 0) {
      throw protocolError("Payload length must be below 2^63");
    }
    if (length <= (lengthBytes == 2 ? PAYLOAD_SHORT_MAX : PAYLOAD_MEDIUM_MAX)) {
      throw protocolError("Payload length not minimally encoded");
    }
    checkLength(length);
  }

  private void checkLength(long length) {
    if (length > settings.maxFrameSize()) {
      throw new WebSocketException(
          CLOSE_TOO_BIG, "Frame too big: " + length + " > " + settings.maxFrameSize());
    }
    if (!WebSocketProtocol.isControl(opcode)) {
      if (length > settings.maxMessageSize() - messageBytes) {
        throw new WebSocketException(
            CLOSE_TOO_BIG,
            "Message too big: " + (messageBytes + length) + " > " + settings.maxMessageSize());
      }
      messageBytes += length;
    }
    payloadRemaining = length;
    state = State.MASK_KEY;
  }

  private void startPayload(ByteBuffer in, FrameListener listener) {
    if (WebSocketProtocol.isControl(opcode)) {
      control.clear().limit((int) payloadRemaining);
      state = State.CONTROL_PAYLOAD;
      if (payloadRemaining == 0) {
        finishControl(listener);
      }
    } else {
      state = State.PAYLOAD;
      if (payloadRemaining == 0) {
        deliverData(in, 0, listener); // an empty frame still marks where a message starts or ends
      }
    }
  }

  /** How many payload bytes of the current frame {@code in} holds. */
  private int available(ByteBuffer in) {
    return (int) Math.min(payloadRemaining, in.remaining());
  }

  /** Unmasks, checks and hands over the next {@code length} payload bytes of {@code in}. */
  private void deliverData(ByteBuffer in, int length, FrameListener listener) {
    int start = in.position();
    int end = start + length;
    maskOffset = Masking.unmask(in, start, end, maskKey, maskOffset);
    payloadRemaining -= length;
    boolean messageEnd = payloadRemaining == 0 && fin;
    if (messageText) {
      if (!utf8.feed(in, start, end)) {
        throw new WebSocketException(CLOSE_INVALID_PAYLOAD, "Text message not UTF-8");
      }
      if (messageEnd && !utf8.complete()) {
        throw new WebSocketException(CLOSE_INVALID_PAYLOAD, "Text message ends mid UTF-8 sequence");
      }
    }
    ByteBuffer chunk = in.duplicate();
    chunk.limit(end);
    in.position(end);
    boolean first = messageStart;
    messageStart = false;
    if (payloadRemaining == 0) {
      state = State.HEADER;
      inMessage = !fin;
    }
    listener.onData(chunk, messageText, first, messageEnd);
  }

  private void readControlPayload(ByteBuffer in, FrameListener listener) {
    int length = Math.min(control.remaining(), in.remaining());
    control.put(control.position(), in, in.position(), length);
    control.position(control.position() + length);
    in.position(in.position() + length);
    if (!control.hasRemaining()) {
      finishControl(listener);
    }
  }

  private void finishControl(FrameListener listener) {
    int length = control.limit();
    Masking.unmask(control, 0, length, maskKey, 0);
    state = State.HEADER;
    if (opcode == OPCODE_CLOSE) {
      readClose(length, listener);
      return;
    }
    ByteBuffer payload = ByteBuffer.allocate(length).put(0, control, 0, length);
    if (opcode == OPCODE_PING) {
      listener.onPing(payload);
    } else {
      listener.onPong(payload);
    }
  }

  /** RFC 6455 §5.5.1: no payload, or a 2-byte code and a UTF-8 reason. */
  private void readClose(int length, FrameListener listener) {
    int code = CLOSE_NO_STATUS;
    String reason = "";
    if (length == 1) {
      throw protocolError("Close payload must not be 1 byte");
    }
    if (length >= 2) {
      code = control.getShort(0) & 0xFFFF;
      if (!WebSocketProtocol.isValidCloseCodeOnWire(code)) {
        throw protocolError("Invalid close code " + code);
      }
      if (!Utf8Validator.isValid(control, 2, length)) {
        throw new WebSocketException(CLOSE_INVALID_PAYLOAD, "Close reason not UTF-8");
      }
      reason = new String(control.array(), 2, length - 2, StandardCharsets.UTF_8);
    }
    state = State.CLOSED;
    listener.onClose(code, reason);
  }

  private static WebSocketException protocolError(String message) {
    return new WebSocketException(CLOSE_PROTOCOL_ERROR, message);
  }
}
