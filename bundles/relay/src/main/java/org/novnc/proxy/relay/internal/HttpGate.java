package org.novnc.proxy.relay.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
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
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.novnc.proxy.codec.CodecSettings;
import org.novnc.proxy.codec.Handshake;
import org.novnc.proxy.codec.HandshakeResult;
import org.novnc.proxy.relay.Access;
import org.novnc.proxy.relay.AccessPolicy;
import org.novnc.proxy.relay.AccessRequest;
import org.novnc.proxy.relay.LoginOutcome;
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
  /** Largest form accepted ({@code POST /login}). */
  static final int MAX_FORM = 4096;
  static final String LOGIN = "/login";
  static final String LOGOUT = "/logout";
  static final String CHECK = "/auth/check";

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
  /** The body of the POST being read ({@code /login}), or null. */
  private ByteBuf body;

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
    if (body != null) {
      body.setZero(0, body.capacity());
      body.release();
      body = null;
    }
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
          refuse(ctx, status, problem, status == HttpResponseStatus.METHOD_NOT_ALLOWED ? Map.of("Allow", "GET, HEAD, POST") : Map.of());
          return;
        }
        request = r;
        if (r.method().equals(HttpMethod.POST)) {
          body = ctx.alloc().heapBuffer(MAX_FORM);
          pullBody(ctx);
        }
      }
      if (msg instanceof HttpContent content && body != null && request != null) {
        if (content.content().readableBytes() > body.maxWritableBytes()) {
          refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "A form here holds at most " + MAX_FORM + " bytes.", Map.of());
          return;
        }
        body.writeBytes(content.content());
        if (!(msg instanceof LastHttpContent)) {
          pullBody(ctx);
        }
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

  /**
   * The parser hands over one message per read: the rest of a form already received is asked for
   * on the next turn of the event loop (never from inside the parser's own callback).
   */
  private void pullBody(ChannelHandlerContext ctx) {
    ctx.executor().execute(() -> {
      RequestDecoder decoder = ctx.pipeline().get(RequestDecoder.class);
      if (decoder != null && body != null && !refused) {
        try {
          decoder.next(ctx.pipeline().context(decoder));
        } catch (Exception e) {
          exceptionCaught(ctx, e);
        }
      }
    });
  }

  /**
   * Why a request is refused before it is looked at, or null: GET and HEAD without a body, and
   * POST of a small form to {@code /login} and {@code /logout}.
   */
  private static String requestProblem(HttpRequest r) {
    boolean post = r.method().equals(HttpMethod.POST);
    if (post) {
      String path = new QueryStringDecoder(r.uri()).path();
      if (!path.equals(LOGIN) && !path.equals(LOGOUT)) {
        return "Method POST is served here for " + LOGIN + " and " + LOGOUT + " only.";
      }
      if (r.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) || HttpUtil.getContentLength(r, -1L) > MAX_FORM) {
        return "A form here is sent with Content-Length and holds at most " + MAX_FORM + " bytes.";
      }
    } else if (!r.method().equals(HttpMethod.GET) && !r.method().equals(HttpMethod.HEAD)) {
      return "Method " + r.method() + " is not served here (GET and HEAD; POST for " + LOGIN + ").";
    } else if (r.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) || HttpUtil.getContentLength(r, 0L) != 0) {
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
      String path = new QueryStringDecoder(request.uri()).path();
      if (request.method().equals(HttpMethod.POST)) {
        form(ctx, request, settings, host, path);
      } else if (path.equals(CHECK) && request.method().equals(HttpMethod.GET)) {
        check(ctx, request, settings, host);
      } else if (settings.web() != null) {
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
      refused(ctx, HttpResponseStatus.FORBIDDEN, "Origin " + origin + " may not open WebSockets here (see allowed.origins).", Map.of(), null);
      return;
    }
    busy = true; // nothing more is read or routed while the user is checked
    ctx.channel().config().setAutoRead(false);
    decide(ctx, request, settings, true, decision -> {
      if (decision.status() != null) {
        Map<String, String> headers = new HashMap<>(decision.headers());
        if (decision.status().code() == 401 && origin == null && settings.auth().contains("login")) {
          headers.put("WWW-Authenticate", "Basic realm=\"novnc-proxy\", charset=\"UTF-8\""); // non-browser clients only
        }
        refused(ctx, decision.status(), decision.reason(), headers, decision.access());
        return;
      }
      if (!listener.admit()) {
        decision.forget();
        String why = "This proxy has reached max.connections=" + settings.maxConnections() + ".";
        LOG.warn("{}: refused {}: {}", listener.pid(), ctx.channel().remoteAddress(), why);
        refused(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, why, Map.of(), decision.access());
        return;
      }
      upgrade(ctx, result, settings, decision, codec);
    });
  }

  /**
   * What a decision on a request came to: {@code status} null when it may go on to {@code target};
   * else the refusal. {@code access} is the authenticator's answer, null when the proxy has no {@code auth}.
   */
  private record Decision(HttpResponseStatus status, String reason, Map<String, String> headers, Access access, HostPort target,
      char[] password) {
    Decision(HttpResponseStatus status, String reason, Map<String, String> headers, Access access, HostPort target) {
      this(status, reason, headers, access, target, null);
    }

    static Decision refuse(HttpResponseStatus status, String reason, Access access) {
      forget(access == null ? null : access.password());
      return new Decision(status, reason, Map.of(), access, null);
    }

    /** The target's password this decision carries is not needed (a check, a refusal): cleared. */
    void forget() {
      forget(password);
    }

    private static void forget(char[] password) {
      if (password != null) {
        java.util.Arrays.fill(password, '\0');
      }
    }
  }

  /**
   * Who is asking and where they go, for an upgrade ({@code consume}: a one-time code is spent) or
   * a check; {@code then} runs on this connection's event loop, possibly later (JAAS logins run
   * elsewhere). Order: failure limit, user, token/target, target availability.
   */
  private void decide(ChannelHandlerContext ctx, HttpRequest request, RelaySettings settings, boolean consume,
      java.util.function.Consumer<Decision> then) {
    String address = address(ctx);
    if (settings.auth().isEmpty()) {
      then.accept(route(ctx, request, settings, null));
      return;
    }
    long wait = listener.failures().blockedSeconds(address, settings.maxFailures());
    if (wait > 0) {
      then.accept(new Decision(HttpResponseStatus.TOO_MANY_REQUESTS, "Too many failed attempts from this address; try again later.",
          Map.of("Retry-After", Long.toString(wait)), null, null));
      return;
    }
    AccessPolicy policy = listener.policy();
    if (policy == null) {
      LOG.warn("{}: refused {}: auth = {} needs the authentication service (bundle org.novnc.proxy.auth), which is not running",
          listener.pid(), ctx.channel().remoteAddress(), String.join(",", settings.auth()));
      then.accept(Decision.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "This proxy cannot check users right now.", null));
      return;
    }
    AccessRequest ask = new AccessRequest(address, tls(ctx) != null, peerCertificates(ctx),
        request.headers().get(HttpHeaderNames.COOKIE), request.headers().get(HttpHeaderNames.AUTHORIZATION),
        new QueryStringDecoder(request.uri()).parameters());
    CompletionStage<Access> answer;
    try {
      answer = policy.check(ask, consume);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((access, failure) -> ctx.executor().execute(() -> {
      if (!ctx.channel().isActive() || ctx.isRemoved()) {
        return;
      }
      if (failure != null || access == null) {
        LOG.error("{}: the authentication service failed on a request from {}: {}", listener.pid(), ctx.channel().remoteAddress(),
            failure == null ? "no answer" : failure.toString());
        then.accept(Decision.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "This proxy cannot check users right now.", null));
        return;
      }
      if (!access.isGranted()) {
        if (access.failure() && listener.failures().failed(address)) {
          LOG.warn("{}: refused {}{}: {} ({} failures this minute)", listener.pid(), ctx.channel().remoteAddress(),
              access.method() == null ? "" : " (" + access.method() + ")", access.reason(), listener.failures().failures(address));
        }
        then.accept(Decision.refuse(HttpResponseStatus.valueOf(access.status()), access.reason(), access));
        return;
      }
      then.accept(route(ctx, request, settings, access));
    }));
  }

  /** Where a request goes once the user is known: the target the proof names, a token's, or the proxy's own. */
  private Decision route(ChannelHandlerContext ctx, HttpRequest request, RelaySettings settings, Access access) {
    if (access != null && access.target() != null) {
      try {
        return new Decision(null, null, Map.of(), access, HostPort.parseTarget(access.target()), access.password());
      } catch (IllegalArgumentException e) {
        return Decision.refuse(HttpResponseStatus.FORBIDDEN, "The target " + access.target() + " " + e.getMessage() + ".", access);
      }
    }
    if (settings.tokens() != null) {
      return tokenTarget(ctx, request, settings, access);
    }
    if (settings.endpoint() != null && !settings.endpoint().available()) {
      LOG.warn("{}: refused {}: wrapper {} no longer listens on {}", listener.pid(), ctx.channel().remoteAddress(),
          settings.wrapper(), settings.endpoint());
      return Decision.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "The wrapped command is not listening right now.", access);
    }
    if (settings.target() == null) {
      LOG.warn("{}: refused {}: this proxy has no target right now", listener.pid(), ctx.channel().remoteAddress());
      return Decision.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "This proxy has no target right now.", access);
    }
    return new Decision(null, null, Map.of(), access, settings.target());
  }

  /** The target a {@code ?token=NAME} names, or the refusal (missing, unknown, too many failures). */
  private Decision tokenTarget(ChannelHandlerContext ctx, HttpRequest request, RelaySettings settings, Access access) {
    String address = address(ctx);
    long wait = listener.failures().blockedSeconds(address, settings.maxFailures());
    if (wait > 0) {
      return new Decision(HttpResponseStatus.TOO_MANY_REQUESTS, "Too many unknown tokens from this address; try again later.",
          Map.of("Retry-After", Long.toString(wait)), access, null);
    }
    List<String> tokens = new QueryStringDecoder(request.uri()).parameters().get("token");
    if (tokens == null || tokens.isEmpty() || tokens.get(0).isEmpty()) {
      return Decision.refuse(HttpResponseStatus.BAD_REQUEST, "This proxy needs ?token=NAME on the WebSocket URL.", access);
    }
    HostPort target = settings.tokens().lookup(tokens.get(0));
    if (target == null) {
      if (listener.failures().failed(address)) { // the token itself is never logged: it may be a near miss of a real one
        LOG.warn("{}: refused WebSocket from {}: unknown token ({} failures this minute)", listener.pid(),
            ctx.channel().remoteAddress(), listener.failures().failures(address));
      }
      return Decision.refuse(HttpResponseStatus.FORBIDDEN, "Unknown token.", access);
    }
    return new Decision(null, null, Map.of(), access, target, settings.tokens().password(tokens.get(0)));
  }

  /** {@code GET /auth/check}: what an upgrade with this request's query and cookies would meet, as JSON; spends nothing. */
  private void check(ChannelHandlerContext ctx, HttpRequest request, RelaySettings settings, String host) {
    busy = true;
    cancelTimeout();
    ctx.channel().config().setAutoRead(false);
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    if (!settings.origins().allows(origin, host)) {
      json(ctx, request, HttpResponseStatus.FORBIDDEN, null, Json.object("ok", false, "status", 403,
          "reason", "Origin " + origin + " may not open WebSockets here (see allowed.origins).", "login", false));
      return;
    }
    boolean login = settings.auth().contains("login");
    decide(ctx, request, settings, false, decision -> {
      String json;
      decision.forget();
      if (decision.status() == null) {
        Access a = decision.access();
        json = Json.object("ok", true, "user", a == null ? null : a.user(), "viewOnly", a != null && a.viewOnly(), "login", login);
      } else {
        String retry = decision.headers().get("Retry-After");
        json = Json.object("ok", false, "status", decision.status().code(), "reason", decision.reason(), "login", login,
            "retryAfter", retry == null ? null : Long.parseLong(retry));
      }
      json(ctx, request, HttpResponseStatus.OK, origin, json);
    });
  }

  /** {@code POST /login} and {@code POST /logout}. */
  private void form(ChannelHandlerContext ctx, HttpRequest request, RelaySettings settings, String host, String path) {
    busy = true;
    cancelTimeout();
    ctx.channel().config().setAutoRead(false);
    ByteBuf form = body;
    body = null;
    try {
      String origin = request.headers().get(HttpHeaderNames.ORIGIN);
      if (origin != null && !settings.origins().allows(origin, host)) {
        json(ctx, request, HttpResponseStatus.FORBIDDEN, null, Json.object("ok", false, "reason", "Origin " + origin + " may not log in here."));
        return;
      }
      AccessPolicy policy = listener.policy();
      if (!settings.auth().contains("login")) {
        json(ctx, request, HttpResponseStatus.NOT_FOUND, origin, Json.object("ok", false, "reason", "This proxy has no user login."));
        return;
      }
      if (policy == null) {
        json(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, origin, Json.object("ok", false, "reason", "This proxy cannot check users right now."));
        return;
      }
      boolean tls = tls(ctx) != null;
      if (path.equals(LOGOUT)) {
        FullHttpResponse r = jsonResponse(ctx, HttpResponseStatus.OK, origin, Json.object("ok", true));
        r.headers().set(HttpHeaderNames.SET_COOKIE, policy.logoutCookie(tls));
        reply(ctx, request, r);
        return;
      }
      String address = address(ctx);
      long wait = listener.failures().blockedSeconds(address, settings.maxFailures());
      if (wait > 0) {
        FullHttpResponse r = jsonResponse(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, origin,
            Json.object("ok", false, "reason", "Too many failed attempts from this address; try again later.", "retryAfter", wait));
        r.headers().set("Retry-After", Long.toString(wait));
        reply(ctx, request, r);
        return;
      }
      Map<String, List<String>> fields = new QueryStringDecoder(form.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8, false).parameters();
      String user = first(fields, "username");
      String password = first(fields, "password");
      if (user == null || user.isEmpty() || password == null) {
        json(ctx, request, HttpResponseStatus.BAD_REQUEST, origin, Json.object("ok", false, "reason", "The form needs username and password."));
        return;
      }
      char[] secret = password.toCharArray();
      CompletionStage<LoginOutcome> outcome;
      try {
        outcome = policy.login(user, secret, address, tls);
      } catch (RuntimeException e) {
        outcome = CompletableFuture.failedFuture(e);
      }
      outcome.whenComplete((o, failure) -> ctx.executor().execute(() -> {
        java.util.Arrays.fill(secret, '\0');
        if (!ctx.channel().isActive()) {
          return;
        }
        if (failure != null || o == null) {
          LOG.error("{}: the authentication service failed on a login from {}: {}", listener.pid(), ctx.channel().remoteAddress(),
              failure == null ? "no answer" : failure.toString());
          json(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, origin, Json.object("ok", false, "reason", "This proxy cannot check users right now."));
          return;
        }
        if (!o.ok()) {
          if (o.status() == 401 && listener.failures().failed(address)) {
            LOG.warn("{}: failed login from {} ({} failures this minute)", listener.pid(), ctx.channel().remoteAddress(),
                listener.failures().failures(address));
          }
          listener.audit().refused(address, user, "login", o.status(), o.reason());
          json(ctx, request, HttpResponseStatus.valueOf(o.status()), origin, Json.object("ok", false, "reason", o.reason()));
          return;
        }
        LOG.info("{}: {} logged in from {}", listener.pid(), o.user(), ctx.channel().remoteAddress());
        FullHttpResponse r = jsonResponse(ctx, HttpResponseStatus.OK, origin, Json.object("ok", true, "user", o.user()));
        r.headers().set(HttpHeaderNames.SET_COOKIE, o.setCookie());
        reply(ctx, request, r);
      }));
    } finally {
      form.setZero(0, form.capacity()); // the password was in it
      form.release();
    }
  }

  private static String first(Map<String, List<String>> fields, String name) {
    List<String> v = fields.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private void json(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String origin, String json) {
    reply(ctx, request, jsonResponse(ctx, status, origin, json));
  }

  /** A JSON answer; readable by the page of {@code origin} (already checked against allowed.origins), or by its own origin only when null. */
  private static FullHttpResponse jsonResponse(ChannelHandlerContext ctx, HttpResponseStatus status, String origin, String json) {
    ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), json);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff")
        .set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
    if (origin != null && !origin.equals("null")) {
      r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin).set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    return r;
  }

  /** Writes an answer of the HTTP phase; reading resumes when it has been written. */
  private void reply(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
    served++;
    boolean keepAlive = HttpUtil.isKeepAlive(request) && served < MAX_REQUESTS;
    WebFiles.send(ctx, response, keepAlive).addListener(f -> {
      if (!f.isSuccess() || !keepAlive) {
        ctx.close();
      } else {
        ctx.executor().execute(() -> nextRequest(ctx));
      }
    });
  }

  private static SslHandler tls(ChannelHandlerContext ctx) {
    return ctx.pipeline().get(SslHandler.class);
  }

  private static List<X509Certificate> peerCertificates(ChannelHandlerContext ctx) {
    SslHandler tls = tls(ctx);
    if (tls == null) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : tls.engine().getSession().getPeerCertificates()) {
        if (c instanceof X509Certificate x) {
          chain.add(x);
        }
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
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

  private void upgrade(ChannelHandlerContext ctx, HandshakeResult result, RelaySettings settings, Decision decision, CodecSettings codec) {
    Access a = decision.access();
    Audit.SessionInfo info = new Audit.SessionInfo(address(ctx), decision.target().toString(), a == null ? null : a.user(),
        a == null ? null : a.method(), a != null && a.viewOnly());
    RelaySession.RfbSpec rfb = null;
    if (settings.speaksRfb() || info.viewOnly() || decision.password() != null) {
      try {
        // the proof's password (an encrypted token, a token.file line) before the proxy's own
        char[] password = decision.password() != null ? decision.password()
            : settings.password() == null ? null : settings.password().read();
        RecordWriter writer = listener.recorder();
        rfb = new RelaySession.RfbSpec(settings.username(), password, settings.viewOnly() || info.viewOnly(),
            writer == null ? null : writer.open(info.target(), info.user(), settings.recordInput()));
      } catch (java.io.IOException e) {
        LOG.error("{}: target.password.file cannot be read ({}); session from {} refused", listener.pid(), e.getMessage(),
            ctx.channel().remoteAddress());
        listener.release();
        refused(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "This proxy cannot answer its server's authentication right now.",
            Map.of(), a);
        return;
      }
    }
    Audit.SessionInfo seen = new Audit.SessionInfo(info.client(), info.target(), info.user(), info.method(),
        rfb != null && rfb.viewOnly());
    RelaySession session = new RelaySession(listener, decision.target(), codec, result.subprotocol(), settings.heartbeatSeconds(),
        settings.debugReasons(), seen, rfb);
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

  /** Refuses a WebSocket upgrade: the audit event, then {@link #refuse}. */
  private void refused(ChannelHandlerContext ctx, HttpResponseStatus status, String text, Map<String, String> headers, Access access) {
    listener.audit().refused(address(ctx), access == null ? null : access.user(), access == null ? null : access.method(),
        status.code(), text);
    refuse(ctx, status, text, headers);
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
