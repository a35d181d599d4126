package org.novnc.proxy.relay.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.novnc.proxy.codec.CodecSettings;
import org.novnc.proxy.codec.FrameEncoder;
import org.novnc.proxy.codec.WebSocketProtocol;

/** The relay's Netty side without OSGi: subprotocols and backpressure, against real sockets. */
class RelayListenerTest {
  static {
    LeakCheck.install();
  }

  private EventLoops loops;
  private RelayListener listener;
  private ServerSocket target;

  @AfterAll
  static void noBufferLeaked() throws InterruptedException {
    assertEquals(0, LeakCheck.leaks(), "Netty buffers leaked (see the LEAK: log lines)");
  }

  @BeforeEach
  void start() throws IOException {
    loops = new EventLoops(1);
    listener = new RelayListener("test", loops, () -> CodecSettings.DEFAULTS);
    target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws IOException {
    listener.stop();
    target.close();
    loops.close();
  }

  private int listen() {
    listener.apply(TestSettings.debug(TestSettings.relay(new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", target.getLocalPort()),
        null, null, null, OriginPolicy.SAME_HOST, null, 10, 0, 0)));
    assertNotNull(listener.boundAddress(), "listening");
    return listener.boundAddress().getPort();
  }

  /** Accepts one target connection and runs {@code body} on it in the background. */
  private void serveTarget(ThrowingConsumer body) {
    Thread t = new Thread(() -> {
      try (Socket s = target.accept()) {
        body.accept(s);
      } catch (IOException e) {
        // the test ended the connection
      }
    });
    t.setDaemon(true);
    t.start();
  }

  interface ThrowingConsumer {
    void accept(Socket s) throws IOException;
  }

  /** Opens a raw WebSocket: handshake done, the 101 response read, nothing else. */
  private static Socket rawWebSocket(int port, String protocol) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    String request = "GET /websockify HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + (protocol == null ? "" : "Sec-WebSocket-Protocol: " + protocol + "\r\n") + "\r\n";
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    InputStream in = s.getInputStream();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed during handshake: " + head);
      }
      head.append((char) c);
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
    return s;
  }

  @Test
  void base64SubprotocolRelaysTextFramesBothWays() throws Exception {
    int port = listen();
    serveTarget(s -> {
      s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      byte[] b = s.getInputStream().readNBytes(5);
      s.getOutputStream().write(b);
    });
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> second = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("base64")
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            (first.isDone() ? second : first).complete(data.toString());
            w.request(1);
            return null;
          }
        }).get(5, TimeUnit.SECONDS);
    assertEquals("base64", ws.getSubprotocol());
    assertEquals(Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.US_ASCII)), first.get(5, TimeUnit.SECONDS));
    ws.sendText(Base64.getEncoder().encodeToString("world".getBytes(StandardCharsets.US_ASCII)), true).get(5, TimeUnit.SECONDS);
    assertEquals(Base64.getEncoder().encodeToString("world".getBytes(StandardCharsets.US_ASCII)), second.get(5, TimeUnit.SECONDS));
    ws.abort();
  }

  @Test
  void unreachableTargetGetsClose1014WithTheReason() throws Exception {
    int port = listen();
    int nothing = target.getLocalPort();
    target.close(); // nothing listens there any more
    CompletableFuture<String> closed = new CompletableFuture<>();
    HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/websockify"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(code + " " + reason);
            return null;
          }
        }).get(5, TimeUnit.SECONDS);
    String close = closed.get(5, TimeUnit.SECONDS);
    assertTrue(close.startsWith("1014 target 127.0.0.1:" + nothing + " unreachable"), close);
  }

  @Test
  void targetEndSendsClose1000AfterTheData() throws Exception {
    int port = listen();
    serveTarget(s -> s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII)));
    StringBuilder got = new StringBuilder();
    CompletableFuture<String> closed = new CompletableFuture<>();
    HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            got.append(StandardCharsets.US_ASCII.decode(data));
            w.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(got + "|" + code);
            return null;
          }
        }).get(5, TimeUnit.SECONDS);
    assertEquals("bye|1000", closed.get(5, TimeUnit.SECONDS));
  }

  private static final int TOTAL = 64 * 1024 * 1024;
  /** Far below TOTAL, above what loopback socket buffers and the water marks can hold. */
  private static final long STALL_BOUND = 32L * 1024 * 1024;

  @Test
  void clientThatReadsNothingStopsTheTargetBeingRead() throws Exception {
    int port = listen();
    AtomicLong written = new AtomicLong();
    serveTarget(s -> {
      OutputStream out = s.getOutputStream();
      byte[] chunk = new byte[65536];
      for (int i = 0; i < TOTAL / chunk.length; i++) {
        out.write(chunk);
        written.addAndGet(chunk.length);
      }
    });
    try (Socket client = rawWebSocket(port, null)) {
      assertStalls(written);
      // then the client reads: everything the target wrote arrives, in binary frames
      assertEquals(TOTAL, readPayload(client.getInputStream(), TOTAL));
    }
  }

  @Test
  void targetThatReadsNothingStopsTheClientBeingRead() throws Exception {
    int port = listen();
    CountDownLatch startReading = new CountDownLatch(1);
    AtomicLong received = new AtomicLong();
    serveTarget(s -> {
      try {
        startReading.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      byte[] buf = new byte[65536];
      for (int n; received.get() < TOTAL && (n = s.getInputStream().read(buf)) > 0; ) {
        received.addAndGet(n);
      }
    });
    AtomicLong written = new AtomicLong();
    try (Socket client = rawWebSocket(port, null)) {
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = client.getOutputStream();
          ByteBuffer frame = FrameEncoder.maskedFrame(WebSocketProtocol.OPCODE_BINARY, true, ByteBuffer.allocate(65536), 0x12345678);
          byte[] bytes = new byte[frame.remaining()];
          frame.get(bytes);
          for (int i = 0; i < TOTAL / 65536; i++) {
            out.write(bytes);
            written.addAndGet(65536);
          }
        } catch (IOException e) {
          // closed by the test
        }
      });
      writer.setDaemon(true);
      writer.start();
      assertStalls(written);
      startReading.countDown();
      await().atMost(Duration.ofSeconds(30)).until(() -> received.get() == TOTAL);
    }
  }

  /** Reads server frames (unmasked, binary) until {@code want} payload bytes have arrived. */
  private static long readPayload(InputStream in, long want) throws IOException {
    java.io.DataInputStream data = new java.io.DataInputStream(in);
    long got = 0;
    byte[] skip = new byte[65536];
    while (got < want) {
      int b0 = data.readUnsignedByte();
      int b1 = data.readUnsignedByte();
      assertEquals(0x82, b0, "FIN + binary");
      long len = b1 & 0x7f;
      if (len == 126) {
        len = data.readUnsignedShort();
      } else if (len == 127) {
        len = data.readLong();
      }
      for (long left = len; left > 0; ) {
        int n = data.read(skip, 0, (int) Math.min(skip.length, left));
        if (n < 0) {
          throw new IOException("closed after " + got + " payload bytes");
        }
        left -= n;
      }
      got += len;
    }
    return got;
  }

  /** The writer stops making progress, having pushed no more than socket buffers and water marks hold. */
  private static void assertStalls(AtomicLong written) {
    long[] last = {-1};
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1500)).until(() -> {
      long now = written.get();
      boolean stalled = now > 0 && now == last[0];
      last[0] = now;
      return stalled;
    });
    assertTrue(written.get() < STALL_BOUND, "bytes in flight when stalled: " + written.get());
  }
}
