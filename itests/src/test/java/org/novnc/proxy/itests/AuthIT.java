package org.novnc.proxy.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.novnc.proxy.auth.ConsoleLinks;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Who may connect, in the real distribution: Karaf logins (users added to the realm by this test),
 * signed tokens, one-time links issued from this test bundle, client certificates; every check is
 * shown refusing the wrong proof, and no password or token reaches the log or an event.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuthIT {
  private static final Duration LIVE = Duration.ofSeconds(5);
  private static final String ALICE_PW = "Al1ce-pw-7781";
  private static final String VIC_PW = "V1c-pw-5523";
  private static final String EVE_PW = "Ev3-pw-9904";
  private static final String ORIGIN = "http://127.0.0.1";

  @Inject
  private ConfigurationAdmin configAdmin;
  @Inject
  private ConsoleLinks links;
  @Inject
  private BundleContext context;

  private final List<org.osgi.service.cm.Configuration> configs = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private ServiceRegistration<EventHandler> handler;
  private Path dir;

  @Configuration
  public Option[] config() {
    List<Option> o = new ArrayList<>(List.of(KarafTestSupport.baseOptions()));
    o.add(editConfigurationFilePut("etc/users.properties", "alice", ALICE_PW + ",novnc"));
    o.add(editConfigurationFilePut("etc/users.properties", "vic", VIC_PW + ",viewer"));
    o.add(editConfigurationFilePut("etc/users.properties", "eve", EVE_PW + ",other"));
    return options(o.toArray(new Option[0]));
  }

  @Before
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("novnc-auth-it");
    Dictionary<String, Object> topics = new Hashtable<>();
    topics.put(EventConstants.EVENT_TOPIC, new String[] {"org/novnc/proxy/*"});
    handler = context.registerService(EventHandler.class, events::add, topics);
    // right after Karaf starts, the auth bundle's service may still be on its way (until then relays answer 503)
    await().atMost(LIVE).until(() -> context.getServiceReference("org.novnc.proxy.relay.UserAuthenticator") != null);
  }

  @After
  public void cleanUp() throws Exception {
    handler.unregister();
    for (AutoCloseable c : closeables) {
      c.close();
    }
    for (org.osgi.service.cm.Configuration c : configs) {
      try {
        c.delete();
      } catch (IllegalStateException | IOException e) {
        // already gone
      }
    }
  }

  private int relay(String name, Map<String, String> keys) throws IOException {
    int port = KarafTestSupport.freePort();
    org.osgi.service.cm.Configuration c = configAdmin.getFactoryConfiguration("org.novnc.proxy.relay", name, "?");
    Dictionary<String, Object> props = new Hashtable<>(keys);
    props.put("listen", "127.0.0.1:" + port);
    c.update(props);
    configs.add(c);
    await().atMost(LIVE).until(() -> KarafTestSupport.listening(port));
    return port;
  }

  private TcpTarget target(String greeting) throws IOException {
    TcpTarget t = new TcpTarget(greeting);
    closeables.add(t);
    return t;
  }

  private static String cookieOf(HttpCall login) {
    String set = login.header("Set-Cookie");
    assertNotNull("login sets a cookie: " + login, set);
    return set.substring(0, set.indexOf(';'));
  }

  private static String basic(String user, String password) {
    return "Authorization: Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
  }

  private static void assertRelays(RawWebSocket ws, String greeting) throws IOException {
    assertEquals(greeting, ws.receive(greeting.length()));
    ws.send("ping");
    assertEquals("ping", ws.receive(4));
  }

  /** The upgrade's status and (when refused) its body. */
  private static String upgrade(int port, String path, String headers) throws IOException {
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      int status = ws.handshake(path, ORIGIN, headers);
      return status == 101 ? "101" : status + " " + ws.responseBody().trim();
    }
  }

  private List<Event> events(String topic) {
    return events.stream().filter(e -> e.getTopic().equals(topic)).toList();
  }

  /** No event property and no line of karaf.log holds any of {@code secrets}. */
  private void assertNowhere(String... secrets) throws IOException {
    String log = KarafTestSupport.karafLog();
    for (String secret : secrets) {
      assertFalse("karaf.log holds a secret", log.contains(secret));
      for (Event e : events) {
        for (String name : e.getPropertyNames()) {
          assertFalse("event " + e.getTopic() + " property " + name + " holds a secret", String.valueOf(e.getProperty(name)).contains(secret));
        }
      }
    }
  }

  @Test
  public void karafLoginsWithCookieAndBasic() throws Exception {
    TcpTarget target = target("desk:");
    int port = relay("login", Map.of("target", "127.0.0.1:" + target.port(), "auth", "login", "allowed.origins", "*"));

    // nothing offered: 401, nothing reaches the target; a browser (Origin) gets no Basic challenge
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(401, ws.handshake("/websockify", ORIGIN));
      assertFalse(ws.responseHead().contains("WWW-Authenticate"));
    }
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(401, ws.handshake("/websockify", null));
      assertTrue(ws.responseHead(), ws.responseHead().contains("WWW-Authenticate: Basic"));
    }
    HttpCall check = HttpCall.get(port, "/auth/check", "Origin: " + ORIGIN + "\r\n");
    assertEquals(200, check.status);
    assertTrue(check.body, check.body.contains("\"ok\":false") && check.body.contains("\"status\":401") && check.body.contains("\"login\":true"));
    assertEquals(ORIGIN, check.header("Access-Control-Allow-Origin"));

    // wrong password: 401 and a message; right password: a cookie that opens sessions
    HttpCall wrong = HttpCall.post(port, "/login", "username=alice&password=not-" + ALICE_PW, "Origin: " + ORIGIN + "\r\n");
    assertEquals(wrong.toString(), 401, wrong.status);
    assertTrue(wrong.body, wrong.body.contains("Wrong user name or password."));
    assertNull(wrong.header("Set-Cookie"));
    HttpCall login = HttpCall.post(port, "/login", "username=alice&password=" + ALICE_PW, "Origin: " + ORIGIN + "\r\n");
    assertEquals(login.toString(), 200, login.status);
    String cookie = cookieOf(login);
    String setCookie = login.header("Set-Cookie");
    assertTrue(setCookie, setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Max-Age=28800"));
    assertFalse(setCookie, setCookie.contains(ALICE_PW));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(101, ws.handshake("/websockify", ORIGIN, "Cookie: " + cookie + "\r\n"));
      assertRelays(ws, "desk:");
    }
    assertTrue(HttpCall.get(port, "/auth/check", "Cookie: " + cookie + "\r\n").body.contains("\"user\":\"alice\""));

    // a tampered cookie (another user) is refused
    String[] f = cookie.split("\\.");
    f[2] = Base64.getUrlEncoder().withoutPadding().encodeToString("admin".getBytes(StandardCharsets.UTF_8));
    assertTrue(upgrade(port, "/websockify", "Cookie: " + String.join(".", f) + "\r\n").startsWith("401 "));

    // logout clears the cookie
    HttpCall logout = HttpCall.post(port, "/logout", "", "Cookie: " + cookie + "\r\n");
    assertEquals(200, logout.status);
    assertTrue(logout.header("Set-Cookie"), logout.header("Set-Cookie").contains("Max-Age=0"));

    // non-browser clients: HTTP Basic on the upgrade
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(101, ws.handshake("/websockify", null, basic("alice", ALICE_PW)));
      assertRelays(ws, "desk:");
    }
    assertEquals("401 Wrong user name or password.", upgrade(port, "/websockify", basic("alice", "x" + ALICE_PW)));

    // roles: a viewer gets a view-only session (the proxy speaks RFB itself to enforce it); another role gets nothing
    HttpCall vic = HttpCall.post(port, "/login", "username=vic&password=" + VIC_PW, "");
    assertEquals(200, vic.status);
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(101, ws.handshake("/websockify", ORIGIN, "Cookie: " + cookieOf(vic) + "\r\n"));
      assertEquals("RFB 003.008\n", ws.receive(12));
    }
    HttpCall eve = HttpCall.post(port, "/login", "username=eve&password=" + EVE_PW, "");
    assertEquals(403, eve.status);
    assertNull(eve.header("Set-Cookie"));
    await().atMost(LIVE).until(() -> target.accepted() == 3);
    await().atMost(LIVE).until(() -> events("org/novnc/proxy/session/OPENED").stream()
        .anyMatch(e -> "vic".equals(e.getProperty("user")) && Boolean.TRUE.equals(e.getProperty("viewOnly"))));

    // audit: the sessions and the refusals, with user and method, never a password
    await().atMost(LIVE).until(() -> events("org/novnc/proxy/session/CLOSED").size() >= 2);
    Event opened = events("org/novnc/proxy/session/OPENED").get(0);
    assertEquals("alice", opened.getProperty("user"));
    assertEquals("login", opened.getProperty("method"));
    assertEquals("127.0.0.1:" + target.port(), opened.getProperty("target"));
    Event closed = events("org/novnc/proxy/session/CLOSED").get(0);
    assertEquals(4L, closed.getProperty("bytesUp"));
    assertEquals(9L, closed.getProperty("bytesDown"));
    assertNotNull(closed.getProperty("closeCode"));
    assertNotNull(closed.getProperty("duration"));
    assertTrue(events("org/novnc/proxy/auth/REFUSED").stream().anyMatch(e -> "alice".equals(e.getProperty("user"))
        && "Wrong user name or password.".equals(e.getProperty("reason"))));
    assertTrue(KarafTestSupport.karafLog().contains("user=alice via=login"));
    assertNowhere(ALICE_PW, VIC_PW, EVE_PW, cookie.substring(cookie.indexOf('=') + 1));
  }

  @Test
  public void loginOnKarafsHttpPortIsGoodForRelays() throws Exception {
    TcpTarget target = target("web:");
    int port = relay("weblogin", Map.of("target", "127.0.0.1:" + target.port(), "auth", "login"));
    org.osgi.service.cm.Configuration[] paxWeb = configAdmin.listConfigurations("(service.pid=org.ops4j.pax.web)");
    int http = Integer.parseInt(String.valueOf(paxWeb[0].getProperties().get("org.osgi.service.http.port")));
    await().atMost(LIVE).until(() -> HttpCall.get(http, "/novnc/login.html", "").status == 200);
    HttpCall wrong = HttpCall.post(http, "/novnc/login", "username=alice&password=no", "Origin: http://127.0.0.1:" + http + "\r\n");
    assertEquals(wrong.toString(), 401, wrong.status);
    assertTrue(wrong.body, wrong.body.contains("Wrong user name or password."));
    HttpCall foreign = HttpCall.post(http, "/novnc/login", "username=alice&password=" + ALICE_PW, "Origin: http://evil.example\r\n");
    assertEquals(403, foreign.status);
    HttpCall login = HttpCall.post(http, "/novnc/login", "username=alice&password=" + ALICE_PW, "Origin: http://127.0.0.1:" + http + "\r\n");
    assertEquals(login.toString(), 200, login.status);
    String cookie = cookieOf(login);
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(101, ws.handshake("/websockify", ORIGIN, "Cookie: " + cookie + "\r\n"));
      assertRelays(ws, "web:");
    }
    assertTrue(HttpCall.post(http, "/novnc/logout", "", "").header("Set-Cookie").contains("Max-Age=0"));
    assertEquals(405, HttpCall.post(http, "/novnc/vnc.html", "a=b", "").status);
    assertNowhere(ALICE_PW);
  }

  @Test
  public void failedLoginsAreThrottledPerAddress() throws Exception {
    TcpTarget target = target("t:");
    int port = relay("throttle", Map.of("target", "127.0.0.1:" + target.port(), "auth", "login", "auth.max.failures", "3"));
    for (int i = 0; i < 3; i++) {
      assertEquals(401, HttpCall.post(port, "/login", "username=alice&password=guess" + i, "").status);
    }
    HttpCall blocked = HttpCall.post(port, "/login", "username=alice&password=" + ALICE_PW, "");
    assertEquals(blocked.toString(), 429, blocked.status);
    assertNotNull(blocked.header("Retry-After"));
    assertTrue(upgrade(port, "/websockify", basic("alice", ALICE_PW)).startsWith("429 "));
    assertEquals(0, target.accepted());
  }

  @Test
  public void aMissingRealmIsARefusalNeverAnOpenDoor() throws Exception {
    TcpTarget target = target("t:");
    int port = relay("norealm", Map.of("target", "127.0.0.1:" + target.port(), "auth", "login", "auth.realm", "nosuch"));
    HttpCall login = HttpCall.post(port, "/login", "username=alice&password=" + ALICE_PW, "");
    assertEquals(login.toString(), 503, login.status);
    assertEquals("503 Logins cannot be checked right now.", upgrade(port, "/websockify", basic("alice", ALICE_PW)));
    assertEquals(0, target.accepted());
    assertTrue(KarafTestSupport.karafLog().contains("realm 'nosuch' (auth.realm) failed"));
  }

  private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, JWSSigner signer) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  @Test
  public void signedTokensHs256AndEs256() throws Exception {
    TcpTarget a = target("a:");
    TcpTarget b = target("b:");
    byte[] secret = "an-hs256-secret-for-the-auth-it-0123456789".getBytes(StandardCharsets.US_ASCII);
    Path secretFile = Files.write(dir.resolve("hs.key"), secret);
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    Path pem = Files.writeString(dir.resolve("ec.pem"), "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(ec.toECPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    int hs = relay("jwt-hs", Map.of("auth", "jwt", "jwt.key", secretFile.toString(), "target", "127.0.0.1:" + a.port(),
        "allowed.targets", "127.0.0.1:" + b.port()));
    int es = relay("jwt-es", Map.of("auth", "jwt", "jwt.key", pem.toString(), "allowed.targets", "127.0.0.0/8:*",
        "target", "127.0.0.1:" + a.port()));

    Date later = new Date(System.currentTimeMillis() + 60_000);
    String good = sign(new JWTClaimsSet.Builder().subject("carol").expirationTime(later).claim("target", "127.0.0.1:" + b.port()).build(),
        JWSAlgorithm.HS256, new MACSigner(secret));
    try (RawWebSocket ws = RawWebSocket.plain(hs)) {
      assertEquals(101, ws.handshake("/websockify?token=" + good, ORIGIN));
      assertRelays(ws, "b:");
    }
    // websockify's host and port claims, the configuration's own target
    String own = sign(new JWTClaimsSet.Builder().expirationTime(later).claim("host", "127.0.0.1").claim("port", a.port()).build(),
        JWSAlgorithm.HS256, new MACSigner(secret));
    try (RawWebSocket ws = RawWebSocket.plain(hs)) {
      assertEquals(101, ws.handshake("/websockify?token=" + own, ORIGIN));
      assertRelays(ws, "a:");
    }
    String ecGood = sign(new JWTClaimsSet.Builder().subject("dave").expirationTime(later).claim("target", "127.0.0.1:" + b.port()).build(),
        JWSAlgorithm.ES256, new ECDSASigner(ec));
    try (RawWebSocket ws = RawWebSocket.plain(es)) {
      assertEquals(101, ws.handshake("/websockify?token=" + ecGood, ORIGIN));
      assertRelays(ws, "b:");
    }
    int accepted = a.accepted() + b.accepted();

    String expired = sign(new JWTClaimsSet.Builder().expirationTime(new Date(System.currentTimeMillis() - 3_600_000))
        .claim("target", "127.0.0.1:" + b.port()).build(), JWSAlgorithm.HS256, new MACSigner(secret));
    assertEquals("403 The token has expired.", upgrade(hs, "/websockify?token=" + expired, ""));
    String[] p = good.split("\\.");
    String evil = Base64.getUrlEncoder().withoutPadding().encodeToString(new JWTClaimsSet.Builder().expirationTime(later)
        .claim("target", "127.0.0.1:" + b.port()).subject("root").build().toString().getBytes(StandardCharsets.UTF_8));
    assertEquals("403 The token's signature is not valid.", upgrade(hs, "/websockify?token=" + p[0] + "." + evil + "." + p[2], ""));
    String none = new PlainJWT(new JWTClaimsSet.Builder().expirationTime(later).claim("target", "127.0.0.1:" + b.port()).build()).serialize();
    assertEquals("403 The token is not signed (alg: none).", upgrade(hs, "/websockify?token=" + none, ""));
    String outside = sign(new JWTClaimsSet.Builder().expirationTime(later).claim("target", "127.0.0.1:22").build(),
        JWSAlgorithm.HS256, new MACSigner(secret));
    assertEquals("403 The token's target is not allowed on this proxy (allowed.targets).", upgrade(hs, "/websockify?token=" + outside, ""));
    assertEquals("403 The token's algorithm HS256 does not fit the configured key.", upgrade(es, "/websockify?token=" + good, ""));
    assertEquals("401 This proxy needs a signed token (?token=).", upgrade(es, "/websockify", ""));
    assertEquals("nothing refused reached a target", accepted, a.accepted() + b.accepted());

    HttpCall check = HttpCall.get(hs, "/auth/check?token=" + expired, "");
    assertTrue(check.body, check.body.contains("\"reason\":\"The token has expired.\""));
    await().atMost(LIVE).until(() -> events("org/novnc/proxy/auth/REFUSED").size() >= 6);
    assertTrue(events("org/novnc/proxy/session/OPENED").stream().anyMatch(e -> "carol".equals(e.getProperty("user"))
        && "jwt".equals(e.getProperty("method"))));
    assertNowhere(good.split("\\.")[2], ecGood.split("\\.")[2], expired.split("\\.")[2], new String(secret, StandardCharsets.US_ASCII));
  }

  @Test
  public void oneTimeLinksFromAnotherBundle() throws Exception {
    TcpTarget target = target("vm:");
    int port = relay("links", Map.of("auth", "link", "web", "true", "allowed.targets", "127.0.0.1:" + target.port()));
    String url = links.issue("links", "127.0.0.1:" + target.port(), Duration.ofSeconds(30), false, "frank");
    assertTrue(url, url.startsWith("http://127.0.0.1:" + port + "/vnc.html?autoconnect=true&path="));
    String path = "/" + URLDecoder.decode(url.substring(url.indexOf("path=") + 5), StandardCharsets.UTF_8);
    assertTrue(path, path.startsWith("/websockify?link="));
    String code = path.substring(path.indexOf("link=") + 5);
    assertEquals(22, code.length()); // 128 bits, base64url

    assertTrue(HttpCall.get(port, "/auth/check?link=" + code, "").body.contains("\"ok\":true"));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(101, ws.handshake(path, ORIGIN));
      assertRelays(ws, "vm:");
      // the session lives on after the link is spent; a second use is refused
      assertEquals("403 This link is not valid (unknown or already used).", upgrade(port, path, ""));
      ws.send("more");
      assertEquals("more", ws.receive(4));
    }
    String shortLived = links.issue("links", "127.0.0.1:" + target.port(), Duration.ofMillis(300), false, "frank");
    String shortPath = "/" + URLDecoder.decode(shortLived.substring(shortLived.indexOf("path=") + 5), StandardCharsets.UTF_8);
    Thread.sleep(600);
    assertEquals("403 This link has expired.", upgrade(port, shortPath, ""));
    assertEquals("403 This link is not valid (unknown or already used).", upgrade(port, "/websockify?link=AAAAAAAAAAAAAAAAAAAAAA", ""));
    assertEquals(1, target.accepted());
    try {
      links.issue("links", "127.0.0.1:22", Duration.ofSeconds(30), false, "frank");
      fail("a link outside allowed.targets was issued");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("allowed.targets"));
    }
    assertTrue(events("org/novnc/proxy/session/OPENED").stream().anyMatch(e -> "frank".equals(e.getProperty("user"))
        && "link".equals(e.getProperty("method"))));
    assertNowhere(code);
  }

  private void openssl(String... args) throws Exception {
    Process p = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("openssl finished", p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(String.join(" ", args) + ": " + out, 0, p.exitValue());
  }

  /** A client certificate with {@code cn} signed by the test CA, as key managers. */
  private javax.net.ssl.KeyManager[] client(String cn) throws Exception {
    openssl("openssl", "req", "-new", "-nodes", "-newkey", "rsa:2048", "-subj", "/CN=" + cn, "-keyout", cn + ".key", "-out", cn + ".csr");
    openssl("openssl", "x509", "-req", "-in", cn + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1",
        "-out", cn + ".crt");
    openssl("openssl", "pkcs12", "-export", "-in", cn + ".crt", "-inkey", cn + ".key", "-passout", "pass:pw", "-out", cn + ".p12");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(dir.resolve(cn + ".p12").toFile())) {
      ks.load(in, "pw".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "pw".toCharArray());
    return kmf.getKeyManagers();
  }

  @Test
  public void clientCertificates() throws Exception {
    TcpTarget target = target("c:");
    openssl("openssl", "req", "-new", "-x509", "-days", "1", "-nodes", "-newkey", "rsa:2048", "-subj", "/CN=test-ca",
        "-keyout", "ca.key", "-out", "ca.crt");
    openssl("openssl", "req", "-new", "-x509", "-days", "1", "-nodes", "-newkey", "rsa:2048", "-subj", "/CN=relay",
        "-keyout", "server.pem", "-out", "server.pem");
    int port = relay("cert", Map.of("target", "127.0.0.1:" + target.port(), "auth", "cert", "cert", dir.resolve("server.pem").toString(),
        "ssl.only", "true", "ca", dir.resolve("ca.crt").toString(), "verify.client", "true", "allowed.clients", "grace"));
    try (RawWebSocket ws = RawWebSocket.tls(port, client("grace"))) {
      assertEquals(101, ws.handshake("/websockify", ORIGIN));
      assertRelays(ws, "c:");
    }
    try (RawWebSocket ws = RawWebSocket.tls(port, client("mallory"))) {
      assertEquals(403, ws.handshake("/websockify", ORIGIN));
      assertEquals("The client certificate of mallory may not use this proxy.", ws.responseBody().trim());
    }
    try (RawWebSocket ws = RawWebSocket.tls(port, null)) {
      ws.handshake("/websockify", ORIGIN);
      fail("a TLS connection without a client certificate was served");
    } catch (SSLException | java.io.EOFException | java.net.SocketException e) {
      // the handshake fails (TLS 1.3 reports it on the first read)
    }
    assertEquals(1, target.accepted());
    assertTrue(events("org/novnc/proxy/session/OPENED").stream().anyMatch(e -> "grace".equals(e.getProperty("user"))
        && "cert".equals(e.getProperty("method"))));
  }

  @Test
  public void withoutTheAuthBundleSessionsAreRefused() throws Exception {
    TcpTarget target = target("t:");
    int port = relay("noauth", Map.of("target", "127.0.0.1:" + target.port(), "auth", "login"));
    Bundle auth = java.util.Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals("org.novnc.proxy.auth"))
        .findFirst().orElseThrow();
    auth.stop();
    try {
      await().atMost(LIVE).until(() -> upgrade(port, "/websockify", basic("alice", ALICE_PW)).startsWith("503 "));
      assertEquals(0, target.accepted());
    } finally {
      auth.start();
    }
    await().atMost(LIVE).until(() -> upgrade(port, "/websockify", basic("alice", ALICE_PW)).equals("101"));
  }

  @Test
  public void withoutAuthNothingChanges() throws Exception {
    TcpTarget target = target("open:");
    int port = relay("open", Map.of("target", "127.0.0.1:" + target.port()));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(101, ws.handshake("/websockify", ORIGIN));
      assertRelays(ws, "open:");
    }
    assertTrue(HttpCall.get(port, "/auth/check", "").body.contains("\"ok\":true"));
    assertEquals(404, HttpCall.post(port, "/login", "username=alice&password=" + ALICE_PW, "").status);
    await().atMost(LIVE).until(() -> !events("org/novnc/proxy/session/CLOSED").isEmpty());
    assertNull(events("org/novnc/proxy/session/OPENED").get(0).getProperty("user"));
  }
}
