package org.novnc.proxy.relay.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.Date;
import org.novnc.proxy.relay.WebResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mini web server of a relay port ({@code web = true} or a directory), as websockify's
 * {@code --web}: GET and HEAD, content types, ETag / Last-Modified with 304, an index page, 404
 * for everything else, and no way out of the web root.
 */
final class WebFiles {
  private static final Logger LOG = LoggerFactory.getLogger(WebFiles.class);
  /** Larger files are not served from a relay port: it is meant for the web client. */
  static final long MAX_FILE = 64L * 1024 * 1024;

  private WebFiles() {}

  /** Answers {@code request} from {@code root}; the connection stays open if the client asked. */
  static void serve(ChannelHandlerContext ctx, HttpRequest request, WebRoot root, String pid) {
    boolean head = request.method().equals(HttpMethod.HEAD);
    if (!head && !request.method().equals(HttpMethod.GET)) {
      FullHttpResponse r = text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "Only GET and HEAD are served here.");
      r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, request, r);
      return;
    }
    String path;
    try {
      path = WebPath.normalise(request.uri());
    } catch (WebPath.BadPathException e) {
      LOG.info("{}: refused path from {}: {}", pid, ctx.channel().remoteAddress(), e.getMessage());
      send(ctx, request, text(ctx, HttpResponseStatus.NOT_FOUND, "Not found."));
      return;
    }
    WebResource resource;
    try {
      resource = root.find(path);
    } catch (IOException e) {
      LOG.warn("{}: cannot read '{}' from {}: {}", pid, path, root.describe(), e.toString());
      resource = null;
    }
    if (resource == null) {
      send(ctx, request, text(ctx, HttpResponseStatus.NOT_FOUND, "Not found."));
      return;
    }
    String rawPath = request.uri().split("[?#]", 2)[0];
    if ((path.isEmpty() || path.endsWith("/")) && !rawPath.endsWith("/")) {
      // the index page is served at a directory URL: relative links must resolve inside it
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
      r.headers().set(HttpHeaderNames.LOCATION, rawPath + "/").setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      send(ctx, request, r);
      return;
    }
    send(ctx, request, file(ctx, request, resource, head, pid));
  }

  private static FullHttpResponse file(ChannelHandlerContext ctx, HttpRequest request, WebResource resource, boolean head, String pid) {
    long modified = resource.lastModified() / 1000 * 1000; // HTTP dates have whole seconds
    String etag = "\"" + Long.toHexString(resource.length()) + "-" + Long.toHexString(resource.lastModified()) + "\"";
    if (notModified(request, etag, modified)) {
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
      r.headers().set(HttpHeaderNames.ETAG, etag).set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(modified)));
      return r;
    }
    if (resource.length() > MAX_FILE) {
      return text(ctx, HttpResponseStatus.NOT_FOUND, "Not found.");
    }
    ByteBuf body = Unpooled.EMPTY_BUFFER;
    if (!head) {
      try (InputStream in = resource.open()) {
        body = Unpooled.wrappedBuffer(in.readNBytes((int) resource.length()));
      } catch (IOException e) {
        LOG.warn("{}: cannot read {}: {}", pid, request.uri(), e.toString());
        return text(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "The file cannot be read.");
      }
    }
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, resource.contentType())
        .set(HttpHeaderNames.CONTENT_LENGTH, resource.length())
        .set(HttpHeaderNames.ETAG, etag)
        .set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(modified)))
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .set("X-Content-Type-Options", "nosniff");
    return r;
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

  /** Sends {@code response}, keeping the connection when the request allows it. */
  static void send(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
    if (HttpUtil.isKeepAlive(request)) {
      HttpUtil.setKeepAlive(response, true);
      ctx.channel().writeAndFlush(response);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
