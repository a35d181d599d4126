package org.novnc.proxy.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Records decoder events as readable strings, independent of read boundaries: consecutive data
 * chunks are joined until the message ends or a control frame comes between them. {@code text
 * "Hel"…} is a message's start, {@code …"lo"} its end, {@code text "Hello"} a whole one.
 *
 * <p>Also checks the listener contract: chunks are views of the decoder's input buffer, message
 * start and end flags come in order, a message keeps its type.
 */
final class EventRecorder implements FrameListener {
  final List<String> events = new ArrayList<>();
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();
  private ByteBuffer input;
  private boolean inMessage;
  private boolean pending;
  private boolean pendingStart;
  private boolean text;

  /** The buffer about to be passed to {@code decode}; chunks must be views of it. */
  void input(ByteBuffer buffer) {
    this.input = buffer;
  }

  @Override
  public void onData(ByteBuffer payload, boolean text, boolean messageStart, boolean messageEnd) {
    if (input.hasArray()) {
      assertSame(input.array(), payload.array(), "chunk is not a view of the input");
    } else {
      assertFalse(payload.hasArray(), "chunk of a direct input is not direct");
    }
    assertTrue(payload.limit() <= input.limit(), "chunk beyond the input's limit");
    assertEquals(!inMessage, messageStart, "messageStart");
    if (inMessage) {
      assertEquals(this.text, text, "a message changed type");
    }
    if (!pending) {
      pending = true;
      pendingStart = messageStart;
      this.text = text;
    }
    inMessage = !messageEnd;
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    data.writeBytes(bytes);
    if (messageEnd) {
      flush(true);
    }
  }

  @Override
  public void onPing(ByteBuffer payload) {
    flush(false);
    events.add("ping [" + Hex.of(payload) + "]");
  }

  @Override
  public void onPong(ByteBuffer payload) {
    flush(false);
    events.add("pong [" + Hex.of(payload) + "]");
  }

  @Override
  public void onClose(int code, String reason) {
    flush(false);
    events.add("close " + code + " \"" + reason + "\"");
  }

  /** Records the data received since the last event, if any. */
  void flush(boolean messageEnd) {
    if (!pending) {
      return;
    }
    events.add(
        (text ? "text " : "binary ")
            + (pendingStart ? "" : "…")
            + render(data.toByteArray(), text)
            + (messageEnd ? "" : "…"));
    pending = false;
    data.reset();
  }

  /** Forgets the data of a message that will never end: the decoder failed. */
  void discardPending() {
    pending = false;
    data.reset();
  }

  /** A text message's or binary message's event, as {@link #events} holds it when whole. */
  static String message(boolean text, byte[] payload) {
    return (text ? "text " : "binary ") + render(payload, text);
  }

  private static String render(byte[] bytes, boolean text) {
    if (text) {
      try {
        return "\"" + StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)) + "\"";
      } catch (CharacterCodingException e) {
        // a chunk that ends or starts inside a character: show its bytes
      }
    }
    if (bytes.length > 32) {
      CRC32 crc = new CRC32();
      crc.update(bytes);
      return "[" + bytes.length + " bytes, crc " + Long.toHexString(crc.getValue()) + "]";
    }
    return "[" + Hex.of(bytes) + "]";
  }
}
