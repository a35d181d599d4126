package org.novnc.proxy.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.novnc.proxy.relay.FrameAncestors;
import org.junit.jupiter.api.io.TempDir;

/** The servlet in a real Jetty 9.4 (the version Pax Web 8 runs in Karaf 4.4), driven by the JDK's HTTP client. */
class WebContentServletTest {
  private static final String LAST_MODIFIED_HTTP =
      DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(WebFixture.LAST_MODIFIED).atOffset(ZoneOffset.UTC));

  @TempDir
  Path dir;

  private final HttpClient client = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  private Server server;
  private String base;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  private WebContentServlet servlet;

  private void start(String contextPath, String... extraFiles) throws Exception {
    BundleWebContent content = WebFixture.content(dir, extraFiles);
    ContextPath path = ContextPath.parse(contextPath);
    server = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler handler = new ServletContextHandler();
    handler.setContextPath("/");
    servlet = new WebContentServlet(content, path, content.indexName(), FrameAncestors.SELF, null);
    handler.addServlet(new ServletHolder(servlet), path.servletPattern());
    server.setHandler(handler);
    server.start();
    base = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void servesAPageWithItsTypeLengthAndValidators() throws Exception {
    start("/novnc");
    HttpResponse<String> r = get("/novnc/vnc_auto.html");
    assertEquals(200, r.statusCode());
    assertEquals(WebFixture.AUTO_HTML, r.body());
    assertEquals("text/html;charset=utf-8", header(r, "Content-Type").replace(" ", "").toLowerCase());
    assertEquals(String.valueOf(WebFixture.AUTO_HTML.length()), header(r, "Content-Length"));
    assertEquals(LAST_MODIFIED_HTTP, header(r, "Last-Modified"));
    assertTrue(header(r, "ETag").matches("\"[0-9a-f]+-[0-9a-f]+\""), header(r, "ETag"));
    assertEquals("nosniff", header(r, "X-Content-Type-Options"));
    assertEquals("no-cache", header(r, "Cache-Control"));
  }

  @Test
  void pagesMayBeFramedOnlyBySameOriginUnlessConfigured() throws Exception {
    start("/novnc");
    HttpResponse<String> page = get("/novnc/vnc_auto.html");
    assertEquals("DENY", header(page, "X-Frame-Options"));
    assertEquals("frame-ancestors 'self'", header(page, "Content-Security-Policy"));
    assertNull(header(get("/novnc/core/rfb.js"), "X-Frame-Options"), "only pages carry frame headers");
    servlet.frames(FrameAncestors.parse("https://portal.example.com"));
    HttpResponse<String> portal = get("/novnc/vnc_auto.html");
    assertNull(header(portal, "X-Frame-Options"));
    assertEquals("frame-ancestors https://portal.example.com", header(portal, "Content-Security-Policy"));
  }

  @Test
  void modulesAreJavaScript() throws Exception {
    start("/novnc");
    HttpResponse<String> rfb = get("/novnc/core/rfb.js");
    assertEquals(200, rfb.statusCode());
    assertEquals(WebFixture.RFB_JS, rfb.body());
    assertTrue(header(rfb, "Content-Type").startsWith("text/javascript"), header(rfb, "Content-Type"));
    HttpResponse<String> pako = get("/novnc/vendor/pako.esm.mjs");
    assertTrue(header(pako, "Content-Type").startsWith("text/javascript"), header(pako, "Content-Type"));
  }

  @Test
  void matchingEtagIsNotModified() throws Exception {
    start("/novnc");
    String etag = header(get("/novnc/core/rfb.js"), "ETag");
    HttpResponse<String> r = get("/novnc/core/rfb.js", "If-None-Match", etag);
    assertEquals(304, r.statusCode());
    assertEquals("", r.body());
    assertEquals(etag, header(r, "ETag"));
    assertEquals(304, get("/novnc/core/rfb.js", "If-None-Match", "W/" + etag).statusCode());
    assertEquals(304, get("/novnc/core/rfb.js", "If-None-Match", "\"other\", " + etag).statusCode());
    assertEquals(304, get("/novnc/core/rfb.js", "If-None-Match", "*").statusCode());
    assertEquals(200, get("/novnc/core/rfb.js", "If-None-Match", "\"other\"").statusCode());
  }

  @Test
  void ifModifiedSinceCountsOnlyWithoutIfNoneMatch() throws Exception {
    start("/novnc");
    assertEquals(304, get("/novnc/core/rfb.js", "If-Modified-Since", LAST_MODIFIED_HTTP).statusCode());
    String earlier = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        Instant.ofEpochMilli(WebFixture.LAST_MODIFIED - 2000).atOffset(ZoneOffset.UTC));
    assertEquals(200, get("/novnc/core/rfb.js", "If-Modified-Since", earlier).statusCode());
    assertEquals(200, get("/novnc/core/rfb.js", "If-Modified-Since", "yesterday").statusCode());
    // RFC 9110 13.2.2: If-None-Match decides when present
    assertEquals(200, get("/novnc/core/rfb.js", "If-None-Match", "\"other\"", "If-Modified-Since", LAST_MODIFIED_HTTP).statusCode());
  }

  @Test
  void headHasTheHeadersAndNoBody() throws Exception {
    start("/novnc");
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/novnc/core/rfb.js"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals(String.valueOf(WebFixture.RFB_JS.length()), header(r, "Content-Length"));
    assertEquals("", r.body());
  }

  @Test
  void theContextPathRedirectsToTheIndexPage() throws Exception {
    start("/novnc", "vnc.html");
    HttpResponse<String> r = get("/novnc");
    assertEquals(302, r.statusCode());
    assertEquals("novnc/vnc.html", header(r, "Location"));
    assertEquals(URI.create(base + "/novnc/vnc.html"), r.uri().resolve(header(r, "Location")));

    HttpResponse<String> slash = get("/novnc/?host=example&port=5901");
    assertEquals(302, slash.statusCode());
    assertEquals("vnc.html?host=example&port=5901", header(slash, "Location"));
    assertEquals(URI.create(base + "/novnc/vnc.html?host=example&port=5901"), slash.uri().resolve(header(slash, "Location")));
  }

  @Test
  void indexHtmlIsTheIndexWhenPresent() throws Exception {
    start("/novnc", "vnc.html", "index.html");
    assertEquals("novnc/index.html", header(get("/novnc"), "Location"));
  }

  @Test
  void nestedContextPath() throws Exception {
    start("/tools/vnc");
    HttpResponse<String> r = get("/tools/vnc");
    assertEquals(URI.create(base + "/tools/vnc/vnc.html"), r.uri().resolve(header(r, "Location")));
    assertEquals(200, get("/tools/vnc/core/rfb.js").statusCode());
    assertEquals(404, get("/tools/core/rfb.js").statusCode());
  }

  @Test
  void atTheRoot() throws Exception {
    start("/");
    assertEquals(200, get("/vnc_auto.html").statusCode());
    assertEquals(200, get("/core/rfb.js").statusCode());
    HttpResponse<String> r = get("/");
    assertEquals(302, r.statusCode());
    assertEquals(URI.create(base + "/vnc.html"), r.uri().resolve(header(r, "Location")));
  }

  @Test
  void whatIsNotAFileIsNotFound() throws Exception {
    start("/novnc");
    assertEquals(404, get("/novnc/missing.js").statusCode());
    assertEquals(404, get("/novnc/core").statusCode());
    assertEquals(404, get("/novnc/core/").statusCode());
    assertEquals(404, get("/novnc//core/rfb.js").statusCode());
    assertEquals(404, get("/other/core/rfb.js").statusCode());
    assertEquals(404, get("/novncx/core/rfb.js").statusCode());
  }

  @Test
  void nothingOutsideTheClient() throws Exception {
    start("/novnc");
    for (String path : new String[] {"/novnc/%2e%2e/etc/passwd", "/novnc/..%2f..%2fetc/passwd",
        "/novnc/core/..%2f..%2f..%2fpom.xml", "/novnc/%2e%2e%2f%2e%2e%2fpom.xml"}) {
      HttpResponse<String> r = get(path);
      assertNotEquals(200, r.statusCode(), path);
      assertFalse(r.body().contains("RFB"), path);
    }
  }

  @Test
  void onlyGetAndHead() throws Exception {
    start("/novnc");
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/novnc/core/rfb.js"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, r.statusCode());
  }
}
