package org.novnc.proxy.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.novnc.proxy.codec.CodecSettings;

/** {@code target = unix:/path}: sessions reach a Unix domain socket, with epoll and with NIO. */
class UnixTargetTest {
  static {
    LeakCheck.install();
  }

  @TempDir
  Path tmp;
  private EventLoops loops;
  private RelayListener listener;
  private GreetingTarget server;

  @AfterEach
  void stop() throws IOException {
    if (listener != null) {
      listener.stop();
    }
    if (loops != null) {
      loops.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A Unix socket that greets each connection, then echoes. */
  private Path greeter(String greeting) throws IOException {
    Path path = tmp.resolve("target.sock");
    server = new GreetingTarget(greeting, path);
    return path;
  }

  private int relayTo(String target, boolean epoll) {
    loops = new EventLoops(1, epoll);
    listener = new RelayListener("test", loops, () -> CodecSettings.DEFAULTS);
    listener.apply(TestSettings.debug(TestSettings.relay(new HostPort("127.0.0.1", 0), HostPort.parseTarget(target), null, null, null,
        OriginPolicy.SAME_HOST, null, 10, 0, 0)));
    return listener.boundAddress().getPort();
  }

  private static String exchange(int port, String send, int n) {
    return WsProbe.exchange(port, send, n);
  }

  @ParameterizedTest(name = "epoll allowed: {0}")
  @ValueSource(booleans = {true, false})
  void sessionsReachAUnixSocket(boolean epoll) throws Exception {
    Path socket = greeter("RFB 003.008\n");
    int port = relayTo("unix:" + socket, epoll);
    assertEquals("RFB 003.008\nping", exchange(port, "ping", 16));
    if (epoll) {
      assertEquals(Epoll.isAvailable(), loops.domainChannelType().getSimpleName().startsWith("Epoll"));
    } else {
      assertEquals("NioDomainSocketChannel", loops.domainChannelType().getSimpleName());
    }
  }

  @Test
  void tokensAndTokenFilesNameUnixSockets() throws Exception {
    Path socket = greeter("RFB 003.008\n");
    Path file = tmp.resolve("tokens");
    java.nio.file.Files.writeString(file, "# desktops\nfromfile: unix:" + socket + "\n");
    loops = new EventLoops(1);
    listener = new RelayListener("test", loops, () -> CodecSettings.DEFAULTS);
    listener.apply(TestSettings.relay(new HostPort("127.0.0.1", 0), null, null,
        TokenTargets.of("inline=unix:" + socket, file.toString(), "test"), null, OriginPolicy.SAME_HOST, null, 10, 0, 0));
    int port = listener.boundAddress().getPort();
    for (String token : new String[] {"inline", "fromfile"}) {
      assertEquals("RFB 003.008\n", WsProbe.open(URI.create("ws://127.0.0.1:" + port + "/websockify?token=" + token), null, 12)
          .get(10, TimeUnit.SECONDS), token);
    }
  }

  @Test
  void aMissingSocketClosesWithItsPath() {
    String target = "unix:" + tmp.resolve("nobody-listens.sock");
    int port = relayTo(target, true);
    String closed = exchange(port, null, Integer.MAX_VALUE);
    assertTrue(closed.startsWith("closed 1014: target " + target + " unreachable"), closed);
  }

  @Test
  void unixTargetsAreCheckedWhenParsed() {
    assertEquals("unix:/run/vnc/1.sock", HostPort.parseTarget(" unix:/run/vnc/1.sock ").toString());
    assertEquals("/run/vnc/1.sock", HostPort.parseTarget("unix:/run/vnc/1.sock").path());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HostPort.parseTarget("unix:run/vnc.sock"))
        .getMessage().contains("absolute socket path"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HostPort.parseTarget("unix:"))
        .getMessage().contains("absolute socket path"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HostPort.parseTarget("unix:/" + "x".repeat(120)))
        .getMessage().contains("107 bytes"));
  }
}
