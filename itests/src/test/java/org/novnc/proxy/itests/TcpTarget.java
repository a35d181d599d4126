package org.novnc.proxy.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server for the relay to reach, started by the test on loopback. Each connection first
 * gets the greeting, then everything it sends is echoed back.
 */
public final class TcpTarget implements AutoCloseable {
  private final ServerSocket server;
  private final byte[] greeting;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final Thread acceptor;

  public TcpTarget(String greeting) throws IOException {
    this.greeting = greeting.getBytes(StandardCharsets.US_ASCII);
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "tcp-target-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public int accepted() {
    return accepted.get();
  }

  /** Connections still open on the target side (the relay has not closed them). */
  public int open() {
    return open.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        accepted.incrementAndGet();
        sockets.add(s);
        Thread t = new Thread(() -> echo(s), "tcp-target-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void echo(Socket s) {
    open.incrementAndGet();
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      out.write(greeting);
      out.flush();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the peer went away: the connection simply ends
    } finally {
      open.decrementAndGet();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
