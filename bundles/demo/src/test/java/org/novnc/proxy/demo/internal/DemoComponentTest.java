package org.novnc.proxy.demo.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration and lifecycle: bad values name the key, changes apply in place, stop is total. */
class DemoComponentTest {

  static DemoComponent.Config config(Integer port, String bind, String geometry, String password, String name) {
    return new DemoComponent.Config() {
      @Override
      public Class<? extends Annotation> annotationType() {
        return DemoComponent.Config.class;
      }

      @Override
      public int port() {
        if (port == null) {
          throw new IllegalArgumentException("not a number"); // what SCR does with port = abc
        }
        return port;
      }

      @Override
      public String bind() {
        return bind;
      }

      @Override
      public String geometry() {
        return geometry;
      }

      @Override
      public String password() {
        return password;
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  static DemoComponent.Config config(int port) {
    return config(port, "127.0.0.1", "640x400", "", "novnc-proxy demo");
  }

  @Test
  void defaultsParse() throws Exception {
    DemoSettings s = DemoSettings.of(config(5999, "127.0.0.1", "1280x800", "", "novnc-proxy demo"), Map.of());
    assertEquals(new DemoSettings("127.0.0.1", 5999, 1280, 800, null, "novnc-proxy demo"), s);
    assertEquals(1024, DemoSettings.geometry(" 1024 X 768 ")[0]);
  }

  @Test
  void badValuesNameTheKeyAndTheValue() {
    DemoComponent.Config defaults = config(5999, "127.0.0.1", "640x400", "", "n");
    Exception e = assertThrows(org.novnc.proxy.codec.config.InvalidConfigException.class,
        () -> DemoSettings.of(defaults, Map.of("geometry", "12x8")));
    assertEquals("geometry = '12x8' is out of range: from 320x200 to 3840x2400", e.getMessage());
    e = assertThrows(org.novnc.proxy.codec.config.InvalidConfigException.class,
        () -> DemoSettings.of(defaults, Map.of("geometry", "big")));
    assertTrue(e.getMessage().startsWith("geometry = 'big' is not WIDTHxHEIGHT"), e.getMessage());
    e = assertThrows(org.novnc.proxy.codec.config.InvalidConfigException.class,
        () -> DemoSettings.of(defaults, Map.of("port", "70000")));
    assertEquals("port = '70000' is not a whole number from 0 to 65535", e.getMessage());
    e = assertThrows(org.novnc.proxy.codec.config.InvalidConfigException.class,
        () -> DemoSettings.of(defaults, Map.of("port", "abc")));
    assertEquals("port = 'abc' is not a whole number from 0 to 65535", e.getMessage());
    e = assertThrows(org.novnc.proxy.codec.config.InvalidConfigException.class,
        () -> DemoSettings.of(defaults, Map.of("bind", " ")));
    assertTrue(e.getMessage().startsWith("bind = ' ' is empty"), e.getMessage());
  }


  @Test
  void badConfigurationStartsNothingAndAFixStartsIt() {
    DemoComponent component = new DemoComponent(config(0, "127.0.0.1", "1x1", "", "n"),
        Map.of("service.pid", "org.novnc.proxy.demo~bad"));
    try {
      assertNull(component.server().boundAddress(), "not listening");
      assertNull(component.server().desktop(), "no desktop");
      component.modified(config(0), Map.of());
      assertNotNull(component.server().boundAddress(), "fixed by @Modified");
    } finally {
      component.deactivate();
    }
    assertNull(component.server().boundAddress());
  }

  @Test
  void aPortInUseStartsNothing() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      DemoServer server = new DemoServer("test", Clock.systemUTC());
      server.apply(new DemoSettings("127.0.0.1", taken.getLocalPort(), 640, 400, null, "n"));
      assertNull(server.boundAddress());
      assertNull(server.desktop(), "the desktop does not start either");
      server.stop();
    }
  }

  @Test
  void aPortChangeRebindsAndOpenSessionsContinue() throws Exception {
    DemoServer server = new DemoServer("test", Clock.systemUTC());
    try {
      server.apply(new DemoSettings("127.0.0.1", 0, 640, 400, null, "n"));
      int first = server.boundAddress().getPort();
      try (RfbTestClient c = new RfbTestClient(first)) {
        c.handshake(null);
        int second;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          second = probe.getLocalPort();
        }
        server.apply(new DemoSettings("127.0.0.1", second, 640, 400, "pw", "n"));
        assertEquals(second, server.boundAddress().getPort());
        await().atMost(Duration.ofSeconds(5)).until(() -> refused(first)); // the old port lets go
        try (RfbTestClient d = new RfbTestClient(second)) {
          d.handshake("pw"); // the new password for the new connection
        }
        c.setEncodings(RfbProtocol.ENC_RAW);
        c.requestUpdate(false);
        c.readUpdate();
        c.catchUp(server.desktop()); // the first session still gets its updates
      }
    } finally {
      server.stop();
    }
  }

  private static boolean refused(int port) {
    try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void stopClosesEverythingInBoundedTime() throws Exception {
    DemoServer server = new DemoServer("test", Clock.systemUTC());
    server.apply(new DemoSettings("127.0.0.1", 0, 640, 400, null, "n"));
    int port = server.boundAddress().getPort();
    try (RfbTestClient a = new RfbTestClient(port); RfbTestClient b = new RfbTestClient(port)) {
      a.handshake(null);
      b.readVersion(); // b stays in the handshake
      long start = System.nanoTime();
      server.stop();
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(8).toNanos(), "bounded");
      assertThrows(IOException.class, () -> {
        for (int i = 0; i < 100_000; i++) {
          a.in.readByte();
        }
      });
      assertThrows(EOFException.class, b.in::readByte);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("novnc-demo-") && t.isAlive()));
  }
}
