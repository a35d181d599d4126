package org.novnc.proxy.relay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A TCP target on loopback: each connection gets the greeting, then everything it sends echoed. */
final class GreetingTarget implements AutoCloseable {
  private final ServerSocket server;

  GreetingTarget(String greeting) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    byte[] hello = greeting.getBytes(StandardCharsets.US_ASCII);
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread c = new Thread(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              out.write(hello);
              in.transferTo(out);
            } catch (IOException e) {
              // the peer went away
            }
          });
          c.setDaemon(true);
          c.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
  }

  HostPort address() {
    return new HostPort("127.0.0.1", server.getLocalPort());
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
