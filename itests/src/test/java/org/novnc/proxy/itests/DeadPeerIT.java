package org.novnc.proxy.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A viewer that vanishes without a word, for real: the client runs in its own network namespace
 * (a veth pair the test makes), holds the only viewer slot of an Xvnc that takes one viewer at a
 * time (a second one fails its SecurityResult: "The server is already in use"), and then its link is cut with iptables DROP rules, so no FIN or RST ever reaches the relay.
 * The heartbeat finds it, the session and its target connection end, and Xvnc takes a new viewer.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeadPeerIT {
  private static final Duration LIVE = Duration.ofSeconds(10);
  private static final int HEARTBEAT_S = 2;

  /** A WebSocket + RFB viewer with node only: handshake, ClientInit (not shared), then answers pings. */
  private static final String CLIENT = String.join("\n",
      "import net from 'node:net';",
      "import crypto from 'node:crypto';",
      "const [host, port] = process.argv.slice(2);",
      "const s = net.connect(Number(port), host);",
      "s.write(`GET /websockify HTTP/1.1\\r\\nHost: ${host}:${port}\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n`",
      "  + `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n`);",
      "function send(opcode, payload) {",
      "  const mask = crypto.randomBytes(4);",
      "  const head = Buffer.from([0x80 | opcode, 0x80 | payload.length]);",
      "  const body = Buffer.from(payload.map((b, i) => b ^ mask[i & 3]));",
      "  s.write(Buffer.concat([head, mask, body]));",
      "}",
      "let buf = Buffer.alloc(0), rfb = Buffer.alloc(0), upgraded = false, stage = 0;",
      "s.on('data', (d) => {",
      "  buf = Buffer.concat([buf, d]);",
      "  if (!upgraded) {",
      "    const end = buf.indexOf('\\r\\n\\r\\n');",
      "    if (end < 0) return;",
      "    if (!buf.subarray(0, 13).toString().includes('101')) { console.log('refused'); process.exit(2); }",
      "    upgraded = true; buf = buf.subarray(end + 4);",
      "  }",
      "  while (buf.length >= 2) {",
      "    let len = buf[1] & 0x7f, at = 2;",
      "    if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); at = 4; }",
      "    else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); at = 10; }",
      "    if (buf.length < at + len) return;",
      "    const op = buf[0] & 0x0f, payload = buf.subarray(at, at + len);",
      "    buf = buf.subarray(at + len);",
      "    if (op === 9) send(0xA, [...payload]);",
      "    else if (op === 8) { console.log('closed'); process.exit(3); }",
      "    else rfb = Buffer.concat([rfb, payload]);",
      "  }",
      "  if (stage === 0 && rfb.length >= 12) { send(2, [...Buffer.from('RFB 003.008\\n')]); rfb = rfb.subarray(12); stage = 1; }",
      "  if (stage === 1 && rfb.length >= 1 && rfb.length >= 1 + rfb[0]) { rfb = rfb.subarray(1 + rfb[0]); send(2, [1]); stage = 2; }",
      "  if (stage === 2 && rfb.length >= 4) {",
      "    if (rfb.readUInt32BE(0) !== 0) { console.log('refused'); process.exit(2); }",
      "    rfb = rfb.subarray(4); send(2, [0]); stage = 3;",
      "  }",
      "  if (stage === 3 && rfb.length >= 24 && rfb.length >= 24 + rfb.readUInt32BE(20)) { console.log('viewer'); stage = 4; }",
      "});",
      "s.on('close', () => { console.log('socket closed'); process.exit(4); });",
      "");

  @Inject
  private ConfigurationAdmin configAdmin;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final String ns = "nvp" + ProcessHandle.current().pid();
  private final String hostIf = ns + "h";

  @Configuration
  public Option[] config() {
    return options(KarafTestSupport.baseOptions());
  }

  @After
  public void cleanUp() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(String.join(" ", command) + " finished", p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(String.join(" ", command) + ": " + out, 0, p.exitValue());
    return out;
  }

  /** A client namespace joined to this one by a veth pair: 10.231.77.1 here, 10.231.77.2 there. */
  private void network() throws Exception {
    run("ip", "netns", "add", ns);
    closeables.add(() -> run("ip", "netns", "del", ns));
    run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", ns + "c");
    closeables.add(() -> new ProcessBuilder("ip", "link", "del", hostIf).start().waitFor(10, TimeUnit.SECONDS));
    run("ip", "link", "set", ns + "c", "netns", ns);
    run("ip", "addr", "add", "10.231.77.1/30", "dev", hostIf);
    run("ip", "link", "set", hostIf, "up");
    run("ip", "netns", "exec", ns, "ip", "addr", "add", "10.231.77.2/30", "dev", ns + "c");
    run("ip", "netns", "exec", ns, "ip", "link", "set", ns + "c", "up");
    run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
  }

  /** Xvnc that takes one viewer at a time: a second is refused while the first is connected. */
  private int xvnc() throws Exception {
    int display = KarafTestSupport.freeDisplay();
    int rfbPort = KarafTestSupport.freePort();
    Path log = Files.createTempFile("deadpeer-xvnc", ".log");
    Process xvnc = new ProcessBuilder("Xvnc", ":" + display, "-rfbport", String.valueOf(rfbPort), "-localhost",
        "-SecurityTypes", "None", "-NeverShared", "-DisconnectClients=0", "-geometry", "320x200")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    closeables.add(() -> {
      xvnc.destroy();
      if (!xvnc.waitFor(5, TimeUnit.SECONDS)) {
        xvnc.destroyForcibly();
      }
      Files.deleteIfExists(log);
    });
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(rfbPort));
    return rfbPort;
  }

  /** A viewer through the relay from this namespace: true once it has the ServerInit, false if refused. */
  private static boolean viewerFromHere(int port) {
    WsClient ws = WsClient.connect(port);
    try {
      ws.awaitBytes(12, 10);
      ws.send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
      byte[] types = ws.awaitBytes(2, 10);
      ws.send(new byte[] {1});
      byte[] result = ws.awaitBytes(4, 10);
      if (result[3] != 0) {
        return false; // SecurityResult failed: "The server is already in use"
      }
      ws.send(new byte[] {0}); // ClientInit, not shared
      ws.awaitBytes(24, 5);
      return types[1] == 1;
    } catch (RuntimeException e) {
      return false; // closed before the ServerInit: Xvnc refused a second viewer
    } finally {
      ws.close();
    }
  }

  @Test
  public void aViewerWhoseLinkIsCutIsDroppedAndItsSlotFreed() throws Exception {
    network();
    int rfbPort = xvnc();
    int port = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = configAdmin.getFactoryConfiguration("org.novnc.proxy.relay", "deadpeer", "?");
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("listen", String.valueOf(port)); // every interface: the veth address included
    props.put("target", "127.0.0.1:" + rfbPort);
    props.put("heartbeat", String.valueOf(HEARTBEAT_S));
    c.update(props);
    closeables.add(c::delete);
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));

    Path script = Files.createTempFile("deadpeer-client", ".mjs");
    Files.writeString(script, CLIENT);
    closeables.add(() -> Files.deleteIfExists(script));
    Process client = new ProcessBuilder("ip", "netns", "exec", ns, "node", script.toString(), "10.231.77.1",
        String.valueOf(port)).redirectErrorStream(true).start();
    closeables.add(client::destroyForcibly);
    BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("the client in the namespace is Xvnc's viewer", "viewer", out.readLine());
    assertTrue("a second viewer is refused while the first holds the slot", !viewerFromHere(port));
    Thread.sleep(3L * HEARTBEAT_S * 1000); // pings answered across the veth: the session stays
    assertTrue("the viewer lives through several heartbeats", client.isAlive());

    long cut = System.nanoTime();
    run("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-j", "DROP");
    run("ip", "netns", "exec", ns, "iptables", "-A", "OUTPUT", "-j", "DROP");

    await().atMost(Duration.ofSeconds(4L * HEARTBEAT_S)).until(() -> KarafTestSupport.karafLog()
        .contains("answered no heartbeat for " + 2 * HEARTBEAT_S + " s; dropping it"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
    // dropped two intervals after the last answered ping, so at most three after the cut
    assertTrue("dropped " + ms + " ms after the cut", ms <= 3L * HEARTBEAT_S * 1000 + 1000);
    await().atMost(LIVE).until(() -> viewerFromHere(port));
  }

  /**
   * A target that stops answering (SIGSTOP) while the browser keeps sending: the relay stops
   * reading the browser once the target's buffer is full (heap flat however much is pushed), and
   * idle.timeout ends the session.
   */
  @Test
  public void aStoppedTargetHoldsBackpressureAndIdleTimeoutEndsTheSession() throws Exception {
    int targetPort = KarafTestSupport.freePort();
    Process echo = new ProcessBuilder("node", "-e", "require('net').createServer((s) => s.pipe(s)).listen("
        + targetPort + ", '127.0.0.1')").redirectErrorStream(true).start();
    closeables.add(() -> {
      new ProcessBuilder("kill", "-CONT", String.valueOf(echo.pid())).start().waitFor(5, TimeUnit.SECONDS);
      echo.destroyForcibly();
    });
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(targetPort));
    int port = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = configAdmin.getFactoryConfiguration("org.novnc.proxy.relay", "stopped", "?");
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("listen", "127.0.0.1:" + port);
    props.put("target", "127.0.0.1:" + targetPort);
    props.put("idle.timeout", "4");
    props.put("heartbeat", "0");
    c.update(props);
    closeables.add(c::delete);
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));

    RawWebSocket ws = RawWebSocket.plain(port);
    closeables.add(ws);
    assertEquals(101, ws.handshake("/websockify", null));
    run("kill", "-STOP", String.valueOf(echo.pid()));
    System.gc();
    Runtime rt = Runtime.getRuntime();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    byte[] chunk = new byte[256 * 1024];
    long[] sent = {0};
    Thread writer = new Thread(() -> {
      try {
        for (int i = 0; i < 2048; i++) { // up to 512 MiB, far more than any buffer on the way
          ws.sendBinary(chunk);
          sent[0] += chunk.length;
        }
      } catch (IOException e) {
        // the relay closed the connection (idle timeout)
      }
    });
    writer.setDaemon(true);
    writer.start();
    writer.join(2000);
    System.gc();
    long heapGrew = rt.totalMemory() - rt.freeMemory() - heapBefore;
    assertTrue("the writer is held back: " + (sent[0] >> 20) + " MiB sent", writer.isAlive() && sent[0] < 64L << 20);
    assertTrue("heap grew by " + (heapGrew >> 20) + " MiB", heapGrew < 50L << 20);

    long t0 = System.nanoTime();
    int code = ws.awaitClose();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue("close 1001 or the connection dropped, got " + code, code == 1001 || code == -1);
    assertTrue("ended by idle.timeout, " + ms + " ms later", ms < 10_000);
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains("idle timeout"));
  }
}
