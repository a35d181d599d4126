package org.novnc.proxy.wrapper.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor with real programs and the real rebind.so: inetutils-inetd serving
 * {@code /bin/echo hello} is moved off its configured port, published, respawned, given up, ended.
 */
class CommandSupervisorTest {
  private static final Path INETD = Path.of("/usr/sbin/inetutils-inetd");
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path REBIND = Path.of(System.getProperty("rebind.so", "../../native/target/native/rebind.so"));
  private static final CommandSupervisor.Timing FAST = new CommandSupervisor.Timing(Duration.ofSeconds(5),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(500));
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path dir;
  private final ProcessMarker marker = new ProcessMarker(UUID.randomUUID().toString(), "test@" + UUID.randomUUID());
  private final Recording publisher = new Recording();
  private CommandSupervisor supervisor;

  /** What was published, in order; the current endpoint. */
  static final class Recording implements CommandSupervisor.Publisher {
    record Target(String host, int port, long pid) {}

    final List<Object> events = new CopyOnWriteArrayList<>();
    volatile Target current;

    @Override
    public void publish(String host, int port, long pid, java.util.function.BooleanSupplier serving) {
      current = new Target(host, port, pid);
      events.add(current);
    }

    @Override
    public void withdraw() {
      current = null;
      events.add("withdraw");
    }
  }

  @BeforeEach
  void rebindIsBuilt() {
    assertTrue(Files.isRegularFile(REBIND), "build native first: " + REBIND.toAbsolutePath());
  }

  @AfterEach
  void stopAndCheckNothingIsLeft() {
    if (supervisor != null) {
      supervisor.stop();
    }
    assertEquals(List.of(), ProcessTree.marked(marker.ownerEntry()), "processes left running");
  }

  private CommandSupervisor start(String command, int port, String mode, RespawnPolicy policy) throws Exception {
    WrapperSettings s = new TestConfig("name", "test", "command", command, "port", String.valueOf(port), "mode", mode)
        .settings(dir);
    supervisor = new CommandSupervisor("org.novnc.proxy.wrapper~test", s, REBIND, marker, publisher,
        policy != null ? policy : new RespawnPolicy(s.respawnLimit(), s.respawnWindow()), FAST);
    supervisor.start();
    return supervisor;
  }

  /** An inetd config serving "hello" on 127.0.0.1:port; inetd in the foreground unless daemon. */
  private String inetd(int port, boolean daemon) throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(INETD), "inetutils-inetd is not installed");
    Path conf = dir.resolve("inetd.conf");
    Files.writeString(conf, "127.0.0.1:" + port + " stream tcp nowait " + System.getProperty("user.name")
        + " /bin/echo echo hello\n");
    return INETD + (daemon ? "" : " -d") + " -p " + dir.resolve("inetd.pid") + " " + conf;
  }

  private static String read(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      s.setSoTimeout(5000);
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  private Recording.Target awaitPublished() {
    await().atMost(WAIT).until(() -> publisher.current != null);
    return publisher.current;
  }

  @Test
  void rebindMovesARealProgramOffItsPort() throws Exception {
    int port = LoopbackPorts.free();
    start(inetd(port, false), port, "exit", null);

    Recording.Target t = awaitPublished();

    assertEquals("127.0.0.1", t.host());
    assertNotEquals(port, t.port());
    assertEquals("hello\n", read(t.host(), t.port()));
    assertEquals(Optional.empty(), LoopbackPorts.listeningHost(port), "nothing listens on the configured port");
  }

  @Test
  void anIpv6BindIsPublishedAsTheIpv6Loopback() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
    int port = LoopbackPorts.free();
    start(PYTHON + " -c 'import socket, time\ns = socket.socket(socket.AF_INET6)\ns.bind((\"::\", " + port
        + "))\ns.listen()\ntime.sleep(60)'", port, "exit", null);

    Recording.Target t = awaitPublished();

    assertEquals("::1", t.host(), "rebind.so moves an IPv6 bind to [::1]");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("::1", t.port()), 2000);
    }
  }

  @Test
  void respawnRestartsAKilledCommandOnANewPort() throws Exception {
    int port = LoopbackPorts.free();
    start(inetd(port, false), port, "respawn", null);
    Recording.Target first = awaitPublished();

    ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();

    await().atMost(WAIT).until(() -> publisher.current != null && publisher.current.pid() != first.pid());
    Recording.Target second = publisher.current;
    assertEquals("hello\n", read(second.host(), second.port()));
    assertEquals(List.of(first, "withdraw", second), publisher.events, "the old target goes when its command exits");
  }

  @Test
  void exitModeWithdrawsTheTargetWhenTheCommandExits() throws Exception {
    int port = LoopbackPorts.free();
    start(inetd(port, false), port, "exit", null);
    Recording.Target t = awaitPublished();

    ProcessHandle.of(t.pid()).orElseThrow().destroy();

    await().atMost(WAIT).until(() -> publisher.current == null);
    assertEquals(Optional.empty(), LoopbackPorts.listeningHost(t.port()));
  }

  @Test
  void aCommandThatDiesAtOnceIsGivenUpAfterTheLimit() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    RespawnPolicy policy = new RespawnPolicy(3, Duration.ofSeconds(10), () -> {
      asked.incrementAndGet();
      return 0L; // every exit within the same instant
    });
    start("sh -c 'exit 1'", LoopbackPorts.free(), "respawn", policy);

    await().atMost(WAIT).until(() -> asked.get() == 4);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> asked.get() == 4);
    assertEquals(3, policy.recent(), "three respawns, then given up");
    assertNull(publisher.current);
    assertFalse(publisher.events.stream().anyMatch(e -> e instanceof Recording.Target));
  }

  @Test
  void ignoreModeKeepsADaemonsTargetAndStopEndsTheDaemon() throws Exception {
    int port = LoopbackPorts.free();
    start(inetd(port, true), port, "ignore", null);
    Recording.Target t = awaitPublished();
    await().atMost(WAIT).until(() -> ProcessHandle.of(t.pid()).map(p -> !ProcessTree.running(p)).orElse(true));
    List<ProcessHandle> daemons = ProcessTree.marked(marker.idEntry());
    assertEquals(1, daemons.size(), "inetd's daemon, re-parented away from us");
    assertEquals("hello\n", read(t.host(), t.port()));
    assertEquals(t, publisher.current, "the target stays after the command exits");

    supervisor.stop();

    assertNull(publisher.current);
    assertFalse(ProcessTree.running(daemons.get(0)));
    assertEquals(Optional.empty(), LoopbackPorts.listeningHost(t.port()));
  }

  @Test
  void aProgramThatCannotRunIsReportedNotRespawned() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    start(dir.resolve("no-such-program") + " x", LoopbackPorts.free(), "respawn",
        new RespawnPolicy(3, Duration.ofSeconds(10), () -> asked.incrementAndGet()));
    await().atMost(WAIT).until(() -> publisher.events.contains("withdraw"));
    assertEquals(0, asked.get());
  }

  @Test
  void processesAnEarlierKarafLeftBehindAreEndedBeforeTheCommandStarts() throws Exception {
    // what a killed Karaf leaves: a process of this configuration, from another activation
    ProcessBuilder pb = new ProcessBuilder("sleep", "102").redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put(ProcessMarker.ID_VARIABLE, "an-earlier-activation");
    pb.environment().put(ProcessMarker.OWNER_VARIABLE, marker.owner());
    Process stale = pb.start();
    int port = LoopbackPorts.free();

    start(inetd(port, false), port, "exit", null);
    awaitPublished();

    assertFalse(stale.isAlive(), "the leftover was ended");
    assertEquals(1, ProcessTree.marked(marker.ownerEntry()).size(), "only the new inetd runs");
  }
}
