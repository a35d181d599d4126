package org.novnc.proxy.relay.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one set of Netty event loops shared by every relay listener and session: epoll where the
 * native transport loads, NIO otherwise. One thread per core; proxies never get threads of their own.
 * Target host names are looked up here too, on a few threads of their own: the system resolver
 * blocks, and a slow DNS server must not stall every session of an event loop.
 */
@Component(service = EventLoops.class)
public final class EventLoops {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoops.class);

  /** Looks a host name up, blocking; the system resolver unless a test says otherwise. */
  interface HostLookup {
    InetAddress lookup(String host) throws UnknownHostException;
  }

  private static final int LOOKUP_THREADS = 4;
  static final int KEEPALIVE_IDLE_S = 60;
  static final int KEEPALIVE_INTERVAL_S = 10;
  static final int KEEPALIVE_PROBES = 3;

  private final boolean epoll;
  private final Map<ChannelOption<?>, Object> keepAlive;
  private final EventLoopGroup group;
  private final HostLookup hostLookup;
  private final ExecutorService lookups;

  @Activate
  public EventLoops() {
    this(Runtime.getRuntime().availableProcessors());
  }

  EventLoops(int threads) {
    this(threads, true);
  }

  /** {@code allowEpoll} false: NIO even where epoll loads (tests of the fallback). */
  EventLoops(int threads, boolean allowEpoll) {
    this(threads, allowEpoll, InetAddress::getByName);
  }

  EventLoops(int threads, boolean allowEpoll, HostLookup hostLookup) {
    this.hostLookup = hostLookup;
    ThreadPoolExecutor pool = new ThreadPoolExecutor(LOOKUP_THREADS, LOOKUP_THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new DefaultThreadFactory("novnc-relay-lookup", true));
    pool.allowCoreThreadTimeOut(true);
    lookups = pool;
    epoll = allowEpoll && Epoll.isAvailable();
    Map<ChannelOption<?>, Object> options = new LinkedHashMap<>();
    options.put(ChannelOption.SO_KEEPALIVE, true);
    if (epoll) {
      options.put(EpollChannelOption.TCP_KEEPIDLE, KEEPALIVE_IDLE_S);
      options.put(EpollChannelOption.TCP_KEEPINTVL, KEEPALIVE_INTERVAL_S);
      options.put(EpollChannelOption.TCP_KEEPCNT, KEEPALIVE_PROBES);
    }
    keepAlive = java.util.Collections.unmodifiableMap(options); // built once: every target connect applies it
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("novnc-relay", true), io);
    if (epoll) {
      LOG.info("Relay transport: epoll, {} event loop threads", threads);
    } else {
      LOG.info("Relay transport: NIO, {} event loop threads (epoll {})", threads, !allowEpoll ? "not wanted"
          : "unavailable: " + (Epoll.unavailabilityCause() == null ? "unknown" : Epoll.unavailabilityCause().toString()));
    }
  }

  public EventLoopGroup group() {
    return group;
  }

  public Class<? extends ServerChannel> serverChannelType() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends Channel> channelType() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** The client channel for Unix domain socket targets. */
  public Class<? extends Channel> domainChannelType() {
    return epoll ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
  }

  /**
   * TCP keepalive options for a relay's connections: probes after 60 s of silence, every 10 s, and
   * 3 unanswered end the connection, so a peer whose host vanished (no FIN) is found even with no
   * WebSocket heartbeat. On NIO only SO_KEEPALIVE (the system's timing, 2 h by default on Linux).
   */
  Map<ChannelOption<?>, Object> keepAlive() {
    return keepAlive;
  }


  /** The address of a Unix domain socket, in the form this transport takes. */
  public SocketAddress domainAddress(String path) {
    return epoll ? new DomainSocketAddress(path) : UnixDomainSocketAddress.of(path);
  }

  /**
   * The address of {@code host}: at once for an IP literal, else looked up off the event loops.
   * Completes exceptionally with {@link UnknownHostException} for a name that does not resolve.
   */
  public CompletableFuture<InetAddress> resolve(String host) {
    if (isIpLiteral(host)) {
      try {
        return CompletableFuture.completedFuture(InetAddress.getByName(host));
      } catch (UnknownHostException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<InetAddress> result = new CompletableFuture<>();
    lookups.execute(() -> {
      try {
        result.complete(hostLookup.lookup(host));
      } catch (UnknownHostException | RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  static boolean isIpLiteral(String host) {
    return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
  }

  @Deactivate
  public void close() {
    lookups.shutdownNow();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
