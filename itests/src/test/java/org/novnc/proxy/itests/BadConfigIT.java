package org.novnc.proxy.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Dictionary;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Karaf booted with a typo in a file of every PID, as a new user makes them: each is one log line
 * naming PID, key, value and what was expected, and the shipped demo (desktop, relay, page) serves
 * all the same. Then a typo in a live change of the running demo relay keeps it serving.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BadConfigIT {
  private static final Duration LIVE = Duration.ofSeconds(10);
  private static final int TYPO_RELAY = KarafTestSupport.freePort();
  private static final int TYPO_DEMO = KarafTestSupport.freePort();

  @Inject
  private ConfigurationAdmin configAdmin;

  @Configuration
  public Option[] config() {
    return Stream.concat(Stream.of(KarafTestSupport.baseOptions()), Stream.of(
        // optional PIDs: the key keeps its default
        editConfigurationFilePut("etc/org.novnc.proxy.codec.cfg", "max.frame.size", "big"),
        editConfigurationFilePut("etc/org.novnc.proxy.codec.cfg", "close.timeout", "soon"),
        editConfigurationFilePut("etc/org.novnc.proxy.web.cfg", "frame.ancestors", "javascript:evil()"),
        // factory PIDs: that configuration does not start, the others serve
        editConfigurationFilePut("etc/org.novnc.proxy.relay-typo.cfg", "listen", "127.0.0.1:" + TYPO_RELAY),
        editConfigurationFilePut("etc/org.novnc.proxy.relay-typo.cfg", "target", "127.0.0.1:1"),
        editConfigurationFilePut("etc/org.novnc.proxy.relay-typo.cfg", "max.connections", "lots"),
        editConfigurationFilePut("etc/org.novnc.proxy.demo-typo.cfg", "port", String.valueOf(TYPO_DEMO)),
        editConfigurationFilePut("etc/org.novnc.proxy.demo-typo.cfg", "geometry", "huge"),
        editConfigurationFilePut("etc/org.novnc.proxy.wrapper-typo.cfg", "name", "typo"),
        editConfigurationFilePut("etc/org.novnc.proxy.wrapper-typo.cfg", "command", "sleep 60"),
        editConfigurationFilePut("etc/org.novnc.proxy.wrapper-typo.cfg", "port", "5905"),
        editConfigurationFilePut("etc/org.novnc.proxy.wrapper-typo.cfg", "respawn.limit", "often")))
        .toArray(Option[]::new);
  }

  private static void logSays(String line) {
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains(line));
  }

  private static String get(int port, String path) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** The shipped demo relay reaches the demo desktop: RFB through the WebSocket, and its page. */
  private static void demoServes() throws Exception {
    int relay = KarafTestSupport.demoRelayPort();
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(relay));
    WsClient ws = WsClient.connect(relay);
    try {
      assertEquals("RFB 003.008\n", new String(ws.awaitBytes(12, 10), StandardCharsets.US_ASCII));
      ws.send(new byte[70_000]); // over nothing: frames up to the default max.frame.size pass
    } finally {
      ws.close();
    }
    String page = get(relay, "/vnc.html");
    assertTrue(page.lines().findFirst().orElse(""), page.startsWith("HTTP/1.1 200"));
  }

  @Test
  public void everyPidWithATypoIsOneLineAndTheDemoServes() throws Exception {
    logSays("org.novnc.proxy.codec: max.frame.size = 'big' is not a whole number of 1 or more; using 16777216");
    logSays("org.novnc.proxy.codec: close.timeout = 'soon' is not a whole number of 1 or more; using 5000");
    logSays("org.novnc.proxy.web: frame.ancestors = 'javascript:evil()' has an invalid entry");
    logSays("org.novnc.proxy.relay~typo: max.connections = 'lots' is not a whole number from 1 to 1000000; "
        + "this proxy does not start");
    logSays("org.novnc.proxy.demo~typo: geometry = 'huge' is not WIDTHxHEIGHT");
    logSays("org.novnc.proxy.wrapper~typo: respawn.limit = 'often' is not a whole number from 0 to 1000");
    demoServes();
    assertFalse("the relay with a typo does not listen", KarafTestSupport.listening(TYPO_RELAY));
    assertFalse("the demo with a typo does not listen", KarafTestSupport.listening(TYPO_DEMO));
    String log = KarafTestSupport.karafLog();
    assertFalse("no stack trace of SCR", log.contains("NumberFormatException"));
  }

  @Test
  public void aTypoInALiveChangeKeepsTheRunningProxy() throws Exception {
    demoServes();
    org.osgi.service.cm.Configuration demo = null;
    for (org.osgi.service.cm.Configuration c : configAdmin.listConfigurations("(service.factoryPid=org.novnc.proxy.relay)")) {
      Object file = c.getProperties().get("felix.fileinstall.filename");
      if (file != null && file.toString().endsWith("org.novnc.proxy.relay-demo.cfg")) {
        demo = c;
      }
    }
    assertTrue("the shipped demo relay's configuration", demo != null);
    Dictionary<String, Object> props = demo.getProperties();
    props.put("ssl.only", "yes");
    demo.update(props);
    logSays(demo.getPid() + ": ssl.only = 'yes' is neither true nor false; keeping the previous configuration");
    demoServes();
    props.put("ssl.only", "false");
    demo.update(props);
  }
}
