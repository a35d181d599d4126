package org.novnc.proxy.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.novnc.proxy.relay.FrameAncestors;
import org.novnc.proxy.relay.WebContent;
import org.novnc.proxy.relay.WebResource;

/**
 * Serves {@link WebContent} under one {@link ContextPath}: GET and HEAD, with the file's media type,
 * {@code Last-Modified} and {@code ETag}, 304 for a matching {@code If-None-Match} or a not older
 * {@code If-Modified-Since} (RFC 9110 section 13.2.2 order), and the context path itself
 * redirected to the index page. Uses nothing newer than Servlet 3.1 (Jetty 9.4).
 */
final class WebContentServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient WebContent content;
  private final ContextPath contextPath;
  private final String indexName;
  private transient volatile FrameAncestors frames;
  private final transient LoginServlet login;

  WebContentServlet(WebContent content, ContextPath contextPath, String indexName, FrameAncestors frames, LoginServlet login) {
    this.content = content;
    this.contextPath = contextPath;
    this.indexName = indexName;
    this.frames = frames;
    this.login = login;
  }

  /** {@code <context>/login} and {@code <context>/logout}; anything else is not posted to. */
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String rest = contextPath.remainder(request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()));
    if (rest == null || login == null || !login.post(rest, request, response)) {
      response.setHeader("Allow", "GET, HEAD");
      response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    }
  }

  /** Who may frame the HTML pages from now on. */
  void frames(FrameAncestors next) {
    frames = next;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    serve(request, response, true);
  }

  @Override
  protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
    serve(request, response, false);
  }

  private void serve(HttpServletRequest request, HttpServletResponse response, boolean body) throws IOException {
    String requestPath = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    String rest = contextPath.remainder(requestPath);
    if (rest == null) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    if (rest.isEmpty() || rest.equals("/")) {
      redirectToIndex(request, response, rest.isEmpty());
      return;
    }
    WebResource file = content.find(rest.substring(1));
    if (file == null) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    String etag = etag(file);
    response.setHeader("ETag", etag);
    response.setDateHeader("Last-Modified", file.lastModified());
    // the client's modules change together when the bundle is updated: always revalidate (cheap, a 304)
    response.setHeader("Cache-Control", "no-cache");
    if (notModified(request, etag, file.lastModified())) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentType(file.contentType());
    if (file.contentType().startsWith("text/html")) {
      frames.headers().forEach(response::setHeader);
    }
    response.setContentLengthLong(file.length());
    if (body) {
      try (InputStream in = file.open(); OutputStream out = response.getOutputStream()) {
        in.transferTo(out);
      }
    }
  }

  /**
   * {@code /novnc} and {@code /novnc/} go to {@code /novnc/vnc.html} (query kept, so
   * {@code /novnc?host=h} still works). The Location is relative, which stays right behind a
   * reverse proxy that mounts Karaf's port under another prefix.
   */
  private void redirectToIndex(HttpServletRequest request, HttpServletResponse response, boolean withoutSlash) {
    String location = (withoutSlash && !contextPath.isRoot() ? contextPath.lastSegment() + "/" : "") + indexName;
    if (request.getQueryString() != null) {
      location += "?" + request.getQueryString();
    }
    response.setStatus(HttpServletResponse.SC_FOUND);
    response.setHeader("Location", location);
    response.setHeader("Cache-Control", "no-cache");
  }

  /** A strong validator: a path's bytes change only with the bundle, so its time and size identify them. */
  static String etag(WebResource file) {
    return "\"" + Long.toHexString(file.lastModified()) + "-" + Long.toHexString(file.length()) + "\"";
  }

  /** If-None-Match, when present, decides alone; otherwise If-Modified-Since (second precision). */
  static boolean notModified(HttpServletRequest request, String etag, long lastModified) {
    String ifNoneMatch = request.getHeader("If-None-Match");
    if (ifNoneMatch != null) {
      return matchesAny(ifNoneMatch, etag);
    }
    long since;
    try {
      since = request.getDateHeader("If-Modified-Since");
    } catch (IllegalArgumentException e) {
      return false; // an unparsable date is ignored (RFC 9110 section 13.1.3)
    }
    return since >= 0 && lastModified / 1000 <= since / 1000;
  }

  /** Weak comparison (RFC 9110 section 8.8.3.2), as If-None-Match requires: W/ prefixes are ignored. */
  static boolean matchesAny(String ifNoneMatch, String etag) {
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*")) {
        return true;
      }
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
