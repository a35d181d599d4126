package org.novnc.proxy.relay.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Date;
import org.novnc.proxy.relay.FrameAncestors;
import org.novnc.proxy.relay.WebResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mini web server of a relay port ({@code web = true} or a directory), as websockify's
 * {@code --web}: GET and HEAD, content types, ETag / Last-Modified with 304, an index page, 404
 * for everything else, and no way out of the web root. Small files come from {@link WebCache};
 * larger ones are streamed in chunks as the connection takes them, never read whole.
 */
final class WebFiles {
  private static final Logger LOG = LoggerFactory.getLogger(WebFiles.class);
  /** Larger files are not served from a relay port: it is meant for the web client. */
  static final long MAX_FILE = 64L * 1024 * 1024;
  private static final int CHUNK = 16 * 1024;

  private WebFiles() {}

  /**
   * Answers {@code request} from {@code root}; returns the future of the reply's last write. The
   * caller decides whether the connection stays open (the reply says so in {@code Connection}).
   */
  static ChannelFuture serve(ChannelHandlerContext ctx, HttpRequest request, WebRoot root, String pid,
      FrameAncestors frames, boolean keepAlive) {
    boolean head = request.method().equals(HttpMethod.HEAD);
    String path;
    try {
      path = WebPath.normalise(request.uri());
    } catch (WebPath.BadPathException e) {
      LOG.info("{}: refused path from {}: {}", pid, ctx.channel().remoteAddress(), e.getMessage());
      return send(ctx, text(ctx, HttpResponseStatus.NOT_FOUND, "Not found."), keepAlive);
    }
    if (path.startsWith(".") || path.contains("/.")) {
      // dot-files and dot-directories (.git/, .htpasswd) are never web content
      LOG.info("{}: refused path from {}: '{}' names a hidden file", pid, ctx.channel().remoteAddress(), path);
      return send(ctx, text(ctx, HttpResponseStatus.NOT_FOUND, "Not found."), keepAlive);
    }
    WebResource resource;
    try {
      resource = root.find(path);
    } catch (IOException e) {
      LOG.warn("{}: cannot read '{}' from {}: {}", pid, path, root.describe(), e.toString());
      resource = null;
    }
    if (resource == null) {
      return send(ctx, text(ctx, HttpResponseStatus.NOT_FOUND, "Not found."), keepAlive);
    }
    String rawPath = request.uri().split("[?#]", 2)[0];
    if ((path.isEmpty() || path.endsWith("/")) && !rawPath.endsWith("/")) {
      // the index page is served at a directory URL: relative links must resolve inside it
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
      r.headers().set(HttpHeaderNames.LOCATION, rawPath + "/").setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      return send(ctx, r, keepAlive);
    }
    return file(ctx, request, root, path, resource, head, pid, frames, keepAlive);
  }

  private static ChannelFuture file(ChannelHandlerContext ctx, HttpRequest request, WebRoot root, String path,
      WebResource resource, boolean head, String pid, FrameAncestors frames, boolean keepAlive) {
    long modified = resource.lastModified() / 1000 * 1000; // HTTP dates have whole seconds
    String etag = "\"" + Long.toHexString(resource.length()) + "-" + Long.toHexString(resource.lastModified()) + "\"";
    if (notModified(request, etag, modified)) {
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
      r.headers().set(HttpHeaderNames.ETAG, etag).set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(modified)));
      return send(ctx, r, keepAlive);
    }
    if (resource.length() > MAX_FILE) {
      return send(ctx, text(ctx, HttpResponseStatus.NOT_FOUND, "Not found."), keepAlive);
    }
    ByteBuf cached = null;
    InputStream stream = null;
    if (!head) {
      try {
        cached = WebCache.SHARED.get(root.describe() + "\u0000" + path, resource);
        stream = cached == null ? resource.open() : null;
      } catch (IOException e) {
        LOG.warn("{}: cannot read {}: {}", pid, request.uri(), e.toString());
        return send(ctx, text(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "The file cannot be read."), keepAlive);
      }
    }
    HttpResponse r = stream == null
        ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, cached == null ? Unpooled.EMPTY_BUFFER : cached)
        : new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, resource.contentType())
        .set(HttpHeaderNames.CONTENT_LENGTH, resource.length())
        .set(HttpHeaderNames.ETAG, etag)
        .set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(modified)))
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .set("X-Content-Type-Options", "nosniff");
    if (resource.contentType().startsWith("text/html")) {
      frames.headers().forEach(r.headers()::set);
    }
    if (stream == null) {
      return send(ctx, (FullHttpResponse) r, keepAlive);
    }
    keepAlive(r, keepAlive);
    ctx.write(r);
    return ctx.writeAndFlush(new HttpChunkedInput(new ChunkedStream(stream, CHUNK)));
  }
  private static boolean notModified(HttpRequest request, String etag, long modified) {
    String match = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
    if (match != null) {
      for (String tag : match.split(",")) {
        String t = tag.trim();
        if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
          return true;
        }
      }
      return false;
    }
    String since = request.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE);
    Date date = since == null ? null : DateFormatter.parseHttpDate(since);
    return date != null && modified <= date.getTime();
  }

  static FullHttpResponse text(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
    ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), text + "\n");
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8").setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    return r;
  }

  /** Writes {@code response}, saying whether the connection stays open; returns the write's future. */
  static ChannelFuture send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    keepAlive(response, keepAlive);
    return ctx.writeAndFlush(response);
  }

  private static void keepAlive(HttpResponse response, boolean keepAlive) {
    if (keepAlive) {
      HttpUtil.setKeepAlive(response, true);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }
}
