package org.novnc.proxy.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/** TLS, origins and tokens of relays in the real distribution. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityIT {
  private static final Duration LIVE = Duration.ofSeconds(5);

  @Inject
  private ConfigurationAdmin configAdmin;

  private final List<org.osgi.service.cm.Configuration> configs = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Path dir;

  @Configuration
  public Option[] config() {
    return options(KarafTestSupport.baseOptions());
  }

  @Before
  public void tempDir() throws IOException {
    dir = Files.createTempDirectory("novnc-security-it");
  }

  @After
  public void cleanUp() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    for (org.osgi.service.cm.Configuration c : configs) {
      try {
        c.delete();
      } catch (IllegalStateException | IOException e) {
        // already gone
      }
    }
  }

  private int relay(String name, Map<String, String> keys) throws IOException {
    int port = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = configAdmin.getFactoryConfiguration("org.novnc.proxy.relay", name, "?");
    Dictionary<String, Object> props = new Hashtable<>(keys);
    props.put("listen", "127.0.0.1:" + port);
    c.update(props);
    configs.add(c);
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));
    return port;
  }

  private void openssl(String... args) throws Exception {
    Process p = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("openssl finished", p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(String.join(" ", args) + ": " + out, 0, p.exitValue());
  }

  /** A session through the relay on {@code port}: greeting from the target, then an echo. */
  private static void assertRelays(RawWebSocket ws, String greeting) throws IOException {
    assertEquals(101, ws.handshake("/websockify", null));
    assertEquals(greeting, ws.receive(greeting.length()));
    ws.send("ping");
    assertEquals("ping", ws.receive(4));
  }

  private static String subject(RawWebSocket ws) throws Exception {
    return ((X509Certificate) ws.tlsSocket().getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
  }

  @Test
  public void wssWithCombinedRsaPemAndWithSeparateEcKey() throws Exception {
    TcpTarget target = new TcpTarget("hi:");
    closeables.add(target);
    openssl("openssl", "req", "-new", "-x509", "-days", "1", "-nodes", "-newkey", "rsa:2048", "-subj", "/CN=combined",
        "-out", "self.pem", "-keyout", "self.pem");
    openssl("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
    openssl("openssl", "req", "-new", "-x509", "-days", "1", "-key", "ec.key", "-subj", "/CN=ec", "-out", "ec.crt");
    int rsa = relay("tls-rsa", Map.of("target", "127.0.0.1:" + target.port(), "cert", dir.resolve("self.pem").toString()));
    int ec = relay("tls-ec", Map.of("target", "127.0.0.1:" + target.port(), "cert", dir.resolve("ec.crt").toString(),
        "key", dir.resolve("ec.key").toString(), "ssl.only", "true"));

    try (RawWebSocket ws = RawWebSocket.tls(rsa)) {
      assertEquals("CN=combined", subject(ws));
      assertRelays(ws, "hi:");
    }
    try (RawWebSocket ws = RawWebSocket.plain(rsa)) {
      assertRelays(ws, "hi:"); // plain and TLS on one port
    }
    try (RawWebSocket ws = RawWebSocket.tls(ec)) {
      assertEquals("CN=ec", subject(ws));
      assertTrue(List.of("TLSv1.2", "TLSv1.3").contains(ws.tlsSocket().getSession().getProtocol()));
      assertRelays(ws, "hi:");
    }
    try (RawWebSocket ws = RawWebSocket.plain(ec)) {
      ws.handshake("/websockify", null);
      fail("ssl.only answered a plain request: " + ws.responseHead());
    } catch (IOException expected) {
      // refused: the TLS handler cannot make sense of plain HTTP and closes
    }
  }

  @Test
  public void crossOriginRefusedThenAllowedByConfig() throws Exception {
    TcpTarget target = new TcpTarget("hi:");
    closeables.add(target);
    int port = relay("origins", Map.of("target", "127.0.0.1:" + target.port()));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(403, ws.handshake("/websockify", "https://evil.example.net"));
    }
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals("same host, other port", 101, ws.handshake("/websockify", "http://127.0.0.1:8181"));
    }
    org.osgi.service.cm.Configuration c = configs.get(configs.size() - 1);
    Dictionary<String, Object> props = c.getProperties();
    props.put("allowed.origins", "https://evil.example.net");
    c.update(props);
    await().atMost(LIVE).until(() -> {
      try (RawWebSocket ws = RawWebSocket.plain(port)) {
        return ws.handshake("/websockify", "https://evil.example.net") == 101;
      }
    });
  }

  @Test
  public void tokensRouteToTwoTargetsAndRefuseUnknownOnes() throws Exception {
    TcpTarget one = new TcpTarget("one");
    TcpTarget two = new TcpTarget("two");
    closeables.add(one);
    closeables.add(two);
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "# token: host:port\nsecond: 127.0.0.1:" + two.port() + "\n");
    int port = relay("tokens", Map.of("tokens", "first=127.0.0.1:" + one.port(), "token.file", tokens.toString()));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(101, ws.handshake("/websockify?token=first", null));
      assertEquals("one", ws.receive(3));
    }
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(101, ws.handshake("/websockify?token=second", null));
      assertEquals("two", ws.receive(3));
    }
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(403, ws.handshake("/websockify?token=third", null));
      assertTrue(ws.responseHead(), ws.responseHead().startsWith("HTTP/1.1 403"));
    }
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(400, ws.handshake("/websockify", null));
    }
  }

  private static String rawGet(int port, String path) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  public void relayPortServesTheBundledClientAndNothingElse() throws Exception {
    TcpTarget target = new TcpTarget("hi:");
    closeables.add(target);
    int port = relay("web", Map.of("target", "127.0.0.1:" + target.port(), "web", "true"));
    String page = rawGet(port, "/vnc_auto.html");
    assertTrue(page.lines().findFirst().orElse(""), page.startsWith("HTTP/1.1 200"));
    assertTrue(page.contains("content-type: text/html; charset=utf-8") || page.contains("Content-Type: text/html; charset=utf-8"));
    String js = rawGet(port, "/core/rfb.js");
    assertTrue(js.toLowerCase().contains("content-type: text/javascript"));
    for (String attack : List.of("/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/core/..%2f..%2f..%2fetc%2fpasswd",
        "/..\\..\\etc\\passwd", "/vnc_auto.html%00.js", "/%2e%2e%5c%2e%2e%5cetc%5cpasswd", "/package.json", "/tests/")) {
      String answer = rawGet(port, attack);
      assertTrue(attack + " -> " + answer.lines().findFirst().orElse(""), answer.startsWith("HTTP/1.1 404") || answer.startsWith("HTTP/1.1 400"));
      assertTrue(attack, !answer.contains("root:"));
    }
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertRelays(ws, "hi:"); // the WebSocket endpoint still answers on the same port
    }
  }

  /** Resident set size of this JVM (Karaf: the test runs inside it), from /proc. */
  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }

  private static long directBytes() {
    long used = 0;
    for (java.lang.management.BufferPoolMXBean pool : java.lang.management.ManagementFactory.getPlatformMXBeans(
        java.lang.management.BufferPoolMXBean.class)) {
      used += pool.getMemoryUsed();
    }
    return used;
  }

  /**
   * The attack of the security review: one connection pipelines 20,000 requests for the largest
   * client file and reads no reply. Before the fix Karaf grew by more than a gigabyte; now it holds
   * one reply and the relay serves everyone else.
   */
  @Test
  public void pipelinedRequestsNeverReadLeaveMemoryFlat() throws Exception {
    TcpTarget target = new TcpTarget("hi:");
    closeables.add(target);
    int port = relay("pipeline", Map.of("target", "127.0.0.1:" + target.port(), "web", "true"));
    assertTrue(rawGet(port, "/vendor/xterm.mjs").startsWith("HTTP/1.1 200"));
    System.gc();
    long rss = rssBytes();
    long direct = directBytes();
    byte[] request = "GET /vendor/xterm.mjs HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    try (Socket attacker = new Socket(InetAddress.getLoopbackAddress(), port)) {
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 20_000; i++) {
            attacker.getOutputStream().write(request);
          }
        } catch (IOException e) {
          // the relay stopped reading and then closed: the rest is never sent
        }
      });
      writer.setDaemon(true);
      writer.start();
      writer.join(5000);
      long grewRss = rssBytes() - rss;
      long grewDirect = directBytes() - direct;
      assertTrue("RSS grew by " + (grewRss >> 20) + " MB", grewRss < 50L << 20);
      assertTrue("direct memory grew by " + (grewDirect >> 20) + " MB", grewDirect < 50L << 20);
      assertTrue(rawGet(port, "/vnc.html").startsWith("HTTP/1.1 200"));
      try (RawWebSocket ws = RawWebSocket.plain(port)) {
        assertRelays(ws, "hi:");
      }
    }
  }

  @Test
  public void aRebindingHostIsRefusedEvenWithAMatchingOrigin() throws Exception {
    TcpTarget target = new TcpTarget("hi:");
    closeables.add(target);
    int port = relay("rebinding", Map.of("target", "127.0.0.1:" + target.port(), "web", "true"));
    String host = "r.attacker.example:" + port;
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET /websockify HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer, answer.startsWith("HTTP/1.1 403"));
    }
    String page = rawGet(port, "/vnc.html");
    assertTrue("the page itself (Host 127.0.0.1) is served with frame headers: " + page,
        page.startsWith("HTTP/1.1 200") && page.toLowerCase().contains("x-frame-options: deny"));
  }

  @Test
  public void unreadableCertificateIsOneLogLineAndNoListener() throws Exception {
    int port = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = configAdmin.getFactoryConfiguration("org.novnc.proxy.relay", "badcert", "?");
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("listen", "127.0.0.1:" + port);
    props.put("target", "127.0.0.1:1");
    props.put("cert", dir.resolve("missing.pem").toString());
    c.update(props);
    configs.add(c);
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains(
        "org.novnc.proxy.relay~badcert: cert = '" + dir.resolve("missing.pem") + "' cannot be used"));
    assertTrue("no listener", !KarafTestSupport.listening(port));
  }
}
