package org.novnc.proxy.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/** The relay in the real distribution: configured through Config Admin, used by a real WebSocket client. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RelayIT {
  private static final Duration LIVE = Duration.ofSeconds(5);

  @Inject
  private BundleContext context;
  @Inject
  private ConfigurationAdmin configAdmin;
  @Inject
  private FeaturesService features;

  private final List<org.osgi.service.cm.Configuration> configs = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @Configuration
  public Option[] config() {
    return options(KarafTestSupport.baseOptions());
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
        // already deleted by the test
      }
    }
  }

  private org.osgi.service.cm.Configuration relay(String name, String listen, String target) throws IOException {
    org.osgi.service.cm.Configuration c = configAdmin.getFactoryConfiguration("org.novnc.proxy.relay", name, "?");
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("listen", listen);
    props.put("target", target);
    c.update(props);
    configs.add(c);
    return c;
  }

  private static void update(org.osgi.service.cm.Configuration c, String key, String value) throws IOException {
    Dictionary<String, Object> props = c.getProperties();
    props.put(key, value);
    c.update(props);
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(c);
    return c;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Test
  public void featureIsInstalledAndBundlesActive() throws Exception {
    assertTrue(features.isInstalled(features.getFeature("novnc-proxy")));
    for (String name : List.of("org.novnc.proxy.codec", "org.novnc.proxy.relay")) {
      Bundle b = java.util.Arrays.stream(context.getBundles()).filter(x -> name.equals(x.getSymbolicName()))
          .findFirst().orElseThrow(() -> new AssertionError(name + " not installed"));
      assertEquals(name + " state", Bundle.ACTIVE, b.getState());
    }
  }

  @Test
  public void relaysTenMibEachWayByteForByte() throws Exception {
    int size = 10 * 1024 * 1024;
    BulkTarget target = closeLater(new BulkTarget(size));
    int port = KarafTestSupport.freePort();
    relay("bulk", "127.0.0.1:" + port, "127.0.0.1:" + target.port());
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));

    WsClient ws = closeLater(WsClient.connect(port));
    for (int off = 0; off < size; off += 65536) {
      ws.send(BulkTarget.patternBytes(2, off, Math.min(65536, size - off)));
    }
    byte[] down = ws.awaitBytes(size, 60);
    assertArrayEquals("downstream bytes", BulkTarget.patternBytes(1, 0, size), down);
    assertEquals("upstream bytes", "ok", target.upResult().get(60, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  public void changedTargetServesNewSessionsWhileOpenOnesContinue() throws Exception {
    TcpTarget one = closeLater(new TcpTarget("one:"));
    TcpTarget two = closeLater(new TcpTarget("two:"));
    int port = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = relay("retarget", "127.0.0.1:" + port, "127.0.0.1:" + one.port());
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));

    WsClient first = closeLater(WsClient.connect(port));
    assertEquals("one:", text(first.awaitBytes(4, 10)));

    update(c, "target", "127.0.0.1:" + two.port());
    await().atMost(LIVE).until(() -> {
      try (WsClient probe = WsClient.connect(port)) {
        return text(probe.awaitBytes(4, 5)).equals("two:");
      }
    });
    first.send("still here".getBytes(StandardCharsets.US_ASCII));
    assertEquals("the open session still reaches the old target", "still here", text(first.awaitBytes(10, 10)));
  }

  @Test
  public void changedListenRebindsAndOpenSessionsContinue() throws Exception {
    TcpTarget echo = closeLater(new TcpTarget("hi:"));
    int oldPort = KarafTestSupport.freePort();
    int newPort = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = relay("relisten", "127.0.0.1:" + oldPort, "127.0.0.1:" + echo.port());
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(oldPort));
    WsClient open = closeLater(WsClient.connect(oldPort));
    assertEquals("hi:", text(open.awaitBytes(3, 10)));

    update(c, "listen", "127.0.0.1:" + newPort);
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(newPort) && !KarafTestSupport.listening(oldPort));
    WsClient fresh = closeLater(WsClient.connect(newPort));
    assertEquals("hi:", text(fresh.awaitBytes(3, 10)));
    open.send("abc".getBytes(StandardCharsets.US_ASCII));
    assertEquals("abc", text(open.awaitBytes(3, 10)));
  }

  @Test
  public void deletedConfigClosesListenerAndSessionsWith1001() throws Exception {
    TcpTarget echo = closeLater(new TcpTarget("hi:"));
    int port = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = relay("doomed", "127.0.0.1:" + port, "127.0.0.1:" + echo.port());
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));
    WsClient open = closeLater(WsClient.connect(port));
    assertEquals("hi:", text(open.awaitBytes(3, 10)));

    c.delete();
    WsClient.Close close = open.awaitClose(10);
    assertEquals(1001, close.code());
    await().atMost(LIVE).until(() -> !KarafTestSupport.listening(port));
  }

  @Test
  public void unixSocketTargetReachesXvnc() throws Exception {
    Path dir = Files.createTempDirectory("relay-unix");
    Path socket = dir.resolve("vnc.sock");
    int display = KarafTestSupport.freeDisplay();
    Process xvnc = new ProcessBuilder("Xvnc", ":" + display, "-rfbunixpath", socket.toString(), "-rfbport", "-1",
        "-SecurityTypes", "None", "-geometry", "320x200", "-desktop", "unix-it")
        .redirectErrorStream(true).redirectOutput(dir.resolve("xvnc.log").toFile()).start();
    closeLater(() -> {
      xvnc.destroy();
      xvnc.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      xvnc.destroyForcibly();
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir.resolve("xvnc.log"));
      Files.deleteIfExists(dir);
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
    int port = KarafTestSupport.freePort();
    relay("unix", "127.0.0.1:" + port, "unix:" + socket);
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));

    WsClient ws = closeLater(WsClient.connect(port));
    assertEquals("the server's version", "RFB 003.008\n", text(ws.awaitBytes(12, 10)));
    ws.send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
    byte[] security = ws.awaitBytes(2, 10);
    assertEquals("one security type offered", 1, security[0]);
    assertEquals("None", 1, security[1]);
  }

  @Test
  public void unreachableTargetClosesWithReason() throws Exception {
    int port = KarafTestSupport.freePort();
    int nothing = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = relay("nowhere", "127.0.0.1:" + port, "127.0.0.1:" + nothing);
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));
    WsClient ws = closeLater(WsClient.connect(port));
    WsClient.Close close = ws.awaitClose(10);
    assertTrue("code " + close.code(), close.code() == 1011 || close.code() == 1014);
    assertEquals("the browser is not told internal addresses", "target unreachable", close.reason());
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains("target 127.0.0.1:" + nothing + " unreachable"));

    update(c, "debug.reasons", "true");
    await().atMost(LIVE).until(() -> {
      WsClient again = closeLater(WsClient.connect(port));
      return again.awaitClose(10).reason().contains("127.0.0.1:" + nothing);
    });
  }

  @Test
  public void aBadChangeKeepsTheRunningProxyAndItsSessions() throws Exception {
    TcpTarget first = closeLater(new TcpTarget("one:"));
    TcpTarget second = closeLater(new TcpTarget("two:"));
    int port = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = relay("typo", "127.0.0.1:" + port, "127.0.0.1:" + first.port());
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));
    WsClient open = closeLater(WsClient.connect(port));
    assertEquals("one:", text(open.awaitBytes(4, 10)));

    update(c, "target", "localhost:notaport");
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains("org.novnc.proxy.relay~typo: target = 'localhost:notaport' "
        + "has an invalid port 'notaport' (1-65535) (or wrapper:NAME, or set tokens / token.file); keeping the previous configuration "
        + "(listen 127.0.0.1:" + port + ", target 127.0.0.1:" + first.port() + ") until this is fixed"));
    open.send("x".getBytes(StandardCharsets.US_ASCII));
    assertEquals("the open session goes on", "x", text(open.awaitBytes(1, 10)));
    try (WsClient another = WsClient.connect(port)) {
      assertEquals("new sessions still reach the old target", "one:", text(another.awaitBytes(4, 10)));
    }

    update(c, "target", "127.0.0.1:" + second.port());
    await().atMost(LIVE).until(() -> {
      try (WsClient fixed = WsClient.connect(port)) {
        return "two:".equals(text(fixed.awaitBytes(4, 10)));
      }
    });
    assertFalse(open.socket().isInputClosed());
  }

  @Test
  public void refusedCodecValuesAreLoggedAndDefaultsServe() throws Exception {
    org.osgi.service.cm.Configuration codec = configAdmin.getConfiguration("org.novnc.proxy.codec", "?");
    configs.add(codec);
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("max.frame.size", "0");
    codec.update(props);
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains(
        "org.novnc.proxy.codec: max.frame.size = '0' is not a whole number of 1 or more; using 16777216"));
    TcpTarget echo = closeLater(new TcpTarget("ok:"));
    int port = KarafTestSupport.freePort();
    relay("codec", "127.0.0.1:" + port, "127.0.0.1:" + echo.port());
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));
    WsClient ws = closeLater(WsClient.connect(port));
    assertEquals("ok:", text(ws.awaitBytes(3, 10)));
    ws.send(new byte[70_000]);
    assertEquals("frames over the refused limit pass under the default one", 70_000, ws.awaitBytes(70_000, 10).length);
  }

  @Test
  public void badConfigsLogOneLineAndLeaveOtherProxiesWorking() throws Exception {
    TcpTarget echo = closeLater(new TcpTarget("ok:"));
    int goodPort = KarafTestSupport.freePort();
    relay("good", "127.0.0.1:" + goodPort, "127.0.0.1:" + echo.port());
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(goodPort));
    WsClient open = closeLater(WsClient.connect(goodPort));
    assertEquals("ok:", text(open.awaitBytes(3, 10)));

    relay("badport", "notaport", "127.0.0.1:" + echo.port());
    relay("badtarget", "127.0.0.1:" + KarafTestSupport.freePort(), "no-port-here");
    relay("inuse", "127.0.0.1:" + goodPort, "127.0.0.1:" + echo.port());
    await().atMost(LIVE).until(() -> {
      String log = KarafTestSupport.karafLog();
      return log.contains("org.novnc.proxy.relay~badport: listen = 'notaport' has an invalid port")
          && log.contains("org.novnc.proxy.relay~badtarget: target = 'no-port-here' is not host:port")
          && log.contains("org.novnc.proxy.relay~inuse: listen = '127.0.0.1:" + goodPort + "' cannot be bound");
    });

    open.send("x".getBytes(StandardCharsets.US_ASCII));
    assertEquals("x", text(open.awaitBytes(1, 10)));
    try (WsClient another = WsClient.connect(goodPort)) {
      assertEquals("ok:", text(another.awaitBytes(3, 10)));
    }
    assertFalse(open.socket().isInputClosed());
  }
}
