package org.novnc.proxy.codec;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a byte stream through a {@link FrameDecoder} in pieces and records what came out. Every
 * call must consume its whole input ("nothing left over"); after a failure the decoder must refuse
 * more input with the same close code.
 */
final class Decoding {
  /** One piece: the whole stream in one call. */
  static final int[] WHOLE = {Integer.MAX_VALUE};
  private static final int[] ONE_BYTE = {1};

  /** The events, and the failure that ended decoding or null. */
  record Outcome(List<String> events, WebSocketException failure) {}

  private Decoding() {}

  /**
   * Decodes {@code stream} whole (heap buffer; and direct, little-endian) and one byte at a time,
   * asserts that each run gives {@code expected} and no failure.
   */
  static void assertDecodes(CodecSettings settings, String hex, String... expected) {
    byte[] stream = Hex.array(hex);
    for (Outcome outcome : runs(stream, settings)) {
      assertNull(outcome.failure(), () -> "unexpected " + outcome.failure());
      assertEquals(List.of(expected), outcome.events());
    }
  }

  static void assertDecodes(String hex, String... expected) {
    assertDecodes(CodecSettings.DEFAULTS, hex, expected);
  }

  /**
   * Decodes {@code stream} whole and one byte at a time; asserts that each run fails with {@code
   * closeCode} and {@code message} after delivering {@code before}. Data of a message the failure
   * cut short is not counted: read boundaries decide how much of it was delivered.
   */
  static void assertRejects(
      CodecSettings settings, int closeCode, String message, String hex, String... before) {
    byte[] stream = Hex.array(hex);
    for (Outcome outcome : runs(stream, settings)) {
      WebSocketException failure = outcome.failure();
      assertNotNull(failure, () -> "accepted, events " + outcome.events());
      assertAll(
          () -> assertEquals(closeCode, failure.closeCode(), "close code"),
          () -> assertEquals(message, failure.getMessage()),
          () -> assertEquals(List.of(before), outcome.events()));
    }
  }

  static void assertRejects(int closeCode, String message, String hex, String... before) {
    assertRejects(CodecSettings.DEFAULTS, closeCode, message, hex, before);
  }

  private static List<Outcome> runs(byte[] stream, CodecSettings settings) {
    return List.of(
        decode(stream, settings, WHOLE, false),
        decode(stream, settings, WHOLE, true),
        decode(stream, settings, ONE_BYTE, false));
  }

  /**
   * Decodes {@code stream} in pieces of the given sizes, cycling through them, from one buffer, so
   * that chunk positions are positions in that buffer.
   *
   * @param direct a direct little-endian buffer instead of a heap big-endian one
   */
  static Outcome decode(byte[] stream, CodecSettings settings, int[] pieces, boolean direct) {
    ByteBuffer buffer =
        direct
            ? ByteBuffer.allocateDirect(stream.length).order(ByteOrder.LITTLE_ENDIAN)
            : ByteBuffer.allocate(stream.length);
    buffer.put(stream).clear();
    FrameDecoder decoder = new FrameDecoder(settings);
    EventRecorder recorder = new EventRecorder();
    recorder.input(buffer);
    WebSocketException failure = null;
    for (int position = 0, piece = 0; position < stream.length && failure == null; piece++) {
      int size = Math.min(pieces[piece % pieces.length], stream.length - position);
      buffer.limit(position + size).position(position);
      try {
        decoder.decode(buffer, recorder);
      } catch (WebSocketException e) {
        failure = e;
      }
      assertFalse(buffer.hasRemaining(), "bytes left over");
      position += size;
    }
    if (failure == null) {
      recorder.flush(false);
    } else {
      recorder.discardPending();
      assertStaysCorrupt(decoder, failure, recorder);
    }
    return new Outcome(recorder.events, failure);
  }

  private static void assertStaysCorrupt(
      FrameDecoder decoder, WebSocketException failure, EventRecorder recorder) {
    assertEquals(FrameDecoder.State.CORRUPT, decoder.state());
    int eventsBefore = recorder.events.size();
    ByteBuffer ping = Hex.bytes("89 80 00 00 00 00"); // a valid, empty ping
    recorder.input(ping);
    WebSocketException again =
        assertThrows(WebSocketException.class, () -> decoder.decode(ping, recorder));
    assertEquals(failure.closeCode(), again.closeCode());
    assertEquals(failure.getMessage(), again.getMessage());
    assertFalse(ping.hasRemaining(), "corrupt decoder left bytes over");
    assertEquals(eventsBefore, recorder.events.size(), "corrupt decoder delivered events");
  }

  /** Sizes that give every piece, for property tests: at least 1 each. */
  static int[] pieces(List<Integer> sizes) {
    int[] pieces = sizes.stream().mapToInt(Integer::intValue).toArray();
    assertTrue(Arrays.stream(pieces).allMatch(size -> size > 0));
    return pieces.length == 0 ? WHOLE : pieces;
  }
}
