package org.novnc.proxy.demo.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo desktop and its RFB listener. Threads: one Netty event loop for all network I/O of this
 * desktop and one scheduled thread for the desktop (input, painting, encoding); never a thread per
 * connection. Settings are applied in place where cheap; {@link #stop} closes everything within a
 * few seconds.
 */
final class DemoServer {
  private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);
  /** Connections beyond this many are refused with a reason. */
  static final int MAX_CONNECTIONS = 64;
  /** Per-connection outbound buffering: above it, no update is encoded for that client. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);
  private static final long BIND_TIMEOUT_S = 5;
  private static final long STOP_TIMEOUT_S = 3;
  private static final int BIND_RETRIES = 10;
  private static final long BIND_RETRY_MS = 50;

  private final String pid;
  private final Clock clock;
  private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
  private volatile DemoSettings settings;
  private EventLoopGroup group;
  private ScheduledExecutorService desktopThread;
  private Desktop desktop;
  private Channel server;

  DemoServer(String pid, Clock clock) {
    this.pid = pid;
    this.clock = clock;
  }

  /** Starts the desktop, or applies a changed configuration to the running one. */
  synchronized void apply(DemoSettings next) {
    DemoSettings previous = settings;
    settings = next;
    if (desktop == null) {
      start(next);
      return;
    }
    Desktop d = desktop;
    if (previous.width() != next.width() || previous.height() != next.height()) {
      LOG.info("{}: geometry is now {}x{}", pid, next.width(), next.height());
      d.execute(() -> d.resize(next.width(), next.height()));
    }
    if (!previous.name().equals(next.name())) {
      d.execute(() -> d.rename(next.name()));
    }
    if (!java.util.Objects.equals(previous.password(), next.password())) {
      LOG.info("{}: password {}; applies to new connections", pid, next.password() == null ? "removed" : "changed");
    }
    if (server == null || !previous.sameListener(next)) {
      closeServer();
      bind(next);
    }
  }

  private void start(DemoSettings s) {
    group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("novnc-demo-io", true),
        NioIoHandler.newFactory());
    desktopThread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("novnc-demo-desktop", true));
    desktop = new Desktop(desktopThread, clock, s.width(), s.height(), s.name());
    Desktop d = desktop;
    d.execute(d::start);
    if (!bind(s)) {
      stop();
    }
  }

  private boolean bind(DemoSettings s) {
    InetSocketAddress address;
    try {
      address = new InetSocketAddress(InetAddress.getByName(s.bind()), s.port());
    } catch (UnknownHostException e) {
      LOG.error("{}: bind = '{}' is not an address of this host: {}; this demo desktop does not start", pid, s.bind(),
          e.getMessage());
      return false;
    }
    Desktop d = desktop;
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            connections.add(ch);
            ch.closeFuture().addListener(f -> connections.remove(ch));
            DemoSettings now = settings;
            String password = now == null ? null : now.password();
            ch.pipeline().addLast("rfb-handshake", new RfbHandshake(DemoServer.this, d, password,
                String.valueOf(ch.remoteAddress())));
          }
        });
    ChannelFuture bound = bootstrap.bind(address);
    // a listener just closed on this port lets go of it at its event loop's next select: try again briefly
    for (int retry = 0; retry < BIND_RETRIES && bound.awaitUninterruptibly(BIND_TIMEOUT_S, TimeUnit.SECONDS)
        && bound.cause() instanceof BindException; retry++) {
      sleep(BIND_RETRY_MS);
      bound = bootstrap.bind(address);
    }
    if (!bound.awaitUninterruptibly(BIND_TIMEOUT_S, TimeUnit.SECONDS) || !bound.isSuccess()) {
      String why = bound.cause() == null ? "timed out" : bound.cause().getMessage();
      LOG.error("{}: port = '{}' cannot be bound on {}: {}; this demo desktop does not start", pid, s.port(),
          s.bind(), why);
      bound.channel().close();
      return false;
    }
    server = bound.channel();
    LOG.info("{}: demo desktop {}x{} '{}' listening on {} ({})", pid, s.width(), s.height(), s.name(),
        server.localAddress(), s.password() == null ? "no password" : "VNC Authentication");
    return true;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  int connectionCount() {
    return connections.size();
  }

  /** The desktop, or null when stopped. */
  synchronized Desktop desktop() {
    return desktop;
  }

  /** The address actually bound, or null when not listening. */
  synchronized InetSocketAddress boundAddress() {
    return server == null ? null : (InetSocketAddress) server.localAddress();
  }

  /** Closes the listener, every connection, the event loop and the desktop thread. */
  synchronized void stop() {
    settings = null;
    closeServer();
    if (group == null) {
      return;
    }
    for (Channel ch : connections) {
      ch.close();
    }
    group.shutdownGracefully(0, STOP_TIMEOUT_S, TimeUnit.SECONDS)
        .awaitUninterruptibly(STOP_TIMEOUT_S + 1, TimeUnit.SECONDS);
    Desktop d = desktop;
    d.execute(d::close);
    desktopThread.shutdown();
    try {
      if (!desktopThread.awaitTermination(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
        desktopThread.shutdownNow();
        LOG.warn("{}: the desktop thread did not stop within {} s", pid, STOP_TIMEOUT_S);
      }
    } catch (InterruptedException e) {
      desktopThread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    group = null;
    desktopThread = null;
    desktop = null;
    LOG.info("{}: demo desktop stopped", pid);
  }

  private void closeServer() {
    if (server != null) {
      server.close().awaitUninterruptibly(BIND_TIMEOUT_S, TimeUnit.SECONDS);
      LOG.info("{}: stopped listening on {}", pid, server.localAddress());
      server = null;
    }
  }
}
