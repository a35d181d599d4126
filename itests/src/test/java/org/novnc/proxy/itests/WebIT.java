package org.novnc.proxy.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The web client on Karaf's own HTTP port (Pax Web 8 whiteboard) and the WebContent service, in the
 * real distribution, read with the JDK's HTTP client.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebIT {
  private static final String PID = "org.novnc.proxy.web";
  private static final String PAX_WEB_PID = "org.ops4j.pax.web";
  private static final Duration LIVE = Duration.ofSeconds(15);

  @Inject
  private BundleContext context;
  @Inject
  private ConfigurationAdmin configAdmin;

  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  private String base;

  @Configuration
  public Option[] config() {
    return options(KarafTestSupport.baseOptions()); // Jetty on a free loopback port, see there
  }

  @Before
  public void findHttpPort() throws Exception {
    org.osgi.service.cm.Configuration[] paxWeb = configAdmin.listConfigurations("(service.pid=" + PAX_WEB_PID + ")");
    assertNotNull("no " + PAX_WEB_PID + " configuration", paxWeb);
    base = "http://127.0.0.1:" + paxWeb[0].getProperties().get("org.osgi.service.http.port");
    // the whiteboard registers the servlet a moment after the feature is up
    await().atMost(LIVE).until(() -> status("/novnc/vnc_auto.html") == 200);
  }

  @After
  public void defaultContextPath() throws Exception {
    org.osgi.service.cm.Configuration[] own = configAdmin.listConfigurations("(service.pid=" + PID + ")");
    if (own != null) {
      own[0].delete();
      await().atMost(LIVE).until(() -> status("/novnc/vnc_auto.html") == 200);
    }
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private int status(String path) {
    try {
      return get(path).statusCode();
    } catch (IOException e) {
      return -1; // Jetty not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("");
  }

  private void setContextPath(String value) throws IOException {
    org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(PID, "?");
    Dictionary<String, Object> props = new Hashtable<>();
    props.put("context.path", value);
    c.update(props);
  }

  @Test
  public void servesPagesAndModulesWithTheirTypes() throws Exception {
    HttpResponse<byte[]> page = get("/novnc/vnc_auto.html");
    assertEquals(200, page.statusCode());
    assertTrue(header(page, "Content-Type"), header(page, "Content-Type").startsWith("text/html"));
    assertTrue(new String(page.body()).contains("app/auto.js"));
    assertTrue(header(page, "Last-Modified"), !header(page, "Last-Modified").isEmpty());

    HttpResponse<byte[]> full = get("/novnc/vnc.html");
    assertEquals("the full client", 200, full.statusCode());
    assertTrue(header(full, "Content-Type").startsWith("text/html"));
    HttpResponse<byte[]> telnet = get("/novnc/wstelnet.html");
    assertEquals("the telnet client", 200, telnet.statusCode());
    assertEquals("xterm.js from npm, shipped in vendor/", 200, status("/novnc/vendor/xterm.mjs"));

    HttpResponse<byte[]> rfb = get("/novnc/core/rfb.js");
    assertEquals(200, rfb.statusCode());
    assertTrue(header(rfb, "Content-Type"), header(rfb, "Content-Type").startsWith("text/javascript"));
    assertEquals(String.valueOf(rfb.body().length), header(rfb, "Content-Length"));

    // pako comes from npm at build time and is shipped in vendor/
    HttpResponse<byte[]> pako = get("/novnc/vendor/pako.esm.mjs");
    assertEquals(200, pako.statusCode());
    assertTrue(header(pako, "Content-Type"), header(pako, "Content-Type").startsWith("text/javascript"));

    // what the browser does not need is not in the bundle
    assertEquals(404, status("/novnc/package.json"));
    assertEquals(404, status("/novnc/tests/rqueue.test.js"));
    assertEquals(404, status("/novnc/node_modules/pako/package.json"));
  }

  @Test
  public void contextPathRedirectsToTheClient() throws Exception {
    HttpResponse<byte[]> r = get("/novnc?host=localhost&port=6080");
    assertEquals(302, r.statusCode());
    assertEquals(URI.create(base + "/novnc/vnc.html?host=localhost&port=6080"), r.uri().resolve(header(r, "Location")));
  }

  @Test
  public void etagRevalidatesToNotModified() throws Exception {
    HttpResponse<byte[]> first = get("/novnc/core/rfb.js");
    String etag = header(first, "ETag");
    assertTrue("no ETag", !etag.isEmpty());
    HttpResponse<byte[]> again = get("/novnc/core/rfb.js", "If-None-Match", etag);
    assertEquals(304, again.statusCode());
    assertEquals(0, again.body().length);
    assertEquals(304, get("/novnc/core/rfb.js", "If-Modified-Since", header(first, "Last-Modified")).statusCode());
    assertEquals(200, get("/novnc/core/rfb.js", "If-None-Match", "\"something-else\"").statusCode());
  }

  @Test
  public void contextPathChangesLive() throws Exception {
    setContextPath("/remote/desktop");
    await().atMost(LIVE).until(() -> status("/remote/desktop/vnc.html") == 200);
    assertEquals(404, status("/novnc/vnc_auto.html"));
    HttpResponse<byte[]> rfb = get("/remote/desktop/core/rfb.js");
    assertTrue(header(rfb, "Content-Type").startsWith("text/javascript"));

    setContextPath("/novnc2");
    await().atMost(LIVE).until(() -> status("/novnc2/vnc_auto.html") == 200);
    assertEquals(404, status("/remote/desktop/vnc_auto.html"));
  }

  @Test
  public void invalidContextPathIsOneLogLineAndNotServed() throws Exception {
    setContextPath("/bad path");
    await().atMost(LIVE).until(() -> KarafTestSupport.karafLog().contains(
        "org.novnc.proxy.web: context.path = '/bad path' contains a space"));
    await().atMost(LIVE).until(() -> status("/novnc/vnc_auto.html") == 404);

    setContextPath("/fixed");
    await().atMost(LIVE).until(() -> status("/fixed/vnc_auto.html") == 200);
  }

  @Test
  public void webContentServiceFindsTheClient() throws Exception {
    WebContentView content = WebContentView.of(context);
    WebContentView.Resource page = content.find("vnc_auto.html");
    assertNotNull("vnc_auto.html not found", page);
    assertTrue(page.contentType(), page.contentType().startsWith("text/html"));
    assertTrue(page.lastModified() > 0);
    byte[] served = get("/novnc/vnc_auto.html").body();
    assertEquals(served.length, page.length());
    assertArrayEquals(served, page.bytes());

    assertTrue(content.find("core/rfb.js").contentType().startsWith("text/javascript"));
    assertNull(content.find("../pom.xml"));
    assertNull(content.find("package.json"));
  }
}
