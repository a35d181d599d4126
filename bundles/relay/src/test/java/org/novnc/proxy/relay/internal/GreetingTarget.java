package org.novnc.proxy.relay.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A target on loopback TCP or a Unix socket: each connection gets the greeting, then everything it
 * sends echoed.
 */
final class GreetingTarget implements AutoCloseable {
  private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
  private final ServerSocketChannel server;
  private final HostPort address;

  /** On a free loopback TCP port. */
  GreetingTarget(String greeting) throws IOException {
    server = ServerSocketChannel.open(StandardProtocolFamily.INET);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    address = new HostPort("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort());
    serve(greeting.getBytes(StandardCharsets.US_ASCII));
  }

  /** On the Unix socket {@code path}. */
  GreetingTarget(String greeting, Path path) throws IOException {
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    address = HostPort.parseTarget(HostPort.UNIX_PREFIX + path);
    serve(greeting.getBytes(StandardCharsets.US_ASCII));
  }

  private void serve(byte[] hello) {
    Thread t = new Thread(() -> {
      while (server.isOpen()) {
        try {
          SocketChannel c = server.accept();
          accepted.incrementAndGet();
          Thread echo = new Thread(() -> echo(c, hello));
          echo.setDaemon(true);
          echo.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
  }

  private void echo(SocketChannel c, byte[] hello) {
    open.incrementAndGet();
    try (c) {
      c.write(ByteBuffer.wrap(hello));
      ByteBuffer b = ByteBuffer.allocate(8192);
      while (c.read(b) >= 0) {
        b.flip();
        while (b.hasRemaining()) {
          c.write(b);
        }
        b.clear();
      }
    } catch (IOException e) {
      // the peer went away
    } finally {
      open.decrementAndGet();
    }
  }

  /** Connections the target still has open. */
  int openConnections() {
    return open.get();
  }

  /** Connections accepted so far. */
  int connections() {
    return accepted.get();
  }

  HostPort address() {
    return address;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
