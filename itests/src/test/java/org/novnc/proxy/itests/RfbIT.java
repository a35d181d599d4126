package org.novnc.proxy.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * The RFB layer on a real Xvnc that wants a password: the proxy answers it, the viewer sees
 * security type None and never the password; a wrong password reaches the viewer as the server's
 * refusal; a view-only session's pointer never reaches the X server while a full one's does; a
 * message type the proxy cannot frame ends the session with 1008.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RfbIT {
  private static final Duration LIVE = Duration.ofSeconds(10);
  private static final String PASSWORD = "Xv9-pw";
  private static final byte[] V38 = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);

  @Inject
  private ConfigurationAdmin configAdmin;

  private final List<org.osgi.service.cm.Configuration> configs = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Path dir;
  private int display;
  private int rfbPort;

  @Configuration
  public Option[] config() {
    return options(KarafTestSupport.baseOptions());
  }

  @Before
  public void xvnc() throws Exception {
    dir = Files.createTempDirectory("novnc-rfb-it");
    Process p = new ProcessBuilder("vncpasswd", "-f").redirectOutput(dir.resolve("passwd").toFile()).start();
    p.getOutputStream().write((PASSWORD + "\n").getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().close();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    display = KarafTestSupport.freeDisplay();
    rfbPort = KarafTestSupport.freePort();
    Process xvnc = new ProcessBuilder("Xvnc", ":" + display, "-rfbport", String.valueOf(rfbPort), "-localhost",
        "-SecurityTypes", "VncAuth", "-rfbauth", dir.resolve("passwd").toString(), "-AlwaysShared", "-desktop", "rfb-it",
        "-geometry", "320x200").redirectErrorStream(true).redirectOutput(dir.resolve("xvnc.log").toFile()).start();
    closeables.add(() -> {
      xvnc.destroy();
      if (!xvnc.waitFor(5, TimeUnit.SECONDS)) {
        xvnc.destroyForcibly();
      }
    });
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(rfbPort));
  }

  @After
  public void cleanUp() throws Exception {
    for (org.osgi.service.cm.Configuration c : configs) {
      try {
        c.delete();
      } catch (IllegalStateException | IOException e) {
        // already gone
      }
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private int relay(String name, Map<String, String> keys) throws IOException {
    int port = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = configAdmin.getFactoryConfiguration("org.novnc.proxy.relay", name, "?");
    Dictionary<String, Object> props = new Hashtable<>(keys);
    props.put("listen", "127.0.0.1:" + port);
    if (!keys.containsKey("token.file") && !keys.containsKey("auth")) {
      props.put("target", "127.0.0.1:" + rfbPort);
    }
    c.update(props);
    configs.add(c);
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));
    return port;
  }

  private static byte[] u32(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  /** The viewer's side up to ServerInit, as noVNC does it; returns the desktop name. */
  private static String connect(RawWebSocket ws) throws IOException {
    return connect(ws, "/websockify");
  }

  private static String connect(RawWebSocket ws, String path) throws IOException {
    assertEquals(101, ws.handshake(path, null));
    assertArrayEquals(V38, ws.receiveBytes(12));
    ws.sendBinary(V38);
    assertArrayEquals("the proxy offers None only", new byte[] {1, 1}, ws.receiveBytes(2));
    ws.sendBinary(new byte[] {1});
    assertArrayEquals("SecurityResult OK", u32(0), ws.receiveBytes(4));
    ws.sendBinary(new byte[] {1}); // ClientInit, shared
    byte[] head = ws.receiveBytes(24);
    int nameLength = ByteBuffer.wrap(head, 20, 4).getInt();
    assertEquals(320, ByteBuffer.wrap(head, 0, 2).getShort());
    return new String(ws.receiveBytes(nameLength), StandardCharsets.UTF_8);
  }

  private String pointerOnDisplay() throws Exception {
    ProcessBuilder b = new ProcessBuilder("xdotool", "getmouselocation").redirectErrorStream(true);
    b.environment().put("DISPLAY", ":" + display);
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    return out;
  }

  private static byte[] pointerEvent(int x, int y) {
    return ByteBuffer.allocate(6).put((byte) 5).put((byte) 0).putShort((short) x).putShort((short) y).array();
  }

  @Test
  public void theProxyAnswersThePasswordAndTheViewerSeesNone() throws Exception {
    Path file = Files.writeString(dir.resolve("target.pw"), PASSWORD + "\n");
    int port = relay("rfb-pw", Map.of("target.password.file", file.toString()));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals("rfb-it", connect(ws));
      // the session goes on: a FramebufferUpdateRequest gets a FramebufferUpdate
      ws.sendBinary(new byte[] {3, 0, 0, 0, 0, 0, 0, 10, 0, 10});
      assertEquals("FramebufferUpdate", 0, ws.receiveBytes(1)[0]);
    }
    assertFalse("the password is not logged", KarafTestSupport.karafLog().contains(PASSWORD));
  }

  @Test
  public void aWrongPasswordReachesTheViewerAsTheServersRefusal() throws Exception {
    Path file = Files.writeString(dir.resolve("wrong.pw"), "not-it\n");
    int port = relay("rfb-wrong", Map.of("target.password.file", file.toString()));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(101, ws.handshake("/websockify", null));
      assertArrayEquals(V38, ws.receiveBytes(12));
      ws.sendBinary(V38);
      assertArrayEquals(new byte[] {1, 1}, ws.receiveBytes(2));
      ws.sendBinary(new byte[] {1});
      assertArrayEquals("SecurityResult failed", u32(1), ws.receiveBytes(4));
      int length = ByteBuffer.wrap(ws.receiveBytes(4)).getInt();
      String reason = new String(ws.receiveBytes(length), StandardCharsets.UTF_8);
      assertTrue(reason, reason.startsWith("the server refused: "));
      assertEquals(1000, ws.awaitClose());
    }
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains("refused the proxy's credentials"));
  }

  @Test
  public void withoutAPasswordTheSessionEndsWithAReason() throws Exception {
    int port = relay("rfb-none", Map.of("view.only", "true"));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(101, ws.handshake("/websockify", null));
      assertArrayEquals(V38, ws.receiveBytes(12));
      ws.sendBinary(V38);
      assertArrayEquals(new byte[] {1, 1}, ws.receiveBytes(2));
      ws.sendBinary(new byte[] {1});
      assertArrayEquals(u32(1), ws.receiveBytes(4));
      int length = ByteBuffer.wrap(ws.receiveBytes(4)).getInt();
      String reason = new String(ws.receiveBytes(length), StandardCharsets.UTF_8);
      assertTrue(reason, reason.contains("holds no password"));
    }
  }

  @Test
  public void viewOnlyInputNeverReachesTheServer() throws Exception {
    Path file = Files.writeString(dir.resolve("target.pw"), PASSWORD);
    int viewOnly = relay("rfb-view", Map.of("target.password.file", file.toString(), "view.only", "true"));
    int full = relay("rfb-full", Map.of("target.password.file", file.toString()));
    try (RawWebSocket viewer = RawWebSocket.plain(viewOnly); RawWebSocket user = RawWebSocket.plain(full)) {
      connect(viewer);
      connect(user);
      user.sendBinary(pointerEvent(20, 30));
      await().atMost(LIVE).until(() -> pointerOnDisplay().startsWith("x:20 y:30"));
      viewer.sendBinary(pointerEvent(200, 150));
      viewer.sendBinary(new byte[] {4, 1, 0, 0, 0, 0, 0, 0x61}); // KeyEvent 'a' down
      // a message that is passed comes back answered: everything before it has been dealt with
      viewer.sendBinary(new byte[] {3, 0, 0, 0, 0, 0, 0, 10, 0, 10});
      assertEquals(0, viewer.receiveBytes(1)[0]);
      Thread.sleep(300);
      assertTrue(pointerOnDisplay(), pointerOnDisplay().startsWith("x:20 y:30"));
      user.sendBinary(pointerEvent(40, 50));
      await().atMost(LIVE).until(() -> pointerOnDisplay().startsWith("x:40 y:50"));
    }
  }

  @Test
  public void aTokenFileLineMayCarryTheTargetsPassword() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens"), "# token: target password\ndesk: 127.0.0.1:" + rfbPort + " " + PASSWORD + "\n"
        + "other: 127.0.0.1:" + rfbPort + "\n");
    int port = relay("rfb-tokens", Map.of("token.file", tokens.toString(), "view.only", "true"));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals("rfb-it", connect(ws, "/websockify?token=desk"));
    }
    assertFalse(KarafTestSupport.karafLog().contains(PASSWORD));
  }

  @Test
  public void anEncryptedTokenMayCarryTheTargetsPassword() throws Exception {
    byte[] secret = "an-hs256-secret-for-the-rfb-it-0123456789".getBytes(StandardCharsets.US_ASCII);
    byte[] aes = new byte[32];
    new java.security.SecureRandom().nextBytes(aes);
    Path key = Files.write(dir.resolve("hs.key"), secret);
    Path dec = Files.write(dir.resolve("aes.key"), aes);
    int port = relay("rfb-jwe", Map.of("auth", "jwt", "jwt.key", key.toString(), "jwt.decrypt.key", dec.toString(),
        "allowed.targets", "127.0.0.1:" + rfbPort));
    com.nimbusds.jwt.EncryptedJWT jwe = new com.nimbusds.jwt.EncryptedJWT(
        new com.nimbusds.jose.JWEHeader(com.nimbusds.jose.JWEAlgorithm.DIR, com.nimbusds.jose.EncryptionMethod.A256GCM),
        new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("ivy").expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000))
            .claim("target", "127.0.0.1:" + rfbPort).claim("password", PASSWORD).build());
    jwe.encrypt(new com.nimbusds.jose.crypto.DirectEncrypter(aes));
    // right after Karaf starts the auth bundle may still be on its way (until then: 503, never open)
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains("org.novnc.proxy.relay~rfb-jwe: access by jwt"));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals("rfb-it", connect(ws, "/websockify?token=" + jwe.serialize()));
    }
    assertFalse(KarafTestSupport.karafLog().contains(PASSWORD));
  }

  @Test
  public void sessionsAreRecordedFromServerInitOn() throws Exception {
    Path file = Files.writeString(dir.resolve("target.pw"), PASSWORD);
    Path records = dir.resolve("records");
    int port = relay("rfb-rec", Map.of("target.password.file", file.toString(), "record", records.toString()));
    byte[] setEncodings = {2, 0, 0, 1, 0, 0, 0, 0}; // Raw only
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      connect(ws);
      ws.sendBinary(setEncodings);
      ws.sendBinary(pointerEvent(5, 5)); // input: not recorded without record.input
      ws.sendBinary(new byte[] {3, 0, 0, 0, 0, 0, 0, 16, 0, 16});
      byte[] update = ws.receiveBytes(4);
      assertEquals(0, update[0]);
    }
    Path day = records.resolve("rfb-rec").resolve(java.time.LocalDate.now().toString());
    await().atMost(LIVE).until(() -> Files.isDirectory(day) && Files.list(day).anyMatch(p -> {
      try {
        return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains("\"complete\":true");
      } catch (IOException e) {
        return false;
      }
    }));
    Path recording;
    try (var files = Files.list(day)) {
      recording = files.filter(p -> p.toString().endsWith(".nvprec")).findFirst().orElseThrow();
    }
    byte[] all = Files.readAllBytes(recording);
    assertFalse("no password in the recording", new String(all, StandardCharsets.ISO_8859_1).contains(PASSWORD));
    try (org.novnc.proxy.rfb.Recording.Reader r = new org.novnc.proxy.rfb.Recording.Reader(Files.newInputStream(recording))) {
      assertTrue(r.header(), r.header().contains("\"proxy\":\"org.novnc.proxy.relay~rfb-rec\"") && r.header().contains("127.0.0.1:" + rfbPort));
      org.novnc.proxy.rfb.Recording.Entry first = r.next();
      assertEquals('S', first.kind());
      assertEquals("the ServerInit comes first: 320 wide", 320, ByteBuffer.wrap(first.data(), 0, 2).getShort());
      List<org.novnc.proxy.rfb.Recording.Entry> rest = new ArrayList<>();
      for (org.novnc.proxy.rfb.Recording.Entry e; (e = r.next()) != null; ) {
        rest.add(e);
      }
      assertTrue("SetEncodings recorded", rest.stream().anyMatch(e -> e.kind() == 'C' && java.util.Arrays.equals(e.data(), setEncodings)));
      assertTrue("no input recorded", rest.stream().noneMatch(e -> e.kind() == 'C' && e.data()[0] == 5));
      assertTrue("the update recorded", rest.stream().anyMatch(e -> e.kind() == 'S' && e.data().length > 0 && e.data()[0] == 0));
      org.novnc.proxy.rfb.Recording.Entry last = rest.get(rest.size() - 1);
      assertEquals('T', last.kind());
      assertTrue(new String(last.data(), StandardCharsets.UTF_8), new String(last.data(), StandardCharsets.UTF_8).contains("\"complete\":true"));
    }
  }

  private void oneSession(int port) throws IOException {
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      connect(ws);
      ws.sendBinary(new byte[] {3, 0, 0, 0, 0, 0, 0, 16, 0, 16});
      assertEquals(0, ws.receiveBytes(4)[0]);
    }
  }

  private static long recordings(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".nvprec")).count();
    }
  }

  @Test
  public void recordingsAreKeptUnderTheirLimits() throws Exception {
    Path file = Files.writeString(dir.resolve("target.pw"), PASSWORD);
    Path records = dir.resolve("kept");
    Path old = records.resolve("rfb-age").resolve("2026-01-01").resolve("101010-alice-1.nvprec");
    Files.createDirectories(old.getParent());
    Files.writeString(old, "NVPREC1\n");
    Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 30L * 24 * 3600 * 1000));
    int aged = relay("rfb-age", Map.of("target.password.file", file.toString(), "record", records.toString(), "record.max.age", "7"));
    int small = relay("rfb-small", Map.of("target.password.file", file.toString(), "record", records.toString(), "record.max.bytes", "1"));
    await().atMost(LIVE).until(() -> !Files.exists(old)); // removed at once: 30 days old, 7 kept
    oneSession(aged);
    await().atMost(LIVE).until(() -> recordings(records.resolve("rfb-age")) == 1); // the new one stays
    oneSession(small);
    oneSession(small);
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains("org.novnc.proxy.relay~rfb-small: retention removed"));
    assertEquals("a 1-byte limit keeps none once they are written", 0, recordings(records.resolve("rfb-small")));
    assertEquals(1, recordings(records.resolve("rfb-age")));
  }

  @Test
  public void aFullDiskDoesNotBreakTheSession() throws Exception {
    Path file = Files.writeString(dir.resolve("target.pw"), PASSWORD);
    Path small = Files.createDirectories(dir.resolve("tmpfs"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", small.toString()).redirectErrorStream(true).start();
    assertEquals("mount a 128 KiB tmpfs (the tests run as root): " + new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        0, mount.waitFor());
    closeables.add(() -> new ProcessBuilder("umount", "-l", small.toString()).start().waitFor());
    java.util.List<org.osgi.service.event.Event> incomplete = new java.util.concurrent.CopyOnWriteArrayList<>();
    Dictionary<String, Object> topics = new Hashtable<>();
    topics.put(org.osgi.service.event.EventConstants.EVENT_TOPIC, "org/novnc/proxy/record/INCOMPLETE");
    org.osgi.framework.ServiceRegistration<org.osgi.service.event.EventHandler> handler = org.osgi.framework.FrameworkUtil
        .getBundle(RfbIT.class).getBundleContext().registerService(org.osgi.service.event.EventHandler.class, incomplete::add, topics);
    closeables.add(handler::unregister);
    int port = relay("rfb-full-disk", Map.of("target.password.file", file.toString(), "record", small.toString()));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      connect(ws);
      ws.sendBinary(new byte[] {2, 0, 0, 1, 0, 0, 0, 0}); // Raw: each full update is 320 x 200 x 4 bytes
      for (int i = 0; i < 4; i++) { // 1 MB through a 128 KiB disk
        ws.sendBinary(new byte[] {3, 0, 0, 0, 0, 0, 1, 64, 0, (byte) 200});
        byte[] head = ws.receiveBytes(16);
        assertEquals("FramebufferUpdate " + i, 0, head[0]);
        ws.receiveBytes(320 * 200 * 4);
      }
    }
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains("the session goes on, the recording is incomplete"));
    await().atMost(LIVE).until(() -> !incomplete.isEmpty());
    assertTrue(String.valueOf(incomplete.get(0).getProperty("reason")).startsWith("write failed"));
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(String.join(" ", command) + ": " + out, 0, p.waitFor());
  }

  @Test
  public void veNCryptPlainWithAUserOfTheSystem() throws Exception {
    // a system user for PAM (the tests run as root), and an Xvnc that asks for VeNCrypt Plain
    String user = "novnc-plain";
    if (new ProcessBuilder("id", user).start().waitFor() != 0) {
      run("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user);
    }
    String userPassword = "Pl41n-" + Long.toHexString(System.nanoTime());
    Process chpasswd = new ProcessBuilder("chpasswd").redirectErrorStream(true).start();
    chpasswd.getOutputStream().write((user + ":" + userPassword + "\n").getBytes(StandardCharsets.US_ASCII));
    chpasswd.getOutputStream().close();
    assertEquals(0, chpasswd.waitFor());
    int display2 = KarafTestSupport.freeDisplay();
    int plainPort = KarafTestSupport.freePort();
    Process xvnc = new ProcessBuilder("Xvnc", ":" + display2, "-rfbport", String.valueOf(plainPort), "-localhost", "-SecurityTypes", "Plain",
        "-PlainUsers=" + user, "-desktop", "plain-it", "-geometry", "320x200").redirectErrorStream(true)
        .redirectOutput(dir.resolve("xvnc-plain.log").toFile()).start();
    closeables.add(() -> {
      xvnc.destroy();
      xvnc.waitFor(5, TimeUnit.SECONDS);
    });
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(plainPort));
    Path right = Files.writeString(dir.resolve("plain.pw"), userPassword + "\n");
    Path wrong = Files.writeString(dir.resolve("plain-wrong.pw"), "not-" + userPassword + "\n");
    int port = relay("rfb-plain", Map.of("target.username", user, "target.password.file", right.toString()));
    int bad = relay("rfb-plain-bad", Map.of("target.username", user, "target.password.file", wrong.toString()));
    for (org.osgi.service.cm.Configuration c : configs.subList(configs.size() - 2, configs.size())) {
      Dictionary<String, Object> p = c.getProperties();
      p.put("target", "127.0.0.1:" + plainPort);
      c.update(p);
    }
    await().atMost(LIVE).until(() -> {
      try (RawWebSocket ws = RawWebSocket.plain(port)) {
        return "plain-it".equals(connect(ws));
      } catch (AssertionError | IOException e) {
        return false;
      }
    });
    try (RawWebSocket ws = RawWebSocket.plain(bad)) {
      assertEquals(101, ws.handshake("/websockify", null));
      assertArrayEquals(V38, ws.receiveBytes(12));
      ws.sendBinary(V38);
      assertArrayEquals(new byte[] {1, 1}, ws.receiveBytes(2));
      ws.sendBinary(new byte[] {1});
      assertArrayEquals("SecurityResult failed", u32(1), ws.receiveBytes(4));
    }
    assertFalse(KarafTestSupport.karafLog().contains(userPassword));
  }

  @Test
  public void anUnknownMessageTypeEndsTheSessionWith1008() throws Exception {
    Path file = Files.writeString(dir.resolve("target.pw"), PASSWORD);
    int port = relay("rfb-unknown", Map.of("target.password.file", file.toString()));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      connect(ws);
      ws.sendBinary(new byte[] {7, 0, 0, 0});
      assertEquals(1008, ws.awaitClose());
    }
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains("client message type 7 is not known"));
    assertNotEquals(0, rfbPort);
  }
}
