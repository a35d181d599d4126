package org.novnc.proxy.relay.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.novnc.proxy.codec.CodecPolicy;
import org.novnc.proxy.codec.WebSocketProtocol;
import org.novnc.proxy.relay.FailureLimiter;
import org.novnc.proxy.relay.AccessPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side of one proxy: its server channel and its sessions. Settings are swapped
 * atomically; each new connection reads the settings of the moment it arrives.
 */
final class RelayListener {
  private static final Logger LOG = LoggerFactory.getLogger(RelayListener.class);
  /** Per-channel outbound buffering before the other side stops being read. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);
  /**
   * Reads grow to 256 KiB under load (bigger frames, fewer syscalls) and shrink back when idle;
   * buffers live only from read to write, so idle sessions hold none.
   */
  static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(1024, 16 * 1024, 256 * 1024);
  private static final long BIND_TIMEOUT_S = 5;
  private static final long STOP_TIMEOUT_MS = 3000;

  private final String pid;
  private final EventLoops loops;
  private final CodecPolicy codec;
  private final Set<RelaySession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger admitted = new AtomicInteger();
  /** Connections that have not completed a WebSocket handshake, oldest first (guarded by itself). */
  private final LinkedHashSet<Channel> pending = new LinkedHashSet<>();
  private final FailureLimiter failures = new FailureLimiter();
  private volatile long requestTimeoutMillis = HttpGate.REQUEST_TIMEOUT_MILLIS;
  private volatile RelaySettings settings;
  /** Decides access when {@code auth} is set; null while no authenticator offers one. */
  private volatile AccessPolicy policy;
  private final Audit audit;
  /** Writes this proxy's recordings, when {@code record} is set. */
  private volatile RecordWriter recorder;
  private Channel server;

  RelayListener(String pid, EventLoops loops, CodecPolicy codec) {
    this(pid, loops, codec, new Audit(pid, () -> null));
  }

  RelayListener(String pid, EventLoops loops, CodecPolicy codec, Audit audit) {
    this.pid = pid;
    this.loops = loops;
    this.codec = codec;
    this.audit = audit;
  }

  Audit audit() {
    return audit;
  }

  AccessPolicy policy() {
    return policy;
  }

  /** Access is decided by {@code next} from now on (null: no authenticator; sessions needing one are refused). */
  void policy(AccessPolicy next) {
    AccessPolicy old = policy;
    policy = next;
    if (old != null && old != next) {
      old.close();
    }
  }

  String pid() {
    return pid;
  }

  EventLoops loops() {
    return loops;
  }

  CodecPolicy codec() {
    return codec;
  }

  RelaySettings settings() {
    return settings;
  }

  /** How long a connection may take to send each complete request. */
  long requestTimeoutMillis() {
    return requestTimeoutMillis;
  }

  /** Tests shorten the request timeout. */
  void requestTimeoutMillis(long millis) {
    requestTimeoutMillis = millis;
  }

  /** Unknown-token attempts per client address. */
  FailureLimiter failures() {
    return failures;
  }

  /**
   * Listen per {@code next}; rebinds only when the listen address changed. While listening, the
   * new address is bound before the old one is let go (same port: after), and if it cannot be
   * bound the proxy keeps listening where it was, with the settings it had.
   */
  /** The recording writer of the current settings, or null. */
  RecordWriter recorder() {
    return recorder;
  }

  private void followRecording(RelaySettings next) {
    RecordWriter old = recorder;
    java.nio.file.Path dir = next == null ? null : next.record();
    if (old != null && dir != null && old.same(dir, next.recordMaxAgeDays(), next.recordMaxBytes())) {
      return;
    }
    recorder = dir == null ? null : new RecordWriter(pid, dir, next.recordMaxAgeDays(), next.recordMaxBytes(), audit);
    if (old != null) {
      old.stop(); // its queued records are still written
    }
  }

  synchronized void apply(RelaySettings next) {
    followRecording(next);
    RelaySettings previous = settings;
    settings = next;
    if (server != null && previous != null && previous.listen().equals(next.listen())) {
      if (!java.util.Objects.equals(previous.target(), next.target())) {
        LOG.info("{}: target is now {} for new sessions ({} open sessions continue)", pid, next.targetText(), sessions.size());
      }
      return;
    }
    Channel old = server;
    if (old != null && previous != null && ((InetSocketAddress) old.localAddress()).getPort() != next.listen().port()) {
      server = null;
      String failure = bind(next.listen());
      if (failure != null) {
        server = old;
        settings = previous;
        LOG.error("{}: {}; still listening on {} with the previous settings", pid, failure, old.localAddress());
        return;
      }
      stopListening(old);
      return;
    }
    closeServer();
    String failure = bind(next.listen());
    if (failure != null) {
      LOG.error("{}: {}; this proxy does not start", pid, failure);
    }
  }

  /** Binds and logs the listening line; returns why it could not, or null. */
  private String bind(HostPort listen) {
    InetSocketAddress address;
    try {
      address = listen.bindAddress();
    } catch (RuntimeException e) {
      return "listen = '" + listen + "' cannot be resolved: " + e.getMessage();
    }
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannelType())
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, READS)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            initSession(ch);
          }
        });
    loops.keepAlive().forEach((option, value) -> bootstrap.childOption(TargetConnector.unchecked(option), value));
    ChannelFuture bound = bootstrap.bind(address);
    if (!bound.awaitUninterruptibly(BIND_TIMEOUT_S, TimeUnit.SECONDS) || !bound.isSuccess()) {
      String why = bound.cause() == null ? "timed out" : bound.cause().getMessage();
      bound.channel().close();
      return "listen = '" + listen + "' cannot be bound: " + why;
    }
    server = bound.channel();
    RelaySettings s = settings;
    LOG.info("{}: listening on {} for {}{}{}", pid, server.localAddress(), s == null ? "?" : s.targetText(),
        s == null || s.tls() == null ? "" : s.tls().sslOnly() ? ", TLS only (" + s.tls().provider() + ")" : ", TLS or plain (" + s.tls().provider() + ")",
        s == null || s.web() == null ? "" : ", serving " + s.web().describe());
    return null;
  }

  /** The pipeline of a new connection (package-private for the fuzz tests). */
  void initSession(Channel ch) {
    RelaySettings s = settings;
    admitPending(ch, s == null ? RelaySettings.DEFAULT_MAX_PENDING : s.maxPending());
    ChannelPipeline p = ch.pipeline();
    if (s != null && s.idleTimeoutSeconds() > 0) {
      p.addLast("idle", new IdleStateHandler(0, 0, s.idleTimeoutSeconds(), TimeUnit.SECONDS));
    }
    if (s != null && s.tls() != null) {
      p.addLast("tls", s.tls().newHandler(ch.alloc(), pid));
    }
    p.addLast("http-decoder", new RequestDecoder());
    p.addLast("http-encoder", new HttpResponseEncoder());
    p.addLast("chunks", new ChunkedWriteHandler());
    p.addLast("gate", new HttpGate(this));
  }

  /**
   * Counts a new connection as pending until its handshake completes; beyond {@code max} pending
   * connections the oldest is dropped, so idle connections can neither exhaust file descriptors
   * nor lock out a real browser.
   */
  private void admitPending(Channel ch, int max) {
    Channel oldest = null;
    synchronized (pending) {
      pending.add(ch);
      if (pending.size() > max) {
        Iterator<Channel> it = pending.iterator();
        oldest = it.next();
        it.remove();
      }
    }
    ch.closeFuture().addListener(f -> upgraded(ch));
    if (oldest != null) {
      LOG.debug("{}: more than max.pending={} connections without a handshake; dropping the oldest, from {}", pid, max,
          oldest.remoteAddress());
      oldest.close();
    }
  }

  /** The connection is a session now (or gone): it no longer counts as pending. */
  void upgraded(Channel ch) {
    synchronized (pending) {
      pending.remove(ch);
    }
  }

  int pendingCount() {
    synchronized (pending) {
      return pending.size();
    }
  }

  /** The address actually bound, or null when not listening. */
  synchronized InetSocketAddress boundAddress() {
    return server == null ? null : (InetSocketAddress) server.localAddress();
  }

  /** Takes a session slot; false when {@code max.connections} sessions are open. */
  boolean admit() {
    RelaySettings s = settings;
    if (s == null) {
      return false;
    }
    int max = s.maxConnections();
    while (true) {
      int n = admitted.get();
      if (n >= max) {
        return false;
      }
      if (admitted.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives back a slot taken by {@link #admit} for a session that did not start. */
  void release() {
    admitted.decrementAndGet();
  }

  void opened(RelaySession session) {
    sessions.add(session);
  }

  void closed(RelaySession session) {
    if (sessions.remove(session)) {
      admitted.decrementAndGet();
    }
  }

  int sessionCount() {
    return sessions.size();
  }

  /** Stops listening and ends every session with close 1001; bounded in time. */
  synchronized void stop() {
    closeServer();
    settings = null;
    RecordWriter r = recorder;
    recorder = null;
    if (r != null) {
      r.stop();
    }
    List<Channel> waiting;
    synchronized (pending) {
      waiting = List.copyOf(pending);
    }
    waiting.forEach(Channel::close); // connections still in their HTTP phase: nothing to say goodbye to
    if (sessions.isEmpty()) {
      return;
    }
    LOG.info("{}: closing {} sessions", pid, sessions.size());
    for (RelaySession session : sessions) {
      session.shutdown(WebSocketProtocol.CLOSE_GOING_AWAY, "proxy removed");
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MS);
    for (RelaySession session : sessions) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !session.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
        session.abort();
      }
    }
  }

  private void closeServer() {
    if (server != null) {
      stopListening(server);
      server = null;
    }
  }

  private void stopListening(Channel serverChannel) {
    serverChannel.close().awaitUninterruptibly(BIND_TIMEOUT_S, TimeUnit.SECONDS);
    LOG.info("{}: stopped listening on {}", pid, serverChannel.localAddress());
  }
}
