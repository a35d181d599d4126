package org.novnc.proxy.wrapper.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another local user trying to take a wrapped command's place on its moved port: by binding it on
 * the other address family before the command listens, or by binding it while the command is
 * being respawned. The wrapper publishes only a socket one of its own processes holds, withdraws
 * it the moment the command stops listening, and the published endpoint answers false once its
 * socket is gone, so a relay never connects to the intruder.
 */
class HijackTest {
  private static final Path INETD = Path.of("/usr/sbin/inetutils-inetd");
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private static final Path REBIND = Path.of(System.getProperty("rebind.so", "../../native/target/native/rebind.so"));
  private static final CommandSupervisor.Timing FAST = new CommandSupervisor.Timing(Duration.ofSeconds(5),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(300));
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path dir;
  private final ProcessMarker marker = new ProcessMarker(UUID.randomUUID().toString(), "test@" + UUID.randomUUID());
  private final Recording publisher = new Recording();
  private final List<Process> intruders = new ArrayList<>();
  private CommandSupervisor supervisor;

  /** What was published, in order, with each endpoint's availability check. */
  static final class Recording implements CommandSupervisor.Publisher {
    record Target(String host, int port, long pid, BooleanSupplier serving) {}

    final List<Object> events = new CopyOnWriteArrayList<>();
    volatile Target current;

    @Override
    public void publish(String host, int port, long pid, BooleanSupplier serving) {
      current = new Target(host, port, pid, serving);
      events.add(current);
    }

    @Override
    public void withdraw() {
      current = null;
      events.add("withdraw");
    }
  }

  @AfterEach
  void stop() {
    intruders.forEach(Process::destroyForcibly);
    if (supervisor != null) {
      supervisor.stop();
    }
    assertEquals(List.of(), ProcessTree.marked(marker.ownerEntry()), "processes left running");
  }

  private void start(String command, int port, String mode) throws Exception {
    WrapperSettings s = new TestConfig("name", "test", "command", command, "port", String.valueOf(port), "mode", mode)
        .settings(dir);
    supervisor = new CommandSupervisor("org.novnc.proxy.wrapper~test", s, REBIND, marker, publisher,
        new RespawnPolicy(s.respawnLimit(), s.respawnWindow()), FAST);
    supervisor.start();
  }

  /**
   * Another program, as another user where the test can make one (root: {@code setpriv} to
   * nobody), binding 127.0.0.1:{@code port} as soon as it is free and answering "HIJACK".
   */
  private void intrude(int port) throws Exception {
    String script = "import socket, sys, time\n"
        + "s = socket.socket()\n"
        + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
        + "deadline = time.time() + 8\n"
        + "while True:\n"
        + "    try:\n"
        + "        s.bind(('127.0.0.1', " + port + ")); break\n"
        + "    except OSError:\n"
        + "        if time.time() > deadline: sys.exit(3)\n"
        + "        time.sleep(0.01)\n"
        + "s.listen()\n"
        + "print('bound', flush=True)\n"
        + "while True:\n"
        + "    c, _ = s.accept(); c.sendall(b'HIJACK\\n'); c.close()\n";
    List<String> cmd = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name")) && Files.isExecutable(SETPRIV)) {
      cmd.addAll(List.of(SETPRIV.toString(), "--reuid=65534", "--regid=65534", "--clear-groups"));
    }
    cmd.addAll(List.of(PYTHON.toString(), "-c", script));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    intruders.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    assertEquals("bound", out.readLine(), "the intruder bound 127.0.0.1:" + port);
  }

  private static String read(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      s.setSoTimeout(5000);
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  /** The moved port of the command's process, read from its environment. */
  private int movedPort() throws Exception {
    await().atMost(WAIT).until(() -> !ProcessTree.marked(marker.idEntry()).isEmpty());
    long pid = ProcessTree.marked(marker.idEntry()).get(0).pid();
    for (String entry : Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0")) {
      if (entry.startsWith("REBIND_PORT_NEW=")) {
        return Integer.parseInt(entry.substring("REBIND_PORT_NEW=".length()));
      }
    }
    throw new AssertionError("no REBIND_PORT_NEW in the command's environment");
  }

  @Test
  void anIntruderOnTheOtherAddressFamilyIsNeverPublished() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
    int port = LoopbackPorts.free();
    // an IPv6-only server (moved to [::1]) that takes a moment before it binds
    start(PYTHON + " -c 'import socket, time\ntime.sleep(1.5)\ns = socket.socket(socket.AF_INET6)\n"
        + "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)\ns.bind((\"::\", " + port + "))\ns.listen()\n"
        + "while True:\n    c, _ = s.accept(); c.sendall(b\"real\\n\"); c.close()'", port, "exit");
    int moved = movedPort();
    intrude(moved); // on 127.0.0.1, before the command listens on [::1]
    assertEquals(Optional.of("127.0.0.1"), LoopbackPorts.listeningHost(moved), "the intruder listens first");

    await().atMost(WAIT).until(() -> publisher.current != null);
    Recording.Target t = publisher.current;
    assertEquals("::1", t.host(), "only the command's own socket is published");
    assertEquals("real\n", read(t.host(), t.port()));
    assertTrue(t.serving().getAsBoolean());
    assertEquals(1, publisher.events.size(), "the intruder was never published: " + publisher.events);
  }

  @Test
  void aRespawnWithdrawsTheTargetFirstAndTheOldEndpointRefusesAnIntruder() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(INETD) && Files.isExecutable(PYTHON), "inetutils-inetd or python3 missing");
    int port = LoopbackPorts.free();
    Path conf = dir.resolve("inetd.conf");
    Files.writeString(conf, "127.0.0.1:" + port + " stream tcp nowait " + System.getProperty("user.name")
        + " /bin/echo echo hello\n");
    start(INETD + " -d -p " + dir.resolve("inetd.pid") + " " + conf, port, "respawn");
    await().atMost(WAIT).until(() -> publisher.current != null);
    Recording.Target first = publisher.current;
    assertEquals("hello\n", read(first.host(), first.port()));
    assertTrue(first.serving().getAsBoolean());

    ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
    intrude(first.port()); // takes the old port the moment it is free

    assertFalse(first.serving().getAsBoolean(), "the old endpoint no longer serves: a relay refuses to connect");
    await().atMost(WAIT).until(() -> publisher.current != null && publisher.current.pid() != first.pid());
    Recording.Target second = publisher.current;
    int firstAt = publisher.events.indexOf(first);
    int secondAt = publisher.events.indexOf(second);
    assertTrue(publisher.events.subList(firstAt, secondAt).contains("withdraw"),
        "withdrawn before the new run listens: " + publisher.events);
    assertNotEquals(first.port(), second.port());
    assertEquals("hello\n", read(second.host(), second.port()));
    assertEquals("HIJACK\n", read("127.0.0.1", first.port()), "the intruder holds the old port (and gets nothing)");
  }

  @Test
  void ignoreModeWithdrawsTheTargetWhenTheDaemonStopsListening() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(INETD), "inetutils-inetd is not installed");
    int port = LoopbackPorts.free();
    Path conf = dir.resolve("inetd.conf");
    Files.writeString(conf, "127.0.0.1:" + port + " stream tcp nowait " + System.getProperty("user.name")
        + " /bin/echo echo hello\n");
    start(INETD + " -p " + dir.resolve("inetd.pid") + " " + conf, port, "ignore"); // daemonises
    await().atMost(WAIT).until(() -> publisher.current != null);
    await().atMost(WAIT).until(() -> ProcessTree.marked(marker.idEntry()).size() == 1);
    ProcessHandle daemon = ProcessTree.marked(marker.idEntry()).get(0);

    daemon.destroyForcibly();
    daemon.onExit().get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(3)).until(() -> publisher.current == null);
    assertNull(publisher.current, "no target once nothing of the command listens");
  }
}
