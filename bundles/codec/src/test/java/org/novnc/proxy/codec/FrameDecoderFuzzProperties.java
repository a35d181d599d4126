package org.novnc.proxy.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile input for the decoder: random bytes, and valid client frames with bits flipped,
 * truncated, concatenated and split anywhere. Whatever comes, the decoder's only outcomes are
 * data, a close, "need more", or one {@link WebSocketException} carrying a close code a server
 * may send; nothing else escapes, and after a failure it refuses everything with the same code.
 */
class FrameDecoderFuzzProperties {
  /** Codes a server sends when failing a connection (RFC 6455 section 7.4.1). */
  private static final Set<Integer> FAILURE_CODES = Set.of(1002, 1007, 1008, 1009, 1011);
  private static final CodecSettings SMALL = new CodecSettings(64 * 1024, 256 * 1024, List.of("binary"), 5000);

  /** One valid masked client frame. */
  private static byte[] frame(int opcode, boolean fin, byte[] payload, int key) {
    ByteBuffer header = FrameEncoder.header(opcode, fin, payload.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] h = new byte[header.remaining()];
    header.get(h);
    h[1] |= (byte) 0x80; // masked
    out.writeBytes(h);
    out.writeBytes(new byte[] {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key});
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ (key >>> (8 * (3 - (i & 3)))));
    }
    return out.toByteArray();
  }

  @Provide
  Arbitrary<byte[]> validFrames() {
    Arbitrary<byte[]> one = Combinators.combine(
        Arbitraries.of(0x0, 0x1, 0x2, 0x8, 0x9, 0xA),
        Arbitraries.of(true, false),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.integers()).as((op, fin, payload, key) -> frame(op, fin || op >= 8, op >= 8 && payload.length > 125
            ? java.util.Arrays.copyOf(payload, 125) : payload, key));
    return one.list().ofMinSize(1).ofMaxSize(6).map(frames -> {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      frames.forEach(all::writeBytes);
      return all.toByteArray();
    });
  }

  @Provide
  Arbitrary<byte[]> mutatedFrames() {
    return Combinators.combine(validFrames(), Arbitraries.integers().list().ofMaxSize(8), Arbitraries.integers().between(0, 2))
        .as((bytes, flips, cut) -> {
          byte[] b = bytes.clone();
          for (int f : flips) {
            int bit = Math.floorMod(f, b.length * 8);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
          }
          return cut == 0 ? java.util.Arrays.copyOf(b, Math.floorMod(flips.hashCode(), b.length + 1)) : b;
        });
  }

  /** Feeds {@code input} in pieces cut at {@code cuts}; returns the failure code, or 0 when none. */
  private static int decode(byte[] input, List<Integer> cuts) {
    FrameDecoder decoder = new FrameDecoder(SMALL);
    FrameListener ignore = new FrameListener() {
      @Override
      public void onData(ByteBuffer payload, boolean text, boolean messageStart, boolean messageEnd) {
        assertTrue(payload.remaining() <= input.length, "a payload view within the input");
      }

      @Override
      public void onPing(ByteBuffer payload) {
        assertTrue(payload.remaining() <= 125);
      }

      @Override
      public void onPong(ByteBuffer payload) {
        assertTrue(payload.remaining() <= 125);
      }

      @Override
      public void onClose(int code, String reason) {
        assertTrue(code == WebSocketProtocol.CLOSE_NO_STATUS || (code >= 1000 && code < 5000), "close code " + code);
      }
    };
    int at = 0;
    int code = 0;
    for (int i = 0; at < input.length || i == 0; i++) {
      int size = cuts.isEmpty() ? input.length : 1 + Math.floorMod(cuts.get(i % cuts.size()), Math.max(1, input.length - at));
      ByteBuffer piece = ByteBuffer.wrap(input, at, Math.min(size, input.length - at)).slice();
      at += piece.remaining();
      try {
        decoder.decode(piece, ignore);
      } catch (WebSocketException e) {
        code = e.closeCode();
        assertTrue(FAILURE_CODES.contains(code), "a failure code, not " + code + " (" + e.getMessage() + ")");
        break;
      }
      if (at >= input.length) {
        break;
      }
    }
    if (code != 0) {
      try {
        decoder.decode(ByteBuffer.wrap(new byte[] {(byte) 0x82, (byte) 0x80, 0, 0, 0, 0}), ignore);
        throw new AssertionError("a failed decoder accepted more input");
      } catch (WebSocketException again) {
        assertEquals(code, again.closeCode(), "a failed decoder keeps its code");
      }
    }
    return code;
  }

  @Property(tries = 10_000)
  void randomBytesAreDataACloseOrOneFailure(@ForAll("randomBytes") byte[] input, @ForAll List<Integer> cuts) {
    decode(input, cuts);
  }

  @Provide
  Arbitrary<byte[]> randomBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(2000);
  }

  @Property(tries = 10_000)
  void mutatedFramesAreDataACloseOrOneFailure(@ForAll("mutatedFrames") byte[] input, @ForAll List<Integer> cuts) {
    decode(input, cuts);
  }

  @Property(tries = 10_000)
  void validFramesSplitAnywhereNeverFailOnFraming(@ForAll("validFrames") byte[] input, @ForAll List<Integer> cuts) {
    int code = decode(input, cuts);
    // random frames may break fragmentation rules (a continuation with nothing to continue, a new
    // message inside one) or carry invalid UTF-8 / close payloads: only those codes are possible
    assertTrue(code == 0 || code == 1002 || code == 1007, "code " + code);
  }
}
