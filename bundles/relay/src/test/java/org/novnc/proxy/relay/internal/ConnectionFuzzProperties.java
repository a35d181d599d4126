package org.novnc.proxy.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.novnc.proxy.codec.CodecSettings;
import org.novnc.proxy.codec.FrameEncoder;

/**
 * Hostile bytes into a relay connection, through Netty's {@link EmbeddedChannel}: random and
 * mutated HTTP requests into the HTTP phase (the pipeline a real connection gets), random and
 * mutated frames into a session. Every outcome is an HTTP answer, frames a server may send, or
 * nothing yet; no exception reaches the end of the pipeline; no buffer leaks (paranoid detector).
 */
class ConnectionFuzzProperties {
  static {
    LeakCheck.install();
  }

  private static final Set<Integer> HTTP_ANSWERS = Set.of(200, 301, 304, 400, 403, 404, 405, 414, 426, 429, 431, 503);
  private static final Set<Integer> SERVER_CLOSE_CODES = Set.of(1000, 1001, 1002, 1007, 1008, 1009, 1011);
  private static EventLoops loops;
  private static RelayListener listener;
  private static Path www;

  @BeforeContainer
  static void start() throws IOException {
    www = Files.createTempDirectory("fuzz-www");
    Files.writeString(www.resolve("vnc.html"), "<html>vnc</html>");
    Files.write(www.resolve("big.js"), new byte[40_000]);
    loops = new EventLoops(1);
    listener = new RelayListener("fuzz", loops, () -> new CodecSettings(64 * 1024, 256 * 1024, List.of("binary", "base64"), 5000));
    // no target for plain upgrades (503): a session is fuzzed on its own below, without a target connection
    listener.apply(TestSettings.relay(new HostPort("127.0.0.1", 0), null, null, null, WebRoot.directory(www),
        OriginPolicy.SAME_HOST, null, 10, 0, 0));
  }

  @AfterContainer
  static void stop() throws Exception {
    listener.stop();
    loops.close();
    assertEquals(0, LeakCheck.leaks(), "Netty buffers leaked (see the LEAK: log lines)");
  }

  // ---- the HTTP phase ----

  @Provide
  Arbitrary<byte[]> requests() {
    Arbitrary<String> line = Arbitraries.of(
        "GET /vnc.html HTTP/1.1", "GET /big.js HTTP/1.1", "HEAD / HTTP/1.1", "GET /websockify HTTP/1.1",
        "GET /../../etc/passwd HTTP/1.1", "POST / HTTP/1.1", "GET http://x.example/ HTTP/1.1", "GET / HTTP/1.0");
    Arbitrary<String> header = Arbitraries.of(
        "Host: 127.0.0.1", "Host: r.attacker.example", "Upgrade: websocket", "Connection: Upgrade",
        "Connection: keep-alive", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Version: 8", "Origin: http://127.0.0.1", "Origin: http://evil.example",
        "Content-Length: 3", "Transfer-Encoding: chunked", "If-None-Match: *", "Sec-WebSocket-Protocol: base64");
    Arbitrary<byte[]> one = Combinators.combine(line, header.list().ofMaxSize(8), Arbitraries.strings().ofMaxLength(8))
        .as((l, hs, body) -> (l + "\r\n" + String.join("\r\n", hs) + (hs.isEmpty() ? "" : "\r\n") + "\r\n" + body)
            .getBytes(StandardCharsets.ISO_8859_1));
    return one.list().ofMinSize(1).ofMaxSize(4).map(ConnectionFuzzProperties::concat);
  }

  @Provide
  Arbitrary<byte[]> mutatedRequests() {
    return Combinators.combine(requests(), Arbitraries.integers().list().ofMaxSize(6), Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
        .as((bytes, flips, junk) -> {
          byte[] b = concat(List.of(bytes, junk));
          for (int f : flips) {
            int bit = Math.floorMod(f, b.length * 8);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
          }
          return b;
        });
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** Feeds {@code input} to a fresh connection in pieces; returns everything it wrote back. */
  private static byte[] connection(byte[] input, List<Integer> cuts) {
    EmbeddedChannel ch = new EmbeddedChannel();
    listener.initSession(ch);
    ch.pipeline().fireChannelActive();
    ByteArrayOutputStream out = feed(ch, input, cuts);
    ch.runPendingTasks();
    drain(ch, out);
    ch.checkException();
    ch.finishAndReleaseAll();
    return out.toByteArray();
  }

  /** Writes {@code input} in pieces cut at {@code cuts} while the channel is open; collects what it writes. */
  private static ByteArrayOutputStream feed(EmbeddedChannel ch, byte[] input, List<Integer> cuts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    for (int i = 0; at < input.length && ch.isOpen(); i++) {
      int size = cuts.isEmpty() ? input.length : 1 + Math.floorMod(cuts.get(i % cuts.size()), input.length - at);
      ch.writeInbound(Unpooled.wrappedBuffer(input, at, Math.min(size, input.length - at)));
      at += size;
      drain(ch, out);
    }
    return out;
  }

  private static void drain(EmbeddedChannel ch, ByteArrayOutputStream out) {
    for (Object o; (o = ch.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      b.release();
      out.writeBytes(bytes);
    }
    ch.runPendingTasks();
    for (Object o; (o = ch.readInbound()) != null; ) {
      io.netty.util.ReferenceCountUtil.release(o); // nothing should pass the gate, but never leak if it does
    }
  }

  private static void assertHttpAnswers(byte[] written) {
    String text = new String(written, StandardCharsets.ISO_8859_1);
    int replies = 0;
    java.util.regex.Matcher status = java.util.regex.Pattern.compile("(?m)^HTTP/1\\.1 (\\d{3}) ").matcher(text);
    while (status.find()) {
      assertTrue(HTTP_ANSWERS.contains(Integer.parseInt(status.group(1))), "status " + status.group(1) + " in " + text);
      replies++;
    }
    assertTrue(written.length == 0 || text.startsWith("HTTP/1.1 "), "only HTTP answers: " + text);
    assertTrue(replies <= HttpGate.MAX_REQUESTS, replies + " replies");
  }

  @Property(tries = 10_000)
  void randomBytesGetAnHttpAnswerOrNothing(@ForAll("randomBytes") byte[] input, @ForAll List<Integer> cuts) {
    assertHttpAnswers(connection(input, cuts));
  }

  @Provide
  Arbitrary<byte[]> randomBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(600);
  }

  @Property(tries = 10_000)
  void mutatedRequestsGetAnHttpAnswerOrNothing(@ForAll("mutatedRequests") byte[] input, @ForAll List<Integer> cuts) {
    assertHttpAnswers(connection(input, cuts));
  }

  // ---- a session ----

  @Provide
  Arbitrary<byte[]> frames() {
    Arbitrary<byte[]> one = Combinators.combine(
        Arbitraries.of(0x0, 0x1, 0x2, 0x8, 0x9, 0xA, 0x3, 0xB),
        Arbitraries.of(true, false),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
        Arbitraries.integers(),
        Arbitraries.integers().list().ofMaxSize(3))
        .as((op, fin, payload, key, flips) -> {
          byte[] f = masked(op, fin || op >= 8, op >= 8 && payload.length > 125 ? java.util.Arrays.copyOf(payload, 125) : payload, key);
          for (int flip : flips) {
            int bit = Math.floorMod(flip, f.length * 8);
            f[bit / 8] ^= (byte) (1 << (bit % 8));
          }
          return f;
        });
    return one.list().ofMinSize(1).ofMaxSize(6).map(ConnectionFuzzProperties::concat);
  }

  private static byte[] masked(int opcode, boolean fin, byte[] payload, int key) {
    boolean reserved = opcode >= 3 && opcode <= 7 || opcode >= 0xB;
    ByteBuffer header = FrameEncoder.header(reserved ? 2 : opcode, fin, payload.length);
    byte[] h = new byte[header.remaining()];
    header.get(h);
    h[0] = (byte) ((h[0] & 0xf0) | opcode); // reserved opcodes too: the encoder refuses to make them
    h[1] |= (byte) 0x80;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h);
    out.writeBytes(new byte[] {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key});
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ (key >>> (8 * (3 - (i & 3)))));
    }
    return out.toByteArray();
  }

  @Property(tries = 10_000)
  void aSessionAnswersOnlyWithServerFrames(@ForAll("frames") byte[] input, @ForAll List<Integer> cuts, @ForAll boolean base64) {
    EmbeddedChannel ch = new EmbeddedChannel(new RelaySession(listener, new HostPort("127.0.0.1", 1),
        new CodecSettings(64 * 1024, 256 * 1024, List.of("binary", "base64"), 5000), base64 ? "base64" : "binary", 0, false));
    ch.config().setAutoRead(true);
    ByteArrayOutputStream out = feed(ch, input, cuts);
    ch.checkException();
    ch.finishAndReleaseAll();
    assertServerFrames(out.toByteArray());
  }

  /** Unmasked pongs and at most one close frame with a code a server sends, nothing after it. */
  private static void assertServerFrames(byte[] b) {
    int at = 0;
    boolean closed = false;
    while (at < b.length) {
      assertTrue(!closed, "nothing after the close frame");
      int opcode = b[at] & 0x0f;
      assertEquals(0x80, b[at] & 0xf0, "FIN, no RSV bits");
      assertEquals(0, b[at + 1] & 0x80, "server frames are not masked");
      int len = b[at + 1] & 0x7f;
      assertTrue(len <= 125, "control frames only");
      if (opcode == 0x8) {
        closed = true;
        if (len >= 2) {
          int code = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
          assertTrue(SERVER_CLOSE_CODES.contains(code) || (code >= 1000 && code < 5000), "close code " + code);
        }
      } else {
        assertEquals(0xA, opcode, "a pong");
      }
      at += 2 + len;
    }
  }
}
