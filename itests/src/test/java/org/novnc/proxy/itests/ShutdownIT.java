package org.novnc.proxy.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Orderly shutdown with 50 open sessions: deleting the configuration and stopping the relay
 * bundle each end every session with close 1001 and close every target connection within 5 s,
 * and leave no socket of the relay behind ({@code ss -tanp} of this JVM).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShutdownIT {
  private static final int SESSIONS = 50;
  private static final Duration BOUND = Duration.ofSeconds(5);

  @Inject
  private ConfigurationAdmin configAdmin;

  @Inject
  private BundleContext context;

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
  }

  private org.osgi.service.cm.Configuration relay(String name, int port, int target) throws IOException {
    org.osgi.service.cm.Configuration c = configAdmin.getFactoryConfiguration("org.novnc.proxy.relay", name, "?");
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("listen", "127.0.0.1:" + port);
    props.put("target", "127.0.0.1:" + target);
    c.update(props);
    await().atMost(BOUND).until(() -> KarafTestSupport.listening(port));
    return c;
  }

  /** 50 sessions, each greeted by the target, so all are open end to end. */
  private List<WsClient> sessions(int port, TcpTarget target) {
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < SESSIONS; i++) {
      WsClient ws = WsClient.connect(port);
      closeables.add(ws);
      assertEquals("hi:", new String(ws.awaitBytes(3, 10), StandardCharsets.US_ASCII));
      clients.add(ws);
    }
    await().atMost(BOUND).until(() -> target.open() == SESSIONS);
    return clients;
  }

  /** Every session got close 1001, and the target side is closed, within the bound. */
  private static void allEndedWith1001(List<WsClient> clients, TcpTarget target, long startNanos) {
    for (WsClient ws : clients) {
      WsClient.Close close = ws.awaitClose(5);
      assertEquals("close code", 1001, close.code());
    }
    await().atMost(BOUND).until(() -> target.open() == 0);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    assertTrue("ended after " + ms + " ms", ms <= BOUND.toMillis());
  }

  /**
   * Lines of {@code ss -tanp} for the relay's sockets in this JVM: those on {@code relayPort} (its
   * listener and accepted connections) and those it dialled to {@code targetPort}. The test's own
   * clients and target live in this JVM too; they are the other ends and are not counted.
   */
  private static List<String> relaySockets(int relayPort, int targetPort) throws Exception {
    Process p = new ProcessBuilder("ss", "-tanpH").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    String pid = "pid=" + ProcessHandle.current().pid() + ",";
    return out.lines().filter(l -> l.contains(pid)).filter(l -> {
      String[] f = l.trim().split("\\s+");
      return f.length > 4 && (f[3].endsWith(":" + relayPort) || f[4].endsWith(":" + targetPort));
    }).toList();
  }

  @Test
  public void deletingTheConfigurationEndsFiftySessionsWith1001() throws Exception {
    TcpTarget target = new TcpTarget("hi:");
    closeables.add(target);
    int port = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = relay("shutdown-delete", port, target.port());
    List<WsClient> clients = sessions(port, target);

    long t0 = System.nanoTime();
    c.delete();
    allEndedWith1001(clients, target, t0);
    await().atMost(BOUND).until(() -> relaySockets(port, target.port()), List::isEmpty);
  }

  @Test
  public void stoppingTheRelayBundleEndsFiftySessionsWith1001() throws Exception {
    TcpTarget target = new TcpTarget("hi:");
    closeables.add(target);
    int port = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = relay("shutdown-stop", port, target.port());
    List<WsClient> clients = sessions(port, target);
    Bundle relay = null;
    for (Bundle b : context.getBundles()) {
      if ("org.novnc.proxy.relay".equals(b.getSymbolicName())) {
        relay = b;
      }
    }
    assertTrue("the relay bundle", relay != null);

    long t0 = System.nanoTime();
    relay.stop();
    try {
      allEndedWith1001(clients, target, t0);
      await().atMost(BOUND).until(() -> relaySockets(port, target.port()), List::isEmpty);
    } finally {
      relay.start();
      await().atMost(BOUND).until(() -> KarafTestSupport.listening(port));
      c.delete();
    }
  }
}
