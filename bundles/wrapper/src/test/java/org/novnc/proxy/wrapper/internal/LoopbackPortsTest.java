package org.novnc.proxy.wrapper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Whether something listens on a loopback port, read from /proc/net/tcp*, without connecting. */
class LoopbackPortsTest {

  @Test
  void ipv4Listener() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
      assertEquals(Optional.of("127.0.0.1"), LoopbackPorts.listeningHost(port));
    }
    assertEquals(Optional.empty(), LoopbackPorts.listeningHost(port));
  }

  @Test
  void ipv6OnlyListener() throws Exception {
    InetAddress v6;
    try {
      v6 = InetAddress.getByName("::1");
      new ServerSocket(0, 1, v6).close();
    } catch (java.io.IOException e) {
      Assumptions.abort("no IPv6 loopback: " + e);
      return;
    }
    try (ServerSocket s = new ServerSocket(0, 1, v6)) {
      assertEquals(Optional.of("::1"), LoopbackPorts.listeningHost(s.getLocalPort()));
    }
  }

  @Test
  void freePortIsFree() throws Exception {
    int port = LoopbackPorts.free();
    assertEquals(Optional.empty(), LoopbackPorts.listeningHost(port));
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertEquals(port, s.getLocalPort());
    }
  }
}
