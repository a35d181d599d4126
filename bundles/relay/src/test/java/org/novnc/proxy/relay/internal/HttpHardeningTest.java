package org.novnc.proxy.relay.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.internal.PlatformDependent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.novnc.proxy.codec.CodecSettings;
import org.novnc.proxy.relay.FrameAncestors;
import org.novnc.proxy.relay.WebResource;

/**
 * The attacks of the security review, each performed for real against a relay port: pipelined
 * requests never read, slow and idle connections, request smuggling, DNS rebinding, token
 * guessing, framing, hidden files and link swaps. Each test shows the attack fails and the relay
 * keeps serving.
 */
class HttpHardeningTest {
  static {
    LeakCheck.install();
  }

  @TempDir
  Path tmp;
  private EventLoops loops;
  private RelayListener listener;
  private GreetingTarget target;
  private Path www;

  @BeforeEach
  void start() throws IOException {
    loops = new EventLoops(1);
    listener = new RelayListener("test", loops, () -> CodecSettings.DEFAULTS);
    target = new GreetingTarget("hello");
    www = Files.createDirectories(tmp.resolve("www"));
    Files.writeString(www.resolve("vnc.html"), "<html>vnc</html>");
    Files.write(www.resolve("big.js"), new byte[200 * 1024]); // like a vendored library
  }

  @AfterEach
  void stop() throws Exception {
    listener.stop();
    target.close();
    loops.close();
    assertEquals(0, LeakCheck.leaks(), "Netty buffers leaked (see the LEAK: log lines)");
  }

  private int listen(RelaySettings settings) {
    listener.apply(settings);
    assertNotNull(listener.boundAddress());
    return listener.boundAddress().getPort();
  }

  private RelaySettings web(TokenTargets tokens) {
    return TestSettings.relay(new HostPort("127.0.0.1", 0), tokens == null ? target.address() : null, null, tokens,
        WebRoot.directory(www), OriginPolicy.SAME_HOST, null, 10, 0, 0);
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(5000);
    return s;
  }

  /** Sends {@code request} on a new connection and returns everything until the server closes. */
  private static String exchange(int port, String request) throws IOException {
    try (Socket s = connect(port)) {
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static String upgrade(String path, String host, String extra) {
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n";
  }

  private static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static long heapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  // ---- 1. bounded HTTP serving ----

  @Test
  void pipelinedRequestsNeverReadCostOneReplyAndTheRelayKeepsServing() throws Exception {
    int port = listen(web(null));
    long directBefore = PlatformDependent.usedDirectMemory();
    long heapBefore = heapAfterGc();
    byte[] one = ("GET /big.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    try (Socket attacker = connect(port)) {
      attacker.setSendBufferSize(64 * 1024);
      OutputStream out = attacker.getOutputStream();
      // 20,000 requests and no reads: the relay must stop reading, not queue 4 GB of replies
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 20_000; i++) {
            out.write(one);
          }
        } catch (IOException e) {
          // the relay stops reading: the writer blocks until the socket is closed
        }
      });
      writer.setDaemon(true);
      writer.start();
      writer.join(3000);
      long direct = PlatformDependent.usedDirectMemory() - directBefore;
      long heap = heapAfterGc() - heapBefore;
      assertTrue(direct < 50L << 20, "direct memory grew by " + direct + " bytes");
      assertTrue(heap < 50L << 20, "heap grew by " + heap + " bytes");

      // everyone else is served meanwhile
      String page = exchange(port, "GET /vnc.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      assertTrue(page.startsWith("HTTP/1.1 200") && page.endsWith("<html>vnc</html>"), page);
      assertEquals("hello", WsProbe.exchange(port, null, 5));

      // the attacker gets at most MAX_REQUESTS replies, then the connection is closed
      InputStream in = attacker.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[1 << 16];
      attacker.setSoTimeout(10_000);
      boolean closed = false;
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          all.write(buf, 0, n);
        }
        closed = true;
      } catch (java.net.SocketException e) {
        closed = true; // reset: the relay closed with requests of ours unread, which discards replies in flight
      }
      assertTrue(closed, "the relay ends the connection");
      int replies = count(all.toString(StandardCharsets.ISO_8859_1), "HTTP/1.1 200 OK");
      assertTrue(replies > 0 && replies <= HttpGate.MAX_REQUESTS, replies + " replies on one connection");
      writer.join(5000);
      assertFalse(writer.isAlive(), "the attacker's writes end with the connection");
    }
  }

  @Test
  void largeFilesAreStreamedAndSmallOnesCachedOnce() throws Exception {
    Files.write(www.resolve("huge.bin"), new byte[3 * 1024 * 1024]);
    int port = listen(web(null));
    String huge = exchange(port, "GET /huge.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertEquals(200, status(huge));
    assertEquals(3 * 1024 * 1024, huge.length() - huge.indexOf("\r\n\r\n") - 4, "the whole file, streamed");
    long cached = WebCache.SHARED.size();
    for (int i = 0; i < 3; i++) {
      assertEquals(200, status(exchange(port, "GET /big.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")));
    }
    assertTrue(WebCache.SHARED.size() - cached <= 200 * 1024, "big.js is kept once, whatever the number of requests");
  }

  @Test
  void aConnectionMayIdleBetweenRequestsOnlyUntilTheRequestTimeout() throws Exception {
    listener.requestTimeoutMillis(500);
    int port = listen(web(null));
    try (Socket s = connect(port)) {
      s.getOutputStream().write("GET /vnc.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      long t0 = System.nanoTime();
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1); // until the relay closes
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(200, status(all));
      assertTrue(ms >= 400 && ms < 3000, "closed " + ms + " ms after the reply");
    }
  }

  @Test
  void aRequestTricklingInByteByByteIsDroppedAtTheTimeout() throws Exception {
    listener.requestTimeoutMillis(500);
    int port = listen(web(null));
    try (Socket s = connect(port)) {
      OutputStream out = s.getOutputStream();
      long t0 = System.nanoTime();
      byte[] slow = "GET /vnc.html HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.ISO_8859_1);
      boolean dropped = false;
      for (byte b : slow) {
        try {
          out.write(b);
          out.flush();
          Thread.sleep(50);
        } catch (IOException e) {
          dropped = true;
          break;
        }
      }
      assertTrue(dropped || s.getInputStream().read() < 0, "the slow request is dropped");
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000, "within the timeout, not per byte");
    }
  }

  @Test
  void idleConnectionsBeyondMaxPendingDropTheOldestAndABrowserStillGetsIn() throws Exception {
    int port = listen(TestSettings.with(web(null), HostPolicy.parse("", null), FrameAncestors.SELF, 256, 5, false));
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 2000; i++) {
        idle.add(new Socket(InetAddress.getLoopbackAddress(), port));
      }
      long t0 = System.nanoTime();
      assertEquals("hello", WsProbe.exchange(port, null, 5), "a real session opens");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 2000, "at once, not after the idle ones time out: " + ms + " ms");
      int open = 0;
      for (Socket s : idle) {
        s.setSoTimeout(1);
        try {
          if (s.getInputStream().read() < 0) {
            continue; // dropped by the relay
          }
        } catch (SocketTimeoutException e) {
          open++;
        } catch (IOException e) {
          continue; // reset
        }
      }
      assertTrue(open <= 256, open + " idle connections kept, max.pending is 256");
      assertTrue(listener.pendingCount() <= 256, "pending " + listener.pendingCount());
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  // ---- handshake and request refusals ----

  @Test
  void requestsWithABodyAreRefusedAndNothingReachesTheTarget() throws Exception {
    int port = listen(web(null));
    String chunked = exchange(port, upgrade("/", "127.0.0.1", "Transfer-Encoding: chunked\r\n")
        + "5\r\n\u0082\u0085abcd\r\n0\r\n\r\n");
    assertEquals(400, status(chunked), chunked);
    assertFalse(chunked.contains("101"), chunked);
    String withLength = exchange(port, "GET /vnc.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello");
    assertEquals(400, status(withLength), withLength);
    assertEquals(0, target.connections(), "no byte reached the target");
  }

  @Test
  void otherMethodsTooLongLinesAndTooManyHeaderBytesAreRefused() throws Exception {
    int port = listen(web(null));
    String post = exchange(port, "POST /vnc.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
    assertEquals(405, status(post), post);
    assertTrue(post.toLowerCase().contains("allow: get, head"), post);
    String longLine = exchange(port, "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertEquals(414, status(longLine), longLine);
    String bigHeaders = exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n");
    assertEquals(431, status(bigHeaders), bigHeaders);
    String manyLines = exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-Many: 1\r\n".repeat(101) + "\r\n");
    assertEquals(431, status(manyLines), manyLines);
    String bigInAll = exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + ("X-Part: " + "p".repeat(7000) + "\r\n").repeat(5) + "\r\n");
    assertEquals(431, status(bigInAll), bigInAll);
    String absolute = exchange(port, "GET http://10.0.0.5:5901/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertEquals(400, status(absolute), absolute);
    String noHost = exchange(port, "GET /vnc.html HTTP/1.1\r\n\r\n");
    assertEquals(400, status(noHost), noHost);
  }

  @Test
  void aProtocolErrorClosesTheConnectionAtOnceWithoutWaitingForTheCloseReply() throws Exception {
    CodecSettings slowClose = new CodecSettings(1 << 20, 1 << 22, java.util.List.of("binary"), 30_000);
    listener = new RelayListener("test", loops, () -> slowClose);
    int port = listen(web(null));
    try (Socket s = connect(port)) {
      s.getOutputStream().write(upgrade("/", "127.0.0.1", "").getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.read());
      }
      assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
      byte[] greeting = in.readNBytes(2 + 5); // a binary frame with "hello"
      assertEquals("hello", new String(greeting, 2, 5, StandardCharsets.US_ASCII));
      long t0 = System.nanoTime();
      s.getOutputStream().write(new byte[] {(byte) 0x82, 0x03, 'a', 'b', 'c'}); // unmasked: 1002
      byte[] rest = in.readAllBytes(); // ends when the relay closes, not after close.timeout (30 s)
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals((byte) 0x88, rest[0], "a close frame");
      assertEquals(1002, ((rest[2] & 0xff) << 8) | (rest[3] & 0xff));
      assertTrue(ms < 5000, "closed after " + ms + " ms");
    }
    await().atMost(java.time.Duration.ofSeconds(5)).until(() -> target.openConnections() == 0);
  }

  @Test
  void bothSidesOfASessionUseTcpKeepalive() throws Exception {
    int port = listen(web(null));
    java.util.concurrent.CompletableFuture<String> open = WsProbe.open(URI.create("ws://127.0.0.1:" + port + "/"), null, 1000);
    await().atMost(java.time.Duration.ofSeconds(5)).until(() -> target.openConnections() == 1);
    try {
      for (int p : new int[] {port, target.address().port()}) {
        // the relay's end of each connection: the accepted browser side, the target side it dialled
        String filter = p == port ? "sport = :" + p : "dport = :" + p;
        Process ss = new ProcessBuilder("ss", "-tnoH", "state", "established", "( " + filter + " )").start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ss.waitFor();
        assertTrue(out.contains("timer:(keepalive"), filter + ": " + out);
      }
    } finally {
      open.cancel(true);
    }
  }

  // ---- 2. DNS rebinding ----

  @Test
  void aRequestForAnotherHostIsRefusedEvenWithAMatchingOrigin() throws Exception {
    int port = listen(web(null));
    String rebound = "r.attacker.example:" + port;
    String ws = exchange(port, upgrade("/websockify", rebound, "Origin: http://" + rebound + "\r\n"));
    assertEquals(403, status(ws), ws);
    String page = exchange(port, "GET /vnc.html HTTP/1.1\r\nHost: " + rebound + "\r\nConnection: close\r\n\r\n");
    assertEquals(403, status(page), page);
    assertEquals(0, target.connections());

    // the names of this machine still work
    String local = exchange(port, "GET /vnc.html HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n");
    assertEquals(200, status(local), local);

    // allowed.hosts adds a name
    listener.apply(TestSettings.with(web(null), HostPolicy.parse("r.attacker.example", null), FrameAncestors.SELF, 256, 5, false));
    String allowed = exchange(port, "GET /vnc.html HTTP/1.1\r\nHost: " + rebound + "\r\nConnection: close\r\n\r\n");
    assertEquals(200, status(allowed), allowed);
  }

  // ---- 4. framing ----

  @Test
  void htmlPagesForbidForeignFramesAndFrameAncestorsOverridesIt() throws Exception {
    int port = listen(web(null));
    String html = exchange(port, "GET /vnc.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").toLowerCase();
    assertTrue(html.contains("x-frame-options: deny"), html);
    assertTrue(html.contains("content-security-policy: frame-ancestors 'self'"), html);
    String js = exchange(port, "GET /big.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").toLowerCase();
    assertFalse(js.contains("x-frame-options"), "only pages carry frame headers");

    listener.apply(TestSettings.with(web(null), HostPolicy.parse("", null), FrameAncestors.parse("https://portal.example.com"), 256, 5, false));
    String portal = exchange(port, "GET /vnc.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").toLowerCase();
    assertTrue(portal.contains("content-security-policy: frame-ancestors https://portal.example.com"), portal);
    assertFalse(portal.contains("x-frame-options"), portal);
    assertThrows(IllegalArgumentException.class, () -> FrameAncestors.parse("javascript:alert(1)"));
  }

  // ---- 5. less leaked, less guessable ----

  @Test
  void unknownTokensAreThrottledPerAddressAndNeverLogged() throws Exception {
    Path tokens = tmp.resolve("tokens");
    Files.writeString(tokens, "good: " + target.address() + "\n");
    int port = listen(web(TokenTargets.of("", tokens.toString(), "test")));
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    List<Integer> statuses = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        statuses.add(status(exchange(port, upgrade("/?token=guess-Secr3t-" + i, "127.0.0.1", ""))));
      }
    } finally {
      System.setErr(err);
    }
    assertEquals(List.of(403, 403, 403, 403, 403, 429, 429, 429), statuses);
    String blocked = exchange(port, upgrade("/?token=good", "127.0.0.1", ""));
    assertEquals(429, status(blocked), "even a good token waits: the address is throttled");
    Matcher retry = Pattern.compile("(?i)retry-after: (\\d+)").matcher(blocked);
    assertTrue(retry.find() && Integer.parseInt(retry.group(1)) <= 60, blocked);
    String logged = log.toString(StandardCharsets.UTF_8);
    assertFalse(logged.contains("Secr3t"), "no token in the log: " + logged);
    assertEquals(1, count(logged, "unknown token"), "one log line a second per address: " + logged);
  }

  @Test
  void closeReasonsDoNotNameTheTargetUnlessDebugReasonsIsOn() throws Exception {
    HostPort nowhere;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nowhere = new HostPort("127.0.0.1", s.getLocalPort());
    }
    RelaySettings base = TestSettings.relay(new HostPort("127.0.0.1", 0), nowhere, null, null, null, OriginPolicy.SAME_HOST, null, 10, 0, 0);
    int port = listen(base);
    String reason = WsProbe.open(URI.create("ws://127.0.0.1:" + port + "/"), null, 1).join();
    assertTrue(reason.contains("1014") && reason.contains("target unreachable"), reason);
    assertFalse(reason.contains(String.valueOf(nowhere.port())), "no port in " + reason);

    listener.apply(TestSettings.with(base, HostPolicy.parse("", null), FrameAncestors.SELF, 256, 5, true));
    String detailed = WsProbe.open(URI.create("ws://127.0.0.1:" + port + "/"), null, 1).join();
    assertTrue(detailed.contains(nowhere.toString()), detailed);
  }

  // ---- 3. a wrapped command's endpoint is asked before each session ----

  @Test
  void aWrapperEndpointThatStoppedServingIsNeverConnected() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean serving = new java.util.concurrent.atomic.AtomicBoolean(true);
    org.novnc.proxy.relay.TargetEndpoint endpoint = new org.novnc.proxy.relay.TargetEndpoint() {
      @Override
      public String host() {
        return "127.0.0.1";
      }

      @Override
      public int port() {
        return target.address().port();
      }

      @Override
      public boolean available() {
        return serving.get();
      }
    };
    RelaySettings wrapped = TestSettings.relay(new HostPort("127.0.0.1", 0), null, "cmd", null, null,
        OriginPolicy.SAME_HOST, null, 10, 0, 0).withTarget(endpoint);
    int port = listen(wrapped);
    assertEquals("hello", WsProbe.exchange(port, null, 5));
    serving.set(false); // e.g. the command closed its socket and another process bound the port
    String refused = exchange(port, upgrade("/websockify", "127.0.0.1", ""));
    assertEquals(503, status(refused), refused);
    assertEquals(1, target.connections(), "only the first session reached the port");
  }

  @Test
  void hiddenFilesAreNeverServed() throws Exception {
    Files.createDirectories(www.resolve(".git"));
    Files.writeString(www.resolve(".git/config"), "[remote] url = secret");
    Files.writeString(www.resolve(".htpasswd"), "user:hash");
    int port = listen(web(null));
    for (String path : List.of("/.git/config", "/.htpasswd", "/%2egit/config", "/./.git/config")) {
      String r = exchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      assertEquals(404, status(r), path + ": " + r);
      assertFalse(r.contains("secret") || r.contains("hash"), r);
    }
  }

  @Test
  void aLinkSwappedInAfterTheCheckIsNotFollowed() throws Exception {
    Path outside = Files.writeString(tmp.resolve("outside.txt"), "private");
    Path page = Files.writeString(www.resolve("page.html"), "public");
    WebResource found = WebRoot.directory(www).find("page.html");
    assertNotNull(found);
    Files.delete(page);
    Files.createSymbolicLink(page, outside);
    IOException refused = assertThrows(IOException.class, () -> found.open().close(), "the swapped-in link is refused at open");
    assertTrue(String.valueOf(refused.getMessage()).contains("symbolic links"), refused.toString());
  }
}
