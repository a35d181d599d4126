package org.novnc.proxy.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Wrap mode in the real distribution with real programs: telnetd under inetutils-inetd, started
 * by an {@code org.novnc.proxy.wrapper} configuration and reached through a relay with
 * {@code target = wrapper:NAME} by a WebSocket client.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WrapperIT {
  /** The relay's service type, by name: the probe does not compile against the relay bundle. */
  private static final String TARGET_ENDPOINT = "org.novnc.proxy.relay.TargetEndpoint";
  private static final Duration LIVE = Duration.ofSeconds(15);
  /**
   * For telnetdAnswers, whose one attempt may itself take up to 15 s (10 s to open the WebSocket, 5 s
   * for the first byte): longer than LIVE, so one slow attempt during a respawn is retried.
   */
  private static final Duration ANSWER = Duration.ofSeconds(40);
  /** Telnet's "interpret as command" byte, RFC 854: telnetd's negotiation starts with it. */
  private static final byte IAC = (byte) 0xFF;

  @Inject
  private BundleContext context;
  @Inject
  private ConfigurationAdmin configAdmin;

  private final List<org.osgi.service.cm.Configuration> configs = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @Configuration
  public Option[] config() {
    return options(KarafTestSupport.baseOptions());
  }

  @Before
  public void programsAreInstalled() {
    assumeTrue("inetutils-inetd is not installed", Files.isExecutable(Path.of(WrapperInetd.INETD)));
    assumeTrue("inetutils-telnetd is not installed", Files.isExecutable(Path.of(WrapperInetd.TELNETD)));
  }

  @After
  public void cleanUp() throws Exception {
    for (org.osgi.service.cm.Configuration c : configs) {
      try {
        c.delete();
      } catch (IllegalStateException | IOException e) {
        // already deleted by the test
      }
    }
    for (AutoCloseable c : closeables) {
      if (c instanceof WrapperInetd inetd) {
        try {
          // the wrapper ends its processes when its configuration is deleted
          await().atMost(LIVE).until(() -> WrapperProcesses.withArgument(inetd.configPath()).isEmpty());
        } finally {
          // had it not, do not leak them into the next test
          WrapperProcesses.kill(WrapperProcesses.withArgument(inetd.configPath()));
        }
      }
      c.close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(c);
    return c;
  }

  private org.osgi.service.cm.Configuration create(String factoryPid, String name, String... keyValues)
      throws IOException {
    org.osgi.service.cm.Configuration c = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
    Dictionary<String, Object> props = new Hashtable<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
    c.update(props);
    configs.add(c);
    return c;
  }

  private org.osgi.service.cm.Configuration wrapper(String name, String command, int port, String mode)
      throws IOException {
    return create("org.novnc.proxy.wrapper", name, "name", name, "command", command, "port", String.valueOf(port),
        "mode", mode);
  }

  private void relay(String name, int listen, String wrapperName) throws IOException {
    create("org.novnc.proxy.relay", name, "listen", "127.0.0.1:" + listen, "target", "wrapper:" + wrapperName);
  }

  /** The wrapper's published target, or null. */
  private ServiceReference<?> target(String name) throws InvalidSyntaxException {
    ServiceReference<?>[] refs = context.getServiceReferences(TARGET_ENDPOINT, "(novnc.target.name=" + name + ")");
    return refs == null || refs.length == 0 ? null : refs[0];
  }

  private long targetPid(String name) throws InvalidSyntaxException {
    ServiceReference<?> ref = target(name);
    return ref == null ? -1 : (Long) ref.getProperty("novnc.target.pid");
  }

  /** A new WebSocket session through the relay on {@code port} receives telnetd's negotiation. */
  private static boolean telnetdAnswers(int port) {
    try (WsClient ws = WsClient.connect(port)) {
      return ws.awaitBytes(1, 5)[0] == IAC;
    } catch (RuntimeException e) {
      return false; // refused, closed (1014) or silent: not yet
    }
  }

  private static int count(String text, String part) {
    Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  public void respawnedTelnetdIsReachedThroughTheRelayAgain() throws Exception {
    int port = KarafTestSupport.freePort();
    WrapperInetd inetd = closeLater(WrapperInetd.telnetd(port));
    wrapper("telnet", inetd.foreground(), port, "respawn");
    // the relay takes the port telnetd was configured for: rebind.so moved telnetd off it
    relay("telnet-relay", port, "telnet");
    await().atMost(LIVE).until(() -> target("telnet") != null && KarafTestSupport.listening(port));

    WsClient ws = closeLater(WsClient.connect(port));
    byte[] first = ws.awaitBytes(3, 10);
    assertEquals("telnet negotiation starts with IAC", IAC, first[0]);

    long pid = targetPid("telnet");
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    await().atMost(LIVE).until(() -> targetPid("telnet") > 0 && targetPid("telnet") != pid);
    await().atMost(ANSWER).until(() -> telnetdAnswers(port));
    assertFalse("the killed inetd is gone", ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  public void aCommandThatDiesAtOnceIsGivenUpWithOneLogLine() throws Exception {
    wrapper("dies", "sh -c 'exit 1'", KarafTestSupport.freePort(), "respawn");
    String line = "org.novnc.proxy.wrapper~dies: \"sh -c 'exit 1'\"";
    String givingUp = "after 3 respawns within 10 s (respawn.limit = 3, respawn.window = 10); "
        + "giving up: target 'dies' removed";

    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains(givingUp));
    // no fifth start after giving up, and the line is there once
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> count(KarafTestSupport.karafLog(), givingUp) == 1);
    String log = KarafTestSupport.karafLog();
    assertEquals("respawns logged", 3, count(log, "exited with status 1; respawning"));
    assertTrue(log.contains(line));
    assertNull("no target service", target("dies"));
  }

  @Test
  public void ignoreModeKeepsTheTargetOfADaemonisedCommand() throws Exception {
    int port = KarafTestSupport.freePort();
    int relayPort = KarafTestSupport.freePort();
    WrapperInetd inetd = closeLater(WrapperInetd.telnetd(port));
    wrapper("daemon", inetd.daemon(), port, "ignore");
    relay("daemon-relay", relayPort, "daemon");

    await().atMost(LIVE).until(() -> target("daemon") != null);
    long pid = targetPid("daemon");
    await().atMost(LIVE).until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    String id = (String) target("daemon").getProperty("novnc.wrapper.id");
    assertFalse("inetd's daemon runs, marked", WrapperProcesses.marked(id).isEmpty());

    assertNotNull("the target stays after the command exited", target("daemon"));
    await().atMost(ANSWER).until(() -> telnetdAnswers(relayPort));
  }

  /** The README's example: vncserver (which starts Xvnc in the background and exits) in ignore mode. */
  @Test
  public void vncserverAsInTheReadmeServesADesktopUntilItsConfigGoes() throws Exception {
    Path home = Files.createTempDirectory("vnc-home");
    Path passwd = Files.createDirectories(home.resolve(".vnc")).resolve("passwd");
    Process vncpasswd = new ProcessBuilder("vncpasswd", "-f").redirectOutput(passwd.toFile()).start();
    try (var in = vncpasswd.getOutputStream()) {
      in.write("secret12\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    assertEquals("vncpasswd", 0, vncpasswd.waitFor());
    Files.setPosixFilePermissions(passwd, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    int display = KarafTestSupport.freeDisplay();
    int relayPort = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = create("org.novnc.proxy.wrapper", "vnc", "name", "vnc",
        "command", "vncserver :" + display + " -geometry 640x480", "port", String.valueOf(5900 + display),
        "mode", "ignore", "env.HOME", home.toString());
    relay("vnc-relay", relayPort, "vnc");
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> KarafTestSupport.listening(relayPort));
      String id = (String) target("vnc").getProperty("novnc.wrapper.id");
      try (WsClient ws = WsClient.connect(relayPort)) {
        assertEquals("RFB 003.008\n", new String(ws.awaitBytes(12, 20), java.nio.charset.StandardCharsets.US_ASCII));
        ws.send("RFB 003.008\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int n = ws.awaitBytes(1, 10)[0];
        byte[] types = ws.awaitBytes(n, 10);
        boolean vncAuth = false;
        for (byte t : types) {
          vncAuth |= t == 2;
        }
        assertTrue("VNC authentication offered (the password file is used)", vncAuth);
      }
      assertFalse("Xvnc runs in the background, marked", WrapperProcesses.marked(id).isEmpty());
      assertNotNull("the target stays after vncserver exited", target("vnc"));

      c.delete();
      await().atMost(LIVE).until(() -> WrapperProcesses.marked(id).isEmpty());
      await().atMost(LIVE).until(() -> !KarafTestSupport.listening(relayPort));
    } finally {
      WrapperProcesses.kill(WrapperProcesses.withArgument(home.toString()));  // Xvnc's -auth file is in it
      Files.deleteIfExists(Path.of("/tmp/.X11-unix/X" + display));
      Files.deleteIfExists(Path.of("/tmp/.X" + display + "-lock"));
      try (var files = Files.walk(home)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  public void exitModeStopsTheRelayWhenTheCommandExits() throws Exception {
    int port = KarafTestSupport.freePort();
    int relayPort = KarafTestSupport.freePort();
    WrapperInetd inetd = closeLater(WrapperInetd.telnetd(port));
    create("org.novnc.proxy.wrapper", "once", "name", "once", "command", inetd.foreground(), "port", String.valueOf(port),
        "mode", "exit", "stderr.level", "info");
    relay("once-relay", relayPort, "once");
    await().atMost(ANSWER).until(() -> telnetdAnswers(relayPort));
    // inetd -d's debug output (stderr) at the level configured
    assertTrue(Pattern.compile("\\| INFO +\\| novnc-wrapper-once-[0-9]+-stderr \\|.*registered /usr/sbin/telnetd")
        .matcher(KarafTestSupport.karafLog()).find());

    long pid = targetPid("once");
    ProcessHandle.of(pid).orElseThrow().destroy();

    await().atMost(LIVE).until(() -> target("once") == null);
    await().atMost(LIVE).until(() -> !KarafTestSupport.listening(relayPort));
    assertTrue(KarafTestSupport.karafLog().contains("mode exit: target 'once' removed"));
  }

  @Test
  public void deletedConfigLeavesNoProcessBehind() throws Exception {
    int port = KarafTestSupport.freePort();
    WrapperInetd inetd = closeLater(WrapperInetd.telnetd(port));
    // a daemon of its own (setsid in a subshell that exits: re-parented to init), then inetd
    org.osgi.service.cm.Configuration c = wrapper("orphans",
        "sh -c '(setsid sleep 300 &); exec " + inetd.foreground() + "'", port, "respawn");
    await().atMost(LIVE).until(() -> target("orphans") != null);
    ServiceReference<?> ref = target("orphans");
    String id = (String) ref.getProperty("novnc.wrapper.id");
    int moved = (Integer) ref.getProperty("novnc.target.port");
    // an open telnet session: inetd forks telnetd, which starts login
    try (Socket session = new Socket(InetAddress.getLoopbackAddress(), moved)) {
      session.setSoTimeout(5000);
      assertEquals(0xFF, session.getInputStream().read());
      // sleep, inetd, telnetd (and login): all marked
      await().atMost(LIVE).until(() -> WrapperProcesses.marked(id).size() >= 3);
      assertFalse("the setsid daemon", WrapperProcesses.withArgument("300").stream()
          .filter(WrapperProcesses.marked(id)::contains).toList().isEmpty());

      c.delete();

      await().atMost(LIVE).until(() -> WrapperProcesses.marked(id).isEmpty());
      assertEquals(List.of(), WrapperProcesses.withArgument(inetd.configPath()));
      assertNull(target("orphans"));
      assertFalse(KarafTestSupport.listening(moved));
    }
  }

  @Test
  public void badConfigIsOneLogLineAndStartsNothing() throws Exception {
    create("org.novnc.proxy.wrapper", "badquote", "name", "badquote", "command", "sh -c 'exit 1", "port", "5901");
    create("org.novnc.proxy.wrapper", "badnumber", "name", "badnumber", "command", "sleep 100", "port", "notaport");
    await().atMost(LIVE).until(() -> {
      String log = KarafTestSupport.karafLog();
      return log.contains("org.novnc.proxy.wrapper~badquote: command = 'sh -c 'exit 1' has an unterminated single "
          + "quote (opened at column 7); this wrapper does not start")
          && log.contains("org.novnc.proxy.wrapper~badnumber: port = 'notaport' is not a whole number from 1 to 65535; "
              + "this wrapper does not start");
    });
    assertNull(target("badquote"));
    assertNull(target("badnumber"));
  }
}
