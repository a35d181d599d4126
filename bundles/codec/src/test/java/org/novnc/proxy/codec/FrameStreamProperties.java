package org.novnc.proxy.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Generator to parser round trip: random conversations of a client — binary and text messages
 * cut into random fragments with pings between them, pings and pongs, a close frame, junk after
 * it — masked with random keys and fed to the decoder in random pieces, one byte included.
 */
class FrameStreamProperties {

  /** A data message and how the client sends it. */
  record Message(boolean text, byte[] payload, List<Integer> cuts, List<byte[]> pings,
      List<Integer> maskKeys) {}

  /** A ping or pong on its own. */
  record Control(int opcode, byte[] payload, int maskKey) {}

  /** What a client sends: messages and controls, a close frame, bytes after it. */
  record Conversation(
      List<Object> items, int closeCode, String closeReason, int closeMaskKey, byte[] after) {

    /** The bytes on the wire. */
    byte[] encode() {
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      for (Object item : items) {
        if (item instanceof Control control) {
          put(wire, control.opcode(), true, control.payload(), control.maskKey());
        } else {
          Message message = (Message) item;
          List<byte[]> fragments = fragments(message);
          for (int i = 0; i < fragments.size(); i++) {
            int opcode = i > 0 ? 0 : message.text() ? 1 : 2;
            int key = message.maskKeys().get(i % message.maskKeys().size());
            put(wire, opcode, i == fragments.size() - 1, fragments.get(i), key);
            if (i < fragments.size() - 1 && i < message.pings().size()) {
              put(wire, 0x9, true, message.pings().get(i), ~key);
            }
          }
        }
      }
      byte[] reason = closeReason.getBytes(StandardCharsets.UTF_8);
      ByteBuffer close = ByteBuffer.allocate(2 + reason.length).putShort((short) closeCode);
      put(wire, 0x8, true, close.put(reason).array(), closeMaskKey);
      wire.writeBytes(after); // ignored: the close frame has come
      return wire.toByteArray();
    }

    /** What the decoder must report, in order; pings between fragments come before the message. */
    List<String> expected() {
      List<String> events = new ArrayList<>();
      for (Object item : items) {
        if (item instanceof Control control) {
          events.add((control.opcode() == 0x9 ? "ping " : "pong ") + Hex.of(control.payload()));
        } else {
          Message message = (Message) item;
          int gaps = fragments(message).size() - 1;
          message.pings().stream().limit(gaps).forEach(ping -> events.add("ping " + Hex.of(ping)));
          events.add((message.text() ? "text " : "binary ") + Hex.of(message.payload()));
        }
      }
      events.add("close " + closeCode + " " + closeReason);
      return events;
    }
  }

  @Property
  void reassembledMessagesAreTheSentOnes(
      @ForAll("conversations") Conversation conversation, @ForAll("pieces") List<Integer> pieces) {
    byte[] stream = conversation.encode();
    ByteBuffer buffer = ByteBuffer.wrap(stream);
    FrameDecoder decoder = new FrameDecoder(CodecSettings.DEFAULTS);
    Reassembler reassembler = new Reassembler();
    int[] sizes = Decoding.pieces(pieces);
    for (int position = 0, piece = 0; position < stream.length; piece++) {
      int size = Math.min(sizes[piece % sizes.length], stream.length - position);
      buffer.limit(position + size).position(position);
      decoder.decode(buffer, reassembler);
      assertEquals(position + size, buffer.position(), "bytes left over");
      position += size;
    }
    assertEquals(conversation.expected(), reassembler.events);
  }

  @Property
  void piecesDoNotChangeTheEvents(
      @ForAll("conversations") Conversation conversation, @ForAll("pieces") List<Integer> pieces) {
    byte[] stream = conversation.encode();
    Decoding.Outcome whole = Decoding.decode(stream, CodecSettings.DEFAULTS, Decoding.WHOLE, false);
    Decoding.Outcome split =
        Decoding.decode(stream, CodecSettings.DEFAULTS, Decoding.pieces(pieces), true);
    assertNull(whole.failure());
    assertEquals(whole, split);
  }

  @Provide
  Arbitrary<Conversation> conversations() {
    Arbitrary<Object> item =
        Arbitraries.frequencyOf(
            Tuple.of(3, messages(false)), Tuple.of(3, messages(true)), Tuple.of(1, controls()));
    return Combinators.combine(
            item.list().ofMaxSize(6),
            Arbitraries.of(1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 1014, 3000, 4999),
            text(30),
            Arbitraries.integers(),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(20))
        .as(Conversation::new);
  }

  @Provide
  Arbitrary<List<Integer>> pieces() {
    return Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(1)),
            Tuple.of(4, Arbitraries.integers().between(1, 20)),
            Tuple.of(2, Arbitraries.integers().between(1, 70_000)))
        .list()
        .ofMinSize(1)
        .ofMaxSize(30);
  }

  private static Arbitrary<Object> messages(boolean text) {
    Arbitrary<byte[]> payload =
        text
            ? text(60).map(s -> s.getBytes(StandardCharsets.UTF_8))
            : Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                Tuple.of(1, Arbitraries.integers().between(65_536, 70_000).map(i -> counting(i))));
    return Combinators.combine(
            payload,
            Arbitraries.integers().between(0, 100_000).list().ofMaxSize(4),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(125).list().ofMaxSize(2),
            Arbitraries.integers().list().ofMinSize(1).ofMaxSize(3))
        .as((bytes, cuts, pings, keys) -> new Message(text, bytes, cuts, pings, keys));
  }

  private static Arbitrary<Object> controls() {
    return Combinators.combine(
            Arbitraries.of(0x9, 0xA),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(125),
            Arbitraries.integers())
        .as(Control::new);
  }

  /** Strings of any code points, surrogates excepted, or of ASCII; at most 4 bytes each. */
  private static Arbitrary<String> text(int maxCodePoints) {
    Arbitrary<Integer> anyCodePoint =
        Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF);
    Arbitrary<Integer> codePoint =
        Arbitraries.frequencyOf(
            Tuple.of(1, anyCodePoint), Tuple.of(1, Arbitraries.integers().between(0, 0x7F)));
    return codePoint
        .list()
        .ofMaxSize(maxCodePoints)
        .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
  }

  private static byte[] counting(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + (i >>> 8));
    }
    return bytes;
  }

  /** The message's payload cut at its cut points (modulo length + 1): empty fragments too. */
  private static List<byte[]> fragments(Message message) {
    byte[] payload = message.payload();
    int[] cuts =
        message.cuts().stream().mapToInt(cut -> cut % (payload.length + 1)).sorted().toArray();
    List<byte[]> fragments = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      fragments.add(Arrays.copyOfRange(payload, from, cut));
      from = cut;
    }
    fragments.add(Arrays.copyOfRange(payload, from, payload.length));
    return fragments;
  }

  /** Joins data chunks into messages; checks the start and end flags and the message type. */
  private static final class Reassembler implements FrameListener {
    final List<String> events = new ArrayList<>();
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private boolean inMessage;
    private boolean text;

    @Override
    public void onData(ByteBuffer payload, boolean text, boolean messageStart, boolean messageEnd) {
      assertEquals(!inMessage, messageStart, "messageStart");
      if (inMessage) {
        assertEquals(this.text, text, "a message changed type");
      }
      this.text = text;
      inMessage = !messageEnd;
      byte[] chunk = new byte[payload.remaining()];
      payload.get(chunk);
      message.writeBytes(chunk);
      if (messageEnd) {
        events.add((text ? "text " : "binary ") + Hex.of(message.toByteArray()));
        message.reset();
      }
    }

    @Override
    public void onPing(ByteBuffer payload) {
      events.add("ping " + Hex.of(payload));
    }

    @Override
    public void onPong(ByteBuffer payload) {
      events.add("pong " + Hex.of(payload));
    }

    @Override
    public void onClose(int code, String reason) {
      events.add("close " + code + " " + reason);
    }
  }

  private static void put(
      ByteArrayOutputStream wire, int opcode, boolean fin, byte[] payload, int key) {
    ByteBuffer frame = FrameEncoder.maskedFrame(opcode, fin, ByteBuffer.wrap(payload), key);
    wire.write(frame.array(), frame.arrayOffset(), frame.remaining());
  }
}
