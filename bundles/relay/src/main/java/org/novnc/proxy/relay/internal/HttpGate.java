package org.novnc.proxy.relay.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.novnc.proxy.codec.CodecSettings;
import org.novnc.proxy.codec.Handshake;
import org.novnc.proxy.codec.HandshakeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP phase of a connection: Netty parses the request, the codec decides the handshake,
 * and on success this handler hands the channel to a {@link RelaySession} and leaves.
 */
final class HttpGate extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HttpGate.class);
  /** A connection that has not completed its request by then is dropped. */
  private static final long REQUEST_TIMEOUT_S = 10;

  private final RelayListener listener;
  private ScheduledFuture<?> timeout;
  /** The request whose end (its LastHttpContent) has not been seen yet. */
  private HttpRequest request;

  HttpGate(RelayListener listener) {
    this.listener = listener;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    armTimeout(ctx);
  }

  private void armTimeout(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(() -> {
      LOG.debug("{}: {} sent no complete request within {} s", listener.pid(), ctx.channel().remoteAddress(), REQUEST_TIMEOUT_S);
      ctx.close();
    }, REQUEST_TIMEOUT_S, TimeUnit.SECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    timeout.cancel(false);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest r) {
        if (!r.decoderResult().isSuccess()) {
          route(ctx, r); // a malformed request has no end to wait for
          return;
        }
        request = r;
      }
      // decide once the whole request has been read, so no request bytes reach the session
      if (msg instanceof LastHttpContent && request != null) {
        HttpRequest r = request;
        request = null;
        route(ctx, r);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void route(ChannelHandlerContext ctx, HttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      respond(ctx, HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request: " + request.decoderResult().cause().getMessage(), Map.of());
      return;
    }
    RelaySettings settings = listener.settings();
    if (!wantsWebSocket(request)) {
      if (settings != null && settings.web() != null) {
        timeout.cancel(false);
        WebFiles.serve(ctx, request, settings.web(), listener.pid());
        armTimeout(ctx);
      } else {
        respond(ctx, HttpResponseStatus.NOT_FOUND, "This port serves WebSocket connections only.", Map.of());
      }
      return;
    }
    CodecSettings codec = listener.codec().settings();
    HandshakeResult result = Handshake.evaluate(new NettyHandshakeRequest(request), codec);
    if (!result.accepted()) {
      LOG.debug("{}: handshake from {} refused: {} {}", listener.pid(), ctx.channel().remoteAddress(), result.status(), result.reason());
      respond(ctx, HttpResponseStatus.valueOf(result.status()), result.reason(), result.headers());
      return;
    }
    if (settings == null) {
      respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "This proxy is stopping.", Map.of());
      return;
    }
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    if (!settings.origins().allows(origin, request.headers().get(HttpHeaderNames.HOST))) {
      LOG.warn("{}: refused WebSocket from {}: origin {} is not allowed (allowed.origins)", listener.pid(), ctx.channel().remoteAddress(), origin);
      respond(ctx, HttpResponseStatus.FORBIDDEN, "Origin " + origin + " may not open WebSockets here (see allowed.origins).", Map.of());
      return;
    }
    HostPort target = settings.target();
    if (settings.tokens() != null) {
      List<String> tokens = new QueryStringDecoder(request.uri()).parameters().get("token");
      if (tokens == null || tokens.isEmpty() || tokens.get(0).isEmpty()) {
        respond(ctx, HttpResponseStatus.BAD_REQUEST, "This proxy needs ?token=NAME on the WebSocket URL.", Map.of());
        return;
      }
      target = settings.tokens().lookup(tokens.get(0));
      if (target == null) {
        LOG.warn("{}: refused WebSocket from {}: unknown token '{}'", listener.pid(), ctx.channel().remoteAddress(), tokens.get(0));
        respond(ctx, HttpResponseStatus.FORBIDDEN, "Unknown token.", Map.of());
        return;
      }
    }
    if (target == null || !listener.admit()) {
      String why = target == null ? "This proxy has no target right now." : "This proxy has reached max.connections=" + settings.maxConnections() + ".";
      LOG.warn("{}: refused {}: {}", listener.pid(), ctx.channel().remoteAddress(), why);
      respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, why, Map.of());
      return;
    }
    upgrade(ctx, result, settings, target, codec);
  }

  /** An Upgrade to anything but websocket (e.g. HTTP/2's h2c) is ignored, as RFC 9110 allows. */
  private static boolean wantsWebSocket(HttpRequest request) {
    for (String value : request.headers().getAll(HttpHeaderNames.UPGRADE)) {
      for (String token : value.split(",")) {
        if (token.trim().equalsIgnoreCase("websocket")) {
          return true;
        }
      }
    }
    return false;
  }

  private void upgrade(ChannelHandlerContext ctx, HandshakeResult result, RelaySettings settings, HostPort target, CodecSettings codec) {
    RelaySession session = new RelaySession(listener, target, codec, result.subprotocol(), settings.heartbeatSeconds());
    HttpServerCodec http = ctx.pipeline().get(HttpServerCodec.class);
    ctx.pipeline().addAfter(ctx.name(), "session", session);
    ctx.pipeline().remove(this);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
    result.headers().forEach(response.headers()::set);
    // write() encodes at once on this event loop, so the encoder can leave before any frame is written
    ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    http.removeOutboundHandler();
    // bytes after the request belong to the WebSocket: the decoder hands them on as it leaves
    http.removeInboundHandler();
    session.start();
  }

  private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String text, Map<String, String> headers) {
    FullHttpResponse response = WebFiles.text(ctx, status, text);
    headers.forEach(response.headers()::set);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }


  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("{}: connection from {} failed before the handshake: {}", listener.pid(), ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
