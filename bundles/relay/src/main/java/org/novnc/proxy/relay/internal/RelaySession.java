package org.novnc.proxy.relay.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.novnc.proxy.codec.Base64Payload;
import org.novnc.proxy.codec.CodecSettings;
import org.novnc.proxy.codec.FrameDecoder;
import org.novnc.proxy.codec.FrameEncoder;
import org.novnc.proxy.codec.FrameListener;
import org.novnc.proxy.codec.WebSocketException;
import org.novnc.proxy.codec.WebSocketProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed session: the browser's WebSocket on one side, a TCP connection to the target on the
 * other. Everything runs on the client channel's event loop (the target channel shares it).
 *
 * <p>Downstream, each read from the target becomes one frame: a small header buffer and the read
 * buffer itself, written together (one gathering write, payload not copied). Upstream, the codec
 * unmasks client frames in place and each payload chunk goes on as a slice of the read buffer.
 * Backpressure: a side that cannot take more stops the other side's reads (write-buffer water marks).
 */
final class RelaySession extends ChannelInboundHandlerAdapter implements FrameListener {
  private static final Logger LOG = LoggerFactory.getLogger(RelaySession.class);

  private final RelayListener listener;
  private final HostPort target;
  private final CodecSettings codec;
  private final boolean base64;
  private final FrameDecoder decoder;
  private final Base64Payload.Decoder base64Decoder;
  private final long startNanos = System.nanoTime();

  private Channel client;
  private Channel targetChannel;
  /** Upstream payload that arrived before the target connection was up. */
  private ArrayDeque<ByteBuf> early;
  private boolean closeSent;
  private int closeCode = WebSocketProtocol.CLOSE_ABNORMAL;
  private String closeReason = "";
  private boolean ended;
  private final long heartbeatNanos;
  /** Whether the browser may read the target's address and the exact error in close reasons. */
  private final boolean debugReasons;
  private long lastHeard = System.nanoTime();
  private ScheduledFuture<?> heartbeatTask;
  private long bytesUp;
  private long bytesDown;

  // the read being decoded: maps the decoder's payload views back to slices of this buffer
  private ByteBuf reading;
  private int readingNioStart;

  private final Audit.SessionInfo info;
  /** The RFB layer, or null: bytes pass untouched both ways. */
  private final RfbFilter rfb;

  RelaySession(RelayListener listener, HostPort target, CodecSettings codec, String subprotocol, long heartbeatSeconds,
      boolean debugReasons) {
    this(listener, target, codec, subprotocol, heartbeatSeconds, debugReasons, null, null);
  }

  /**
   * @param info who the session is, for the log line and the audit events; null: not known (tests)
   * @param rfb what the RFB layer needs (password, view-only), or null for none
   */
  RelaySession(RelayListener listener, HostPort target, CodecSettings codec, String subprotocol, long heartbeatSeconds,
      boolean debugReasons, Audit.SessionInfo info, RfbSpec rfb) {
    this.info = info;
    this.rfb = rfb == null ? null : new RfbFilter(rfb.username(), rfb.password(), rfb.viewOnly(), rfb.recorder(), this::toTarget,
        this::toClient);
    this.debugReasons = debugReasons;
    this.heartbeatNanos = TimeUnit.SECONDS.toNanos(heartbeatSeconds);
    this.listener = listener;
    this.target = target;
    this.codec = codec;
    this.base64 = "base64".equals(subprotocol);
    this.decoder = new FrameDecoder(codec);
    this.base64Decoder = base64 ? new Base64Payload.Decoder() : null;
  }

  ChannelFuture closeFuture() {
    return client.closeFuture();
  }

  // ---- lifecycle ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    client = ctx.channel();
    client.config().setAutoRead(false);
    listener.opened(this);
    if (info != null) {
      listener.audit().opened(info);
    }
  }

  /** What a session's RFB layer needs: the target's password (or null), whether it is view-only, its recording (or null). */
  record RfbSpec(String username, char[] password, boolean viewOnly, RecordWriter.Session recorder) {
    RfbSpec(char[] password, boolean viewOnly) {
      this(null, password, viewOnly, null);
    }
  }

  /** Connects to the target; called once the 101 response has been written. */
  void start() {
    if (rfb != null) {
      rfb.start(); // the proxy's ProtocolVersion: the browser talks to the proxy's RFB server side
      client.flush();
    }
    TargetConnector.connect(listener.loops(), client.eventLoop(), target, new TargetSide(),
        () -> !closeSent && client.isActive(), new TargetConnector.Outcome() {
          @Override
          public void connected(Channel channel) {
            targetConnected(channel);
          }

          @Override
          public void failed(String why) {
            targetFailed(WebSocketProtocol.CLOSE_BAD_GATEWAY, "target unreachable", "unreachable: " + why);
          }
        });
  }

  private void targetConnected(Channel channel) {
    targetChannel = channel;
    if (closeSent || !client.isActive()) {
      targetChannel.close();
      return;
    }
    if (early != null) {
      while (!early.isEmpty()) {
        targetChannel.write(early.poll());
      }
      targetChannel.flush();
      early = null;
    }
    targetChannel.config().setAutoRead(true);
    client.config().setAutoRead(true);
    if (heartbeatNanos > 0) {
      heartbeatTask = client.eventLoop().scheduleAtFixedRate(this::heartbeat, heartbeatNanos, heartbeatNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Pings the browser; one that has sent nothing (not even a pong) for two intervals is dropped. */
  private void heartbeat() {
    if (System.nanoTime() - lastHeard > 2 * heartbeatNanos) {
      LOG.info("{}: {} answered no heartbeat for {} s; dropping it", listener.pid(), client.remoteAddress(),
          TimeUnit.NANOSECONDS.toSeconds(2 * heartbeatNanos));
      closeCode = WebSocketProtocol.CLOSE_GOING_AWAY;
      closeReason = "no heartbeat";
      client.close();
      return;
    }
    if (!closeSent) {
      client.writeAndFlush(Unpooled.wrappedBuffer(FrameEncoder.controlFrame(WebSocketProtocol.OPCODE_PING, ByteBuffer.allocate(0))), client.voidPromise());
    }
  }

  /** Ends the session from outside (configuration deleted): close frame, then both channels. */
  void shutdown(int code, String reason) {
    client.eventLoop().execute(() -> sendClose(code, reason));
  }

  /** Ends the session at once, no close handshake. */
  void abort() {
    client.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (heartbeatTask != null) {
      heartbeatTask.cancel(false);
    }
    if (targetChannel != null && targetChannel.isActive()) {
      targetChannel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    releaseEarly();
    if (rfb != null) {
      rfb.close();
    }
    end();
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    listener.closed(this);
    long nanos = System.nanoTime() - startNanos;
    String who = info == null || info.method() == null ? "" : " user=" + info.user() + " via=" + info.method();
    LOG.info("{}: session {} -> {} ended after {} s: {} bytes up, {} bytes down, close {}{}{}",
        listener.pid(), client.remoteAddress(), target, String.format("%.1f", nanos / 1e9), bytesUp, bytesDown,
        closeCode, closeReason.isEmpty() ? "" : " (" + closeReason + ")", who);
    if (info != null) {
      listener.audit().closed(info, bytesUp, bytesDown, TimeUnit.NANOSECONDS.toMillis(nanos), closeCode, closeReason);
    }
  }

  private void releaseEarly() {
    if (early != null) {
      early.forEach(ByteBuf::release);
      early = null;
    }
  }

  // ---- upstream: client frames -> target bytes ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (heartbeatNanos > 0) {
      lastHeard = System.nanoTime();
    }
    ByteBuf buf = (ByteBuf) msg;
    ByteBuf frames = buf;
    try {
      if (buf.nioBufferCount() != 1) {
        frames = ctx.alloc().directBuffer(buf.readableBytes());
        frames.writeBytes(buf);
      }
      ByteBuffer nio = frames.nioBuffer(frames.readerIndex(), frames.readableBytes());
      reading = frames;
      readingNioStart = nio.position() - frames.readerIndex();
      decoder.decode(nio, this);
    } catch (WebSocketException e) {
      LOG.debug("{}: protocol error from {}: {} {}", listener.pid(), client.remoteAddress(), e.closeCode(), e.getMessage());
      fail(e.closeCode(), e.getMessage());
    } finally {
      reading = null;
      if (frames != buf) {
        frames.release();
      }
      buf.release();
    }
  }

  @Override
  public void onData(ByteBuffer payload, boolean text, boolean messageStart, boolean messageEnd) {
    if (closeSent) {
      return;
    }
    ByteBuf data;
    if (text && base64) {
      ByteBuffer decoded = base64Decoder.decode(payload, messageEnd);
      if (!decoded.hasRemaining()) {
        return;
      }
      data = Unpooled.wrappedBuffer(decoded);
    } else {
      if (!payload.hasRemaining()) {
        return;
      }
      data = reading.retainedSlice(payload.position() - readingNioStart, payload.remaining());
    }
    bytesUp += data.readableBytes();
    if (rfb != null) {
      try {
        rfb.fromClient(data, this::toTarget);
      } catch (org.novnc.proxy.rfb.RfbException e) {
        LOG.info("{}: {} broke the RFB protocol: {}", listener.pid(), client.remoteAddress(), e.getMessage());
        fail(WebSocketProtocol.CLOSE_POLICY_VIOLATION, e.getMessage());
        return;
      }
      endIfRefused();
      return;
    }
    toTarget(data);
  }

  /** Once the browser has been told that the server refused the proxy's credentials, the session ends. */
  private void endIfRefused() {
    String failed = rfb.failed();
    if (failed != null && !closeSent) {
      LOG.info("{}: target {} refused the proxy's credentials: {}", listener.pid(), target, failed);
      client.flush();
      sendClose(WebSocketProtocol.CLOSE_NORMAL, "authentication failed", "target refused the proxy's credentials: " + failed);
    }
  }

  /** Bytes for the target: written, or kept until it is connected. */
  private void toTarget(ByteBuf data) {
    if (targetChannel == null) {
      if (early == null) {
        early = new ArrayDeque<>();
      }
      early.add(data);
    } else {
      targetChannel.write(data, targetChannel.voidPromise());
    }
  }

  @Override
  public void onPing(ByteBuffer payload) {
    if (!closeSent) {
      client.write(Unpooled.wrappedBuffer(FrameEncoder.controlFrame(WebSocketProtocol.OPCODE_PONG, payload)), client.voidPromise());
    }
  }

  @Override
  public void onPong(ByteBuffer payload) {
    // unsolicited pongs are allowed (RFC 6455 5.5.3) and mean nothing here
  }

  @Override
  public void onClose(int code, String reason) {
    if (closeSent) {
      client.close();
      return;
    }
    closeCode = code;
    closeReason = reason;
    closeSent = true;
    ByteBuffer reply = code == WebSocketProtocol.CLOSE_NO_STATUS
        ? FrameEncoder.header(WebSocketProtocol.OPCODE_CLOSE, true, 0)
        : FrameEncoder.closeFrame(code, "");
    client.writeAndFlush(Unpooled.wrappedBuffer(reply)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    client.flush();
    if (targetChannel != null) {
      targetChannel.flush();
      if (!targetChannel.isWritable()) {
        client.config().setAutoRead(false);
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (client.isWritable() && targetChannel != null && targetChannel.isActive()) {
      targetChannel.config().setAutoRead(true);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      sendClose(WebSocketProtocol.CLOSE_GOING_AWAY, "idle timeout");
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("{}: client {} failed: {}", listener.pid(), client.remoteAddress(), cause.toString());
    client.close();
  }

  /**
   * Fails the WebSocket connection (RFC 6455 section 7.1.7): after a protocol error the close frame
   * is written and the connection closed right after it, without waiting for the client's answer
   * or reading anything more; the target is closed at once.
   */
  private void fail(int code, String reason) {
    client.config().setAutoRead(false);
    if (targetChannel != null) {
      targetChannel.close();
    }
    if (closeSent) {
      client.close();
      return;
    }
    closeSent = true;
    closeCode = code;
    closeReason = reason;
    client.writeAndFlush(Unpooled.wrappedBuffer(FrameEncoder.closeFrame(code, reason))).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Starts the close handshake: a close frame after any data already queued, then the client has
   * {@code close.timeout} to answer before the connection is dropped. The target is closed too.
   */
  private void sendClose(int code, String reason) {
    sendClose(code, reason, reason);
  }

  /** Closes for a target failure: the log line names the target and the error, the browser only with debug.reasons. */
  private void targetFailed(int code, String plain, String detail) {
    String full = "target " + target + " " + detail;
    sendClose(code, debugReasons ? full : plain, full);
  }

  /** {@code reason} goes to the browser, {@code logged} to the session's log line. */
  private void sendClose(int code, String reason, String logged) {
    if (closeSent || !client.isActive()) {
      return;
    }
    closeSent = true;
    closeCode = code;
    closeReason = logged;
    if (targetChannel != null && targetChannel.isActive()) {
      targetChannel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    ChannelFuture sent = client.writeAndFlush(Unpooled.wrappedBuffer(FrameEncoder.closeFrame(code, reason)));
    if (decoder.closeReceived()) {
      sent.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    client.config().setAutoRead(true); // to read the client's close reply
    client.eventLoop().schedule(() -> {
      client.close();
    }, codec.closeTimeoutMillis(), TimeUnit.MILLISECONDS);
  }

  // ---- downstream: target bytes -> client frames ----

  private final class TargetSide extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf data = (ByteBuf) msg;
      int length = data.readableBytes();
      if (closeSent || length == 0) {
        data.release();
        return;
      }
      bytesDown += length;
      if (rfb != null) {
        try {
          data = rfb.fromServer(data);
        } catch (org.novnc.proxy.rfb.RfbException e) {
          LOG.info("{}: target {} broke the RFB protocol: {}", listener.pid(), target, e.getMessage());
          sendClose(WebSocketProtocol.CLOSE_INTERNAL_ERROR, "the VNC server broke the protocol", "target broke the RFB protocol: " + e.getMessage());
          return;
        }
        endIfRefused();
        if (data == null) {
          return;
        }
      }
      toClient(data);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      client.flush();
      if (rfb != null && targetChannel != null) {
        targetChannel.flush(); // the handshake answers the server as it reads
      }
      if (!client.isWritable()) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable() && client.isActive() && !closeSent) {
        client.config().setAutoRead(true);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (heartbeatTask != null) {
        heartbeatTask.cancel(false);
      }
      if (rfb != null && rfb.failurePending() && !closeSent && client.isActive()) {
        // the server said why it refused and hung up: the browser hears it when it gets that far (10 s at most)
        client.eventLoop().schedule(() -> sendClose(WebSocketProtocol.CLOSE_NORMAL, "authentication failed",
            "target refused the proxy's credentials: " + rfb.failurePendingReason()), 10, TimeUnit.SECONDS);
        return;
      }
      if (!closeSent && client.isActive()) {
        sendClose(WebSocketProtocol.CLOSE_NORMAL, "target closed the connection");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("{}: target {} failed: {}", listener.pid(), target, cause.toString());
      if (!closeSent && client.isActive()) {
        targetFailed(WebSocketProtocol.CLOSE_INTERNAL_ERROR, "target connection failed", "failed: " + cause.getMessage());
      }
      ctx.close();
    }
  }

  /** Bytes for the browser, as one binary (or base64 text) WebSocket frame; {@code data} is released. */
  private void toClient(ByteBuf data) {
    int length = data.readableBytes();
    if (base64) {
      ByteBuffer text = Base64Payload.encode(data.nioBuffer());
      data.release();
      client.write(frameHeader(WebSocketProtocol.OPCODE_TEXT, text.remaining()), client.voidPromise());
      client.write(Unpooled.wrappedBuffer(text), client.voidPromise());
    } else {
      client.write(frameHeader(WebSocketProtocol.OPCODE_BINARY, length), client.voidPromise());
      client.write(data, client.voidPromise());
    }
  }

  private ByteBuf frameHeader(int opcode, int length) {
    int n = FrameEncoder.headerLength(length);
    ByteBuf header = client.alloc().directBuffer(n, n);
    FrameEncoder.writeHeader(header.internalNioBuffer(0, n), opcode, true, length);
    header.writerIndex(n);
    return header;
  }
}
