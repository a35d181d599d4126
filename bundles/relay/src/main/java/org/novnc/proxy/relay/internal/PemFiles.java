package org.novnc.proxy.relay.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key from PEM files, as {@code openssl} writes them: one file
 * holding both (what {@code openssl req -new -x509 -nodes -out self.pem -keyout self.pem} makes)
 * or two; RSA and EC keys in PKCS#1 / SEC1 ("BEGIN RSA/EC PRIVATE KEY") or PKCS#8 ("BEGIN PRIVATE
 * KEY") form. Encrypted keys are refused with a message saying so.
 */
record PemFiles(List<X509Certificate> chain, PrivateKey key) {

  /** Reads {@code cert} (and {@code key}, or the key from {@code cert} when null). */
  static PemFiles read(Path cert, Path key) throws IOException {
    List<X509Certificate> chain = new ArrayList<>();
    List<PrivateKey> keys = new ArrayList<>();
    collect(cert, chain, keys);
    if (key != null) {
      keys.clear();
      collect(key, new ArrayList<>(), keys);
    }
    if (chain.isEmpty()) {
      throw new IOException(cert + " holds no certificate (expected -----BEGIN CERTIFICATE-----)");
    }
    if (keys.isEmpty()) {
      throw new IOException((key == null ? cert : key) + " holds no private key"
          + (key == null ? " (put it in the same file or set key)" : ""));
    }
    return new PemFiles(List.copyOf(chain), keys.get(0));
  }

  /** The certificates in {@code file} (a CA bundle); keys in it are ignored. */
  static List<X509Certificate> certificates(Path file) throws IOException {
    List<X509Certificate> certs = new ArrayList<>();
    collect(file, certs, new ArrayList<>());
    return List.copyOf(certs);
  }

  private static void collect(Path file, List<X509Certificate> chain, List<PrivateKey> keys) throws IOException {
    JcaPEMKeyConverter keyConverter = new JcaPEMKeyConverter();
    JcaX509CertificateConverter certConverter = new JcaX509CertificateConverter();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
      for (Object o; (o = pem.readObject()) != null; ) {
        if (o instanceof X509CertificateHolder holder) {
          chain.add(certConverter.getCertificate(holder));
        } else if (o instanceof PEMKeyPair pair) {
          keys.add(keyConverter.getKeyPair(pair).getPrivate());
        } else if (o instanceof PrivateKeyInfo info) {
          keys.add(keyConverter.getPrivateKey(info));
        } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new IOException(file + " holds an encrypted private key; write it without a passphrase (openssl ... -nodes, or openssl pkey -in KEY -out PLAIN)");
        }
      }
    } catch (CertificateException e) {
      throw new IOException(file + " holds a certificate that cannot be read: " + e.getMessage(), e);
    }
  }
}
