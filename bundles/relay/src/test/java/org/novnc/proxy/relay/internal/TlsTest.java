package org.novnc.proxy.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.novnc.proxy.codec.CodecSettings;

/** wss:// with PEM files made by openssl, as a user would make them. */
class TlsTest {
  static {
    LeakCheck.install();
  }

  @TempDir
  Path tmp;
  private EventLoops loops;
  private RelayListener listener;
  private GreetingTarget target;

  @BeforeEach
  void start() throws IOException {
    loops = new EventLoops(1);
    listener = new RelayListener("test", loops, () -> CodecSettings.DEFAULTS);
    target = new GreetingTarget("hello");
  }

  @AfterEach
  void stop() throws IOException {
    listener.stop();
    target.close();
    loops.close();
  }

  private void openssl(String... args) throws Exception {
    Process p = new ProcessBuilder(args).directory(tmp.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl finished");
    assertEquals(0, p.exitValue(), String.join(" ", args) + ": " + out);
  }

  /** The classic one-file certificate: openssl req -new -x509 -nodes -out self.pem -keyout self.pem. */
  private Path combinedRsa(String cn) throws Exception {
    openssl("openssl", "req", "-new", "-x509", "-days", "1", "-nodes", "-newkey", "rsa:2048",
        "-subj", "/CN=" + cn, "-out", "self.pem", "-keyout", "self.pem");
    return tmp.resolve("self.pem");
  }

  private int listen(String cert, String key, boolean only) throws Exception {
    TlsSettings tls = TlsSettings.of(cert, key, only);
    listener.apply(TestSettings.relay(new HostPort("127.0.0.1", 0), target.address(),
        null, null, null, OriginPolicy.SAME_HOST, tls, 10, 0, 0));
    assertNotNull(listener.boundAddress());
    return listener.boundAddress().getPort();
  }

  private static SSLSocket tls(int port) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(5000);
    s.startHandshake();
    return s;
  }

  /** WebSocket handshake on {@code s}, then the payload of the first (small, binary) frame. */
  private static String greeting(Socket s) throws IOException {
    s.setSoTimeout(5000);
    s.getOutputStream().write(("GET /websockify HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    DataInputStream in = new DataInputStream(s.getInputStream());
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
    assertEquals(0x82, in.readUnsignedByte());
    byte[] payload = new byte[in.readUnsignedByte()];
    in.readFully(payload);
    return new String(payload, StandardCharsets.US_ASCII);
  }

  private static String subject(SSLSocket s) throws Exception {
    return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
  }

  @Test
  void combinedRsaPemServesWssAndPlainOnOnePort() throws Exception {
    int port = listen(combinedRsa("one").toString(), null, false);
    try (SSLSocket s = tls(port)) {
      assertEquals("CN=one", subject(s));
      assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(s.getSession().getProtocol()));
      assertEquals("hello", greeting(s));
    }
    try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
      assertEquals("hello", greeting(plain), "plain ws:// on the same port");
    }
  }

  @Test
  void separateEcKeyInSec1Form() throws Exception {
    openssl("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
    assertTrue(Files.readString(tmp.resolve("ec.key")).contains("BEGIN EC PRIVATE KEY"));
    openssl("openssl", "req", "-new", "-x509", "-days", "1", "-key", "ec.key", "-subj", "/CN=ec", "-out", "ec.crt");
    int port = listen(tmp.resolve("ec.crt").toString(), tmp.resolve("ec.key").toString(), false);
    try (SSLSocket s = tls(port)) {
      assertEquals("CN=ec", subject(s));
      assertEquals("hello", greeting(s));
    }
  }

  @Test
  void separateRsaKeyInPkcs1FormAndSslOnlyRefusesPlain() throws Exception {
    openssl("openssl", "genrsa", "-traditional", "-out", "rsa.key", "2048");
    assertTrue(Files.readString(tmp.resolve("rsa.key")).contains("BEGIN RSA PRIVATE KEY"));
    openssl("openssl", "req", "-new", "-x509", "-days", "1", "-key", "rsa.key", "-subj", "/CN=pkcs1", "-out", "rsa.crt");
    int port = listen(tmp.resolve("rsa.crt").toString(), tmp.resolve("rsa.key").toString(), true);
    try (SSLSocket s = tls(port)) {
      assertEquals("CN=pkcs1", subject(s));
      assertEquals("hello", greeting(s));
    }
    try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
      assertThrows(IOException.class, () -> greeting(plain), "ssl.only: a plain client gets no WebSocket");
    }
  }

  @Test
  void changedCertificateIsUsedWithoutRestart() throws Exception {
    Path pem = combinedRsa("before");
    int port = listen(pem.toString(), null, true);
    try (SSLSocket s = tls(port)) {
      assertEquals("CN=before", subject(s));
    }
    combinedRsa("after");
    Files.setLastModifiedTime(pem, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    Thread.sleep(1100); // the files are looked at no more than once a second
    try (SSLSocket s = tls(port)) {
      assertEquals("CN=after", subject(s));
    }
  }

  @Test
  void unusableCertificatesAreClearConfigErrors() throws Exception {
    org.novnc.proxy.codec.config.InvalidConfigException missing = assertThrows(org.novnc.proxy.codec.config.InvalidConfigException.class,
        () -> TlsSettings.of(tmp.resolve("nope.pem").toString(), null, false));
    assertTrue(missing.getMessage().startsWith("cert = '" + tmp.resolve("nope.pem") + "' cannot be used"), missing.getMessage());
    Files.writeString(tmp.resolve("cert-only.pem"), Files.readString(combinedRsa("x")).replaceAll("(?s)-----BEGIN PRIVATE KEY-----.*-----END PRIVATE KEY-----\\n?", ""));
    org.novnc.proxy.codec.config.InvalidConfigException noKey = assertThrows(org.novnc.proxy.codec.config.InvalidConfigException.class,
        () -> TlsSettings.of(tmp.resolve("cert-only.pem").toString(), null, false));
    assertTrue(noKey.getMessage().contains("holds no private key"), noKey.getMessage());
  }
}
