package org.novnc.proxy.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.novnc.proxy.codec.CodecSettings;

/** Serving files, origins, tokens and heartbeats of a relay port, against real sockets. */
class RelayFeaturesTest {
  static {
    LeakCheck.install();
  }

  @TempDir
  Path tmp;
  private EventLoops loops;
  private RelayListener listener;
  private final List<GreetingTarget> targets = new ArrayList<>();

  @BeforeEach
  void start() {
    loops = new EventLoops(1);
    listener = new RelayListener("test", loops, () -> CodecSettings.DEFAULTS);
  }

  @AfterEach
  void stop() throws IOException {
    listener.stop();
    for (GreetingTarget t : targets) {
      t.close();
    }
    loops.close();
  }

  /** A target that greets each connection with {@code greeting} and then echoes. */
  private HostPort greeter(String greeting) throws IOException {
    GreetingTarget target = new GreetingTarget(greeting);
    targets.add(target);
    return target.address();
  }

  private int listen(HostPort target, TokenTargets tokens, WebRoot web, OriginPolicy origins, long heartbeat) {
    listener.apply(TestSettings.relay(new HostPort("127.0.0.1", 0), target, null, tokens, web, origins, null, 10, 0, heartbeat));
    assertNotNull(listener.boundAddress());
    return listener.boundAddress().getPort();
  }

  /** Opens a WebSocket and returns the first text of what arrives (binary frames, as ASCII). */
  private static String firstMessage(String url, String origin) {
    CompletableFuture<String> first = new CompletableFuture<>();
    WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
    if (origin != null) {
      b.header("Origin", origin);
    }
    WebSocket ws = b.buildAsync(URI.create(url), new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
        first.complete(StandardCharsets.US_ASCII.decode(data).toString());
        return null;
      }
    }).orTimeout(5, TimeUnit.SECONDS).join();
    try {
      return first.orTimeout(5, TimeUnit.SECONDS).join();
    } finally {
      ws.abort();
    }
  }

  /** The HTTP status of a refused handshake. */
  private static int refusedWith(String url, String origin) {
    try {
      firstMessage(url, origin);
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw e;
    }
  }

  private static String rawGet(int port, String path) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void servesADirectoryWithTypesAndRevalidation() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("www"));
    Files.writeString(root.resolve("vnc.html"), "<html>vnc</html>");
    Files.createDirectories(root.resolve("core"));
    Files.writeString(root.resolve("core/rfb.js"), "export class RFB {}");
    int port = listen(greeter("hi"), null, WebRoot.directory(root), OriginPolicy.SAME_HOST, 0);
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> js = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/core/rfb.js")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, js.statusCode());
    assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElse(""));
    assertEquals("export class RFB {}", js.body());
    String etag = js.headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/core/rfb.js"))
        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(304, again.statusCode());

    HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("<html>vnc</html>", index.body(), "the index page");
    HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/vnc.html"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals("16", head.headers().firstValue("Content-Length").orElse(""));
    assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nothing.js")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode());

    // and the WebSocket endpoint still answers on any path
    assertEquals("hi", firstMessage("ws://127.0.0.1:" + port + "/any/path", null));
  }

  @Test
  void nothingOutsideTheRootCanBeRead() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("www"));
    Files.writeString(root.resolve("vnc.html"), "ok");
    Files.writeString(tmp.resolve("secret.txt"), "TOP-SECRET");
    Files.createSymbolicLink(root.resolve("link.txt"), tmp.resolve("secret.txt"));
    int port = listen(greeter("hi"), null, WebRoot.directory(root), OriginPolicy.SAME_HOST, 0);
    for (String attack : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%5csecret.txt",
        "/..\\secret.txt", "/vnc.html%00/../../secret.txt", "/./../secret.txt", "/link.txt", "//../secret.txt")) {
      String response = rawGet(port, attack);
      assertTrue(response.startsWith("HTTP/1.1 404") || response.startsWith("HTTP/1.1 400"), attack + " -> " + response.lines().findFirst().orElse(""));
      assertFalse(response.contains("TOP-SECRET"), attack);
    }
    assertTrue(rawGet(port, "/vnc.html").startsWith("HTTP/1.1 200"), "a normal file still works");
  }

  @Test
  void aListenChangeThatCannotBindKeepsTheOldListener() throws Exception {
    HostPort target = greeter("hi");
    int port = listen(target, null, null, OriginPolicy.SAME_HOST, 0);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.apply(TestSettings.relay(new HostPort("127.0.0.1", taken.getLocalPort()), target, null, null, null, OriginPolicy.SAME_HOST, null, 10, 0, 0));
      assertEquals(port, listener.boundAddress().getPort(), "still listening where it was");
      assertEquals("hi", firstMessage("ws://127.0.0.1:" + port + "/", null));
    }
    int free;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = probe.getLocalPort();
    }
    listener.apply(TestSettings.relay(new HostPort("127.0.0.1", free), target, null, null, null, OriginPolicy.SAME_HOST, null, 10, 0, 0));
    assertEquals(free, listener.boundAddress().getPort(), "a free port is taken");
    assertEquals("hi", firstMessage("ws://127.0.0.1:" + free + "/", null));
    try (Socket old = new Socket()) {
      assertThrows(IOException.class, () -> old.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000), "the old port is let go");
    }
  }

  @Test
  void crossOriginRefusedUnlessAllowed() throws Exception {
    HostPort target = greeter("hi");
    int port = listen(target, null, null, OriginPolicy.SAME_HOST, 0);
    String url = "ws://127.0.0.1:" + port + "/websockify";
    assertEquals(403, refusedWith(url, "https://evil.example.net"));
    assertEquals("hi", firstMessage(url, "http://127.0.0.1:8181"), "same host, other port");
    listener.apply(TestSettings.relay(new HostPort("127.0.0.1", port), target, null, null, null, OriginPolicy.parse("https://evil.example.net"), null, 10, 0, 0));
    assertEquals("hi", firstMessage(url, "https://evil.example.net"), "allowed by the list");
    listener.apply(TestSettings.relay(new HostPort("127.0.0.1", port), target, null, null, null, OriginPolicy.parse("*"), null, 10, 0, 0));
    assertEquals("hi", firstMessage(url, "https://anyone.example.org"));
  }

  @Test
  void tokensRouteToTheirTargetsAndRefuseOthers() throws Exception {
    HostPort one = greeter("one");
    HostPort two = greeter("two");
    HostPort three = greeter("three");
    Path file = tmp.resolve("tokens.cfg");
    Files.writeString(file, "# websockify token file\nbeta: " + two + "\n");
    TokenTargets tokens = TokenTargets.of("alpha=" + one, file.toString(), "test");
    int port = listen(null, tokens, null, OriginPolicy.SAME_HOST, 0);
    String base = "ws://127.0.0.1:" + port + "/websockify";
    assertEquals("one", firstMessage(base + "?token=alpha", null));
    assertEquals("two", firstMessage(base + "?token=beta", null));
    assertEquals(403, refusedWith(base + "?token=gamma", null), "unknown token");
    assertEquals(400, refusedWith(base, null), "missing token");

    Files.writeString(file, "gamma: " + three + "\n");
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
    assertEquals("three", firstMessage(base + "?token=gamma", null), "a changed file applies to the next connection");
    assertEquals(403, refusedWith(base + "?token=beta", null), "a removed token is refused");
  }

  @Test
  void maxConnectionsRefusesTheNextWith503UntilOneEnds() throws Exception {
    HostPort target = greeter("hi");
    listener.apply(TestSettings.relay(new HostPort("127.0.0.1", 0), target, null, null, null, OriginPolicy.SAME_HOST, null, 2, 0, 0));
    String url = "ws://127.0.0.1:" + listener.boundAddress().getPort() + "/";
    List<WebSocket> open = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      open.add(HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() { })
          .get(5, TimeUnit.SECONDS));
    }
    assertEquals(503, refusedWith(url, null), "the third session");
    open.get(0).abort();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> listener.sessionCount() == 1);
    assertEquals("hi", firstMessage(url, null), "a slot is free again");
    open.get(1).abort();
  }

  @Test
  void idleTimeoutClosesASilentSessionWith1001() throws Exception {
    HostPort target = greeter("hi");
    listener.apply(TestSettings.relay(new HostPort("127.0.0.1", 0), target, null, null, null, OriginPolicy.SAME_HOST, null, 10, 1, 0));
    CompletableFuture<String> closed = new CompletableFuture<>();
    long t0 = System.nanoTime();
    HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + listener.boundAddress().getPort() + "/"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(code + " " + reason);
            return null;
          }
        }).get(5, TimeUnit.SECONDS);
    assertEquals("1001 idle timeout", closed.get(10, TimeUnit.SECONDS));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds >= 0.9, "closed after " + seconds + " s, not before the timeout");
  }

  @Test
  void heartbeatDropsAPeerThatNeverAnswers() throws Exception {
    int port = listen(greeter("hi"), null, null, OriginPolicy.SAME_HOST, 1);
    try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
      raw.setSoTimeout(10_000);
      raw.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = raw.getInputStream();
      int pings = 0;
      long t0 = System.nanoTime();
      // read frames until the proxy gives up on us; answer nothing
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i + 1 < n; i++) {
          if ((buf[i] & 0xff) == 0x89 && buf[i + 1] == 0) {
            pings++;
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertTrue(pings >= 1, "pinged " + pings + " times");
      assertTrue(seconds >= 1.5 && seconds < 8, "dropped after " + seconds + " s");
    }
    // a browser-like client answers pings and stays
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
        closed.complete(code);
        return null;
      }
    }).get(5, TimeUnit.SECONDS);
    Thread.sleep(3500); // three heartbeat intervals, a fixed observation window (not a wait for a condition)
    assertFalse(closed.isDone(), "a client that answers pings is kept");
    ws.abort();
  }
}
