package org.novnc.proxy.relay.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.novnc.proxy.codec.config.InvalidConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for a relay port (keys {@code cert}, {@code key}, {@code ssl.only}): TLS 1.2 and 1.3 only,
 * Netty's OpenSSL provider when it loads, the JDK's otherwise. Without {@code ssl.only} one port
 * serves TLS and plain connections, told apart by their first bytes. The files are checked again
 * (at most once a second, when a connection arrives) and a changed certificate is used from then
 * on; a new certificate that cannot be read is logged and the previous one kept.
 */
final class TlsSettings {
  private static final Logger LOG = LoggerFactory.getLogger(TlsSettings.class);
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final Path cert;
  private final Path key;
  private final boolean only;
  /** Certificates of the authorities whose client certificates are accepted, or null: none asked for. */
  private final Path ca;
  private final boolean requireClient;
  private SslContext context;
  private FileTime certTime;
  private FileTime keyTime;
  private long checkedAt;

  private TlsSettings(Path cert, Path key, boolean only, Path ca, boolean requireClient) {
    this.cert = cert;
    this.key = key;
    this.only = only;
    this.ca = ca;
    this.requireClient = requireClient;
  }

  /** Null when no {@code cert} is set. */
  static TlsSettings of(String cert, String key, boolean sslOnly) throws InvalidConfigException {
    return of(cert, key, sslOnly, "", false);
  }

  /**
   * Null when no {@code cert} is set.
   *
   * @param ca a PEM file of the authorities whose client certificates are accepted; empty: none asked for
   * @param verifyClient whether a client certificate is required (else only asked for when {@code ca} is set)
   */
  static TlsSettings of(String cert, String key, boolean sslOnly, String ca, boolean verifyClient) throws InvalidConfigException {
    boolean hasCa = ca != null && !ca.isBlank();
    if (verifyClient && !hasCa) {
      throw new InvalidConfigException("verify.client", true, "needs ca (the PEM file of the authorities that sign client certificates)");
    }
    if (cert == null || cert.isBlank()) {
      if (sslOnly) {
        throw new InvalidConfigException("ssl.only", true, "needs cert");
      }
      if (hasCa) {
        throw new InvalidConfigException("ca", ca, "needs cert (client certificates are asked for on TLS only)");
      }
      if (key != null && !key.isBlank()) {
        throw new InvalidConfigException("key", key, "needs cert");
      }
      return null;
    }
    Path c = Path.of(cert.trim());
    Path k = key == null || key.isBlank() ? null : Path.of(key.trim());
    Path authorities = hasCa ? Path.of(ca.trim()) : null;
    if (authorities != null) {
      try {
        if (PemFiles.certificates(authorities).isEmpty()) {
          throw new InvalidConfigException("ca", ca, "holds no PEM certificate");
        }
      } catch (IOException | RuntimeException e) {
        throw new InvalidConfigException("ca", ca, "cannot be used: " + e.getMessage());
      }
    }
    TlsSettings tls = new TlsSettings(c, k, sslOnly, authorities, verifyClient);
    try {
      tls.load();
    } catch (IOException | RuntimeException e) {
      String which = k != null && e.getMessage() != null && e.getMessage().startsWith(k.toString()) ? "key" : "cert";
      throw new InvalidConfigException(which, which.equals("key") ? key : cert, "cannot be used: " + e.getMessage());
    }
    return tls;
  }

  boolean sslOnly() {
    return only;
  }

  /** Whether clients are asked for a certificate ({@code ca} set). */
  boolean asksClients() {
    return ca != null;
  }

  String provider() {
    return OpenSsl.isAvailable() ? "OpenSSL" : "JDK";
  }

  /** The handler a new connection starts with: TLS, or TLS-if-the-client-speaks-it. */
  ChannelHandler newHandler(ByteBufAllocator alloc, String pid) {
    SslContext ctx = current(pid);
    return only ? ctx.newHandler(alloc) : new OptionalSslHandler(ctx);
  }

  private synchronized SslContext current(String pid) {
    long now = System.nanoTime();
    if (now - checkedAt > 1_000_000_000L) {
      checkedAt = now;
      try {
        if (!Objects.equals(certTime, Files.getLastModifiedTime(cert))
            || (key != null && !Objects.equals(keyTime, Files.getLastModifiedTime(key)))) {
          load();
          LOG.info("{}: certificate {} reloaded", pid, cert);
        }
      } catch (IOException | RuntimeException e) {
        LOG.error("{}: cert = '{}' changed but cannot be used ({}); keeping the previous certificate", pid, cert, e.getMessage());
        certTime = null; // try again on a later connection
      }
    }
    return context;
  }

  private void load() throws IOException {
    FileTime ct = Files.getLastModifiedTime(cert);
    FileTime kt = key == null ? null : Files.getLastModifiedTime(key);
    PemFiles pem = PemFiles.read(cert, key);
    SslContextBuilder builder = SslContextBuilder.forServer(pem.key(), pem.chain().toArray(new X509Certificate[0]))
        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
        .protocols(PROTOCOLS);
    if (ca != null) {
      builder.trustManager(PemFiles.certificates(ca).toArray(new X509Certificate[0]))
          .clientAuth(requireClient ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
    }
    context = builder.build();
    certTime = ct;
    keyTime = kt;
  }
}
