package org.novnc.proxy.relay.internal;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
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
 *
 * <p>One request at a time: while a page reply is being written nothing more is read (the
 * {@link RequestDecoder} keeps pipelined requests as bytes), so a client that sends requests and
 * reads no replies holds one reply, not thousands. A connection may wait at most
 * {@link #REQUEST_TIMEOUT_MILLIS} for each complete request and is closed after {@link #MAX_REQUESTS}.
 */
final class HttpGate extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HttpGate.class);
  /** From connecting, or from the end of the last reply, to a complete request. */
  static final long REQUEST_TIMEOUT_MILLIS = 10_000;
  /** Page requests served on one connection before it is closed (browsers open another). */
  static final int MAX_REQUESTS = 100;
  private static final int MAX_HEADERS = 100;
  private static final int MAX_HEADER_LINE = 8192;
  private static final int MAX_HEADER_BYTES = 32 * 1024;
  /** Complete requests held while a reply is written (more can only come from one decrypted read). */
  private static final int MAX_WAITING = 16;

  private final RelayListener listener;
  private ScheduledFuture<?> timeout;
  /** The request whose end (its LastHttpContent) has not been seen yet. */
  private HttpRequest request;
  /** A page reply is being written: requests wait. */
  private boolean busy;
  /** A refusal is on its way and the connection closes after it: nothing more is read. */
  private boolean refused;
  private int served;
  private final ArrayDeque<HttpRequest> waiting = new ArrayDeque<>(2);

  HttpGate(RelayListener listener) {
    this.listener = listener;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    armTimeout(ctx);
  }

  private void armTimeout(ChannelHandlerContext ctx) {
    cancelTimeout();
    long millis = listener.requestTimeoutMillis();
    timeout = ctx.executor().schedule(() -> {
      LOG.debug("{}: {} sent no complete request within {} ms", listener.pid(), ctx.channel().remoteAddress(), millis);
      ctx.close();
    }, millis, TimeUnit.MILLISECONDS);
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimeout();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (refused) {
        return;
      }
      if (msg instanceof HttpRequest r) {
        if (!r.decoderResult().isSuccess()) {
          refuseMalformed(ctx, r.decoderResult().cause());
          return;
        }
        String tooLarge = headerProblem(r);
        if (tooLarge != null) {
          refuse(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, tooLarge, Map.of());
          return;
        }
        String problem = requestProblem(r);
        if (problem != null) {
          HttpResponseStatus status = problem.startsWith("Method") ? HttpResponseStatus.METHOD_NOT_ALLOWED : HttpResponseStatus.BAD_REQUEST;
          refuse(ctx, status, problem, status == HttpResponseStatus.METHOD_NOT_ALLOWED ? Map.of("Allow", "GET, HEAD") : Map.of());
          return;
        }
        request = r;
      }
      // decide once the whole request has been read, so no request bytes reach the session
      if (msg instanceof LastHttpContent && request != null) {
        HttpRequest r = request;
        request = null;
        if (!busy) {
          route(ctx, r);
        } else if (waiting.size() < MAX_WAITING) {
          waiting.add(r);
        } else {
          LOG.debug("{}: {} pipelined more than {} requests into one read; closing", listener.pid(), ctx.channel().remoteAddress(), MAX_WAITING);
          ctx.close();
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Why a request is refused before it is looked at, or null: only GET and HEAD, never with a body. */
  private static String requestProblem(HttpRequest r) {
    if (!r.method().equals(HttpMethod.GET) && !r.method().equals(HttpMethod.HEAD)) {
      return "Method " + r.method() + " is not served here (GET and HEAD only).";
    }
    if (r.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) || HttpUtil.getContentLength(r, 0L) != 0) {
      return "A GET or HEAD request cannot carry a body here.";
    }
    String uri = r.uri();
    if (!uri.startsWith("/") && !uri.equals("*")) {
      // absolute form (RFC 9112 section 3.2.2): its authority must be the Host this request is for
      String host = r.headers().get(HttpHeaderNames.HOST);
      java.net.URI u;
      try {
        u = new java.net.URI(uri);
      } catch (java.net.URISyntaxException e) {
        return "The request target is not a valid URI.";
      }
      if (u.getRawAuthority() == null || host == null || !u.getRawAuthority().equalsIgnoreCase(host.trim())) {
        return "An absolute request target must name the host of the Host header; this is not a forward proxy.";
      }
    }
    return null;
  }

  /** Headers beyond what a browser sends: a line over 8 KiB, over 32 KiB in all, or more than 100 (431). */
  private static String headerProblem(HttpRequest r) {
    if (r.headers().size() > MAX_HEADERS) {
      return "More than " + MAX_HEADERS + " header fields.";
    }
    int total = 0;
    for (Map.Entry<String, String> h : r.headers()) {
      int line = h.getKey().length() + h.getValue().length() + 2;
      if (line > MAX_HEADER_LINE) {
        return "Header field " + h.getKey() + " is longer than " + MAX_HEADER_LINE + " bytes.";
      }
      total += line;
    }
    return total > MAX_HEADER_BYTES ? "Header fields longer than " + MAX_HEADER_BYTES + " bytes in all." : null;
  }

  private void refuseMalformed(ChannelHandlerContext ctx, Throwable cause) {
    HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
        : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
        : HttpResponseStatus.BAD_REQUEST;
    String why = cause instanceof TooLongFrameException ? cause.getMessage() : "Malformed HTTP request: " + cause.getMessage();
    LOG.debug("{}: refused request from {}: {}", listener.pid(), ctx.channel().remoteAddress(), why);
    refuse(ctx, status, why, Map.of());
  }

  private void route(ChannelHandlerContext ctx, HttpRequest request) {
    RelaySettings settings = listener.settings();
    if (settings == null) {
      refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "This proxy is stopping.", Map.of());
      return;
    }
    String host = request.headers().get(HttpHeaderNames.HOST);
    if (host == null || request.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
      refuse(ctx, HttpResponseStatus.BAD_REQUEST, "The request needs exactly one Host header.", Map.of());
      return;
    }
    if (!settings.hosts().allows(host)) {
      if (listener.failures().failed("host " + address(ctx))) {
        LOG.warn("{}: refused request from {}: Host '{}' is not a name of this proxy (allowed.hosts)", listener.pid(),
            ctx.channel().remoteAddress(), host);
      }
      refuse(ctx, HttpResponseStatus.FORBIDDEN, "This proxy does not answer to the name in the Host header (see allowed.hosts).", Map.of());
      return;
    }
    if (!wantsWebSocket(request)) {
      if (settings.web() != null) {
        servePage(ctx, request, settings);
      } else {
        refuse(ctx, HttpResponseStatus.NOT_FOUND, "This port serves WebSocket connections only.", Map.of());
      }
      return;
    }
    CodecSettings codec = listener.codec().settings();
    HandshakeResult result = Handshake.evaluate(new NettyHandshakeRequest(request), codec);
    if (!result.accepted()) {
      LOG.debug("{}: handshake from {} refused: {} {}", listener.pid(), ctx.channel().remoteAddress(), result.status(), result.reason());
      refuse(ctx, HttpResponseStatus.valueOf(result.status()), result.reason(), result.headers());
      return;
    }
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    if (!settings.origins().allows(origin, host)) {
      LOG.warn("{}: refused WebSocket from {}: origin {} is not allowed (allowed.origins)", listener.pid(), ctx.channel().remoteAddress(), origin);
      refuse(ctx, HttpResponseStatus.FORBIDDEN, "Origin " + origin + " may not open WebSockets here (see allowed.origins).", Map.of());
      return;
    }
    HostPort target = settings.target();
    if (settings.tokens() != null) {
      target = tokenTarget(ctx, request, settings);
      if (target == null) {
        return;
      }
    } else if (settings.endpoint() != null && !settings.endpoint().available()) {
      LOG.warn("{}: refused {}: wrapper {} no longer listens on {}", listener.pid(), ctx.channel().remoteAddress(),
          settings.wrapper(), settings.endpoint());
      refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "The wrapped command is not listening right now.", Map.of());
      return;
    }
    if (target == null || !listener.admit()) {
      String why = target == null ? "This proxy has no target right now." : "This proxy has reached max.connections=" + settings.maxConnections() + ".";
      LOG.warn("{}: refused {}: {}", listener.pid(), ctx.channel().remoteAddress(), why);
      refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, why, Map.of());
      return;
    }
    upgrade(ctx, result, settings, target, codec);
  }

  /** The target a {@code ?token=NAME} names, or null after refusing (missing, unknown, too many failures). */
  private HostPort tokenTarget(ChannelHandlerContext ctx, HttpRequest request, RelaySettings settings) {
    String address = address(ctx);
    long wait = listener.failures().blockedSeconds(address, settings.maxFailures());
    if (wait > 0) {
      refuse(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, "Too many unknown tokens from this address; try again later.",
          Map.of("Retry-After", Long.toString(wait)));
      return null;
    }
    List<String> tokens = new QueryStringDecoder(request.uri()).parameters().get("token");
    if (tokens == null || tokens.isEmpty() || tokens.get(0).isEmpty()) {
      refuse(ctx, HttpResponseStatus.BAD_REQUEST, "This proxy needs ?token=NAME on the WebSocket URL.", Map.of());
      return null;
    }
    HostPort target = settings.tokens().lookup(tokens.get(0));
    if (target == null) {
      if (listener.failures().failed(address)) { // the token itself is never logged: it may be a near miss of a real one
        LOG.warn("{}: refused WebSocket from {}: unknown token ({} failures this minute)", listener.pid(),
            ctx.channel().remoteAddress(), listener.failures().failures(address));
      }
      refuse(ctx, HttpResponseStatus.FORBIDDEN, "Unknown token.", Map.of());
    }
    return target;
  }

  private static String address(ChannelHandlerContext ctx) {
    SocketAddress a = ctx.channel().remoteAddress();
    return a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress() : String.valueOf(a);
  }

  /** Serves one page; reading resumes when its reply has been written. */
  private void servePage(ChannelHandlerContext ctx, HttpRequest request, RelaySettings settings) {
    busy = true;
    cancelTimeout();
    ctx.channel().config().setAutoRead(false);
    served++;
    boolean keepAlive = HttpUtil.isKeepAlive(request) && served < MAX_REQUESTS;
    ChannelFuture written = WebFiles.serve(ctx, request, settings.web(), listener.pid(), settings.frames(), keepAlive);
    written.addListener(f -> {
      if (!f.isSuccess() || !keepAlive) {
        ctx.close();
      } else {
        ctx.executor().execute(() -> nextRequest(ctx)); // never recursively: replies can complete at once
      }
    });
  }

  private void nextRequest(ChannelHandlerContext ctx) {
    busy = false;
    if (ctx.isRemoved() || !ctx.channel().isActive()) {
      return;
    }
    armTimeout(ctx);
    if (!waiting.isEmpty()) {
      route(ctx, waiting.poll());
      return;
    }
    RequestDecoder decoder = ctx.pipeline().get(RequestDecoder.class);
    try {
      decoder.next(ctx.pipeline().context(decoder));
    } catch (Exception e) {
      exceptionCaught(ctx, e);
      return;
    }
    if (!busy && !refused && !ctx.isRemoved()) {
      ctx.channel().config().setAutoRead(true);
    }
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
    RelaySession session = new RelaySession(listener, target, codec, result.subprotocol(), settings.heartbeatSeconds(),
        settings.debugReasons());
    listener.upgraded(ctx.channel());
    ctx.pipeline().addAfter(ctx.name(), "session", session);
    ctx.pipeline().remove(this);
    ctx.pipeline().remove(ChunkedWriteHandler.class);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
    result.headers().forEach(response.headers()::set);
    // write() encodes at once on this event loop, so the encoder can leave before any frame is written
    ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    ctx.pipeline().remove(HttpResponseEncoder.class);
    // bytes after the request belong to the WebSocket: the decoder hands them on as it leaves
    ctx.pipeline().remove(RequestDecoder.class);
    session.start();
  }

  /** Answers with an error and closes the connection; nothing after the request is read. */
  private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String text, Map<String, String> headers) {
    refused = true;
    cancelTimeout();
    ctx.channel().config().setAutoRead(false);
    FullHttpResponse response = WebFiles.text(ctx, status, text);
    headers.forEach(response.headers()::set);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
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
