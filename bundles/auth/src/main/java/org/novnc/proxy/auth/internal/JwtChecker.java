package org.novnc.proxy.auth.internal;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The {@code jwt} method: a signed token in {@code ?token=}, checked with nimbus-jose-jwt against
 * the key of {@code jwt.key}. Refused, with a reason for the browser and the audit event: a token
 * that is not signed ({@code alg: none}), an algorithm the key does not fit, a bad signature, no
 * {@code exp}, expired, not yet valid, a wrong issuer or audience, no target. Encrypted tokens
 * (JWE) are decrypted with {@code jwt.decrypt.key}: {@code dir}/{@code A256GCM} (whose
 * authenticated encryption proves the issuer knows the secret) may carry the claims directly;
 * {@code RSA-OAEP-256}, which anyone with the public key can make, must carry a signed token.
 */
final class JwtChecker {
  /** Clock skew allowed on exp and nbf. */
  static final long SKEW_SECONDS = 30;

  /** Verified tokens remembered (a reconnect presents the same token again): their signature is not checked twice. */
  static final int CACHE = 4096;
  /**
   * ECDSA verification with BouncyCastle, about four times faster than the JDK 17 provider's
   * (an ES256 check costs about 0.2 ms instead of 0.8 ms of an event loop's time).
   */
  private static final java.security.Provider EC_PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  private final List<JWK> keys;
  private final java.util.Map<String, JWTClaimsSet> verified = new java.util.LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<String, JWTClaimsSet> eldest) {
      return size() > CACHE;
    }
  };
  private final Key decryptKey;
  private final String issuer;
  private final String audience;
  private final LongSupplier epochMillis;

  private JwtChecker(List<JWK> keys, Key decryptKey, String issuer, String audience, LongSupplier epochMillis) {
    this.keys = keys;
    this.decryptKey = decryptKey;
    this.issuer = issuer;
    this.audience = audience;
    this.epochMillis = epochMillis;
  }

  /** What a token proves: user (its {@code sub}, may be null), target, view-only, and a password when encrypted. */
  record Claims(String user, String target, boolean viewOnly, char[] password) {}

  /** A refused token. */
  static final class Refused extends Exception {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * @throws IllegalArgumentException with what is wrong with the key files, for the config error line
   */
  static JwtChecker of(Path keyFile, Path decryptFile, String issuer, String audience, LongSupplier epochMillis) throws IOException {
    List<JWK> keys = verificationKeys(Files.readAllBytes(keyFile));
    Key decrypt = decryptFile == null ? null : decryptionKey(Files.readAllBytes(decryptFile));
    return new JwtChecker(keys, decrypt, blankToNull(issuer), blankToNull(audience), epochMillis);
  }

  /** Whether {@code token} has the form of a JWT (JWS: three parts, JWE: five), rather than a token name. */
  static boolean looksLikeJwt(String token) {
    if (token == null) {
      return false;
    }
    int dots = 0;
    for (int i = 0; i < token.length(); i++) {
      if (token.charAt(i) == '.') {
        dots++;
      }
    }
    return dots == 2 || dots == 4;
  }

  Claims check(String token) throws Refused {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new Refused("The token cannot be read.");
    }
    JWTClaimsSet claims;
    char[] password = null;
    if (jwt instanceof PlainJWT) {
      throw new Refused("The token is not signed (alg: none).");
    } else if (jwt instanceof SignedJWT signed) {
      claims = cachedVerified(token, signed);
    } else if (jwt instanceof EncryptedJWT encrypted) {
      claims = decrypted(encrypted);
      try {
        String p = claims.getStringClaim("password");
        password = p == null ? null : p.toCharArray();
      } catch (ParseException e) {
        throw new Refused("The token's password claim is not text.");
      }
    } else {
      throw new Refused("The token cannot be read.");
    }
    long now = epochMillis.getAsLong();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new Refused("The token has no expiry (exp).");
    }
    if (exp.getTime() + SKEW_SECONDS * 1000 <= now) {
      throw new Refused("The token has expired.");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.getTime() - SKEW_SECONDS * 1000 > now) {
      throw new Refused("The token is not valid yet (nbf).");
    }
    if (issuer != null && !issuer.equals(claims.getIssuer())) {
      throw new Refused("The token has the wrong issuer.");
    }
    if (audience != null && (claims.getAudience() == null || !claims.getAudience().contains(audience))) {
      throw new Refused("The token has the wrong audience.");
    }
    Object viewOnly = claims.getClaim("view_only");
    return new Claims(claims.getSubject(), target(claims), Boolean.TRUE.equals(viewOnly) || "true".equals(viewOnly), password);
  }

  /** {@code target}, or websockify's {@code host} + {@code port}; null when neither is there. */
  private static String target(JWTClaimsSet claims) throws Refused {
    Object target = claims.getClaim("target");
    if (target != null) {
      if (!(target instanceof String s) || s.isBlank()) {
        throw new Refused("The token's target claim is not host:port or unix:/path.");
      }
      return s.trim();
    }
    Object host = claims.getClaim("host");
    Object port = claims.getClaim("port");
    if (host == null && port == null) {
      return null;
    }
    if (!(host instanceof String h) || h.isBlank() || port == null) {
      throw new Refused("The token's host and port claims are incomplete.");
    }
    String p = String.valueOf(port);
    return (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + p;
  }

  /**
   * The claims of a signed token, its signature checked once per distinct token text: the same
   * bytes verify the same way under the same keys. Times, issuer, audience and target are still
   * checked on every use.
   */
  private JWTClaimsSet cachedVerified(String token, SignedJWT signed) throws Refused {
    synchronized (verified) {
      JWTClaimsSet known = verified.get(token);
      if (known != null) {
        return known;
      }
    }
    JWTClaimsSet claims = verified(signed);
    synchronized (verified) {
      verified.put(token, claims);
    }
    return claims;
  }

  private JWTClaimsSet verified(SignedJWT signed) throws Refused {
    JWSHeader header = signed.getHeader();
    List<JWK> fitting = fitting(header);
    if (fitting.isEmpty()) {
      throw new Refused("The token's algorithm " + header.getAlgorithm() + " does not fit the configured key.");
    }
    DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
    if (JWSAlgorithm.Family.EC.contains(header.getAlgorithm())) {
      factory.getJCAContext().setProvider(EC_PROVIDER);
    }
    for (JWK jwk : fitting) {
      try {
        if (signed.verify(factory.createJWSVerifier(header, javaKey(jwk)))) {
          return signed.getJWTClaimsSet();
        }
      } catch (JOSEException | ParseException e) {
        // try the next key; none: bad signature
      }
    }
    throw new Refused("The token's signature is not valid.");
  }

  private JWTClaimsSet decrypted(EncryptedJWT encrypted) throws Refused {
    if (decryptKey == null) {
      throw new Refused("Encrypted tokens are not accepted here (no jwt.decrypt.key).");
    }
    JWEAlgorithm alg = encrypted.getHeader().getAlgorithm();
    EncryptionMethod enc = encrypted.getHeader().getEncryptionMethod();
    JWEDecrypter decrypter;
    try {
      if (JWEAlgorithm.DIR.equals(alg) && EncryptionMethod.A256GCM.equals(enc) && decryptKey instanceof javax.crypto.SecretKey secret) {
        decrypter = new DirectDecrypter(secret);
      } else if (JWEAlgorithm.RSA_OAEP_256.equals(alg) && decryptKey instanceof PrivateKey rsa) {
        decrypter = new RSADecrypter(rsa);
      } else {
        throw new Refused("The token's encryption " + alg + "/" + enc + " does not fit the configured decryption key.");
      }
      encrypted.decrypt(decrypter);
    } catch (JOSEException e) {
      throw new Refused("The token cannot be decrypted.");
    }
    SignedJWT nested = encrypted.getPayload().toSignedJWT();
    if (nested != null) {
      return verified(nested);
    }
    if (!JWEAlgorithm.DIR.equals(alg)) {
      throw new Refused("A token encrypted with " + alg + " must carry a signed token.");
    }
    try {
      return encrypted.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new Refused("The token's claims cannot be read.");
    }
  }

  /** The configured keys that can verify {@code header}'s algorithm, honouring its key id. */
  private List<JWK> fitting(JWSHeader header) {
    JWSAlgorithm alg = header.getAlgorithm();
    List<JWK> out = new ArrayList<>();
    for (JWK k : keys) {
      if (header.getKeyID() != null && k.getKeyID() != null && !header.getKeyID().equals(k.getKeyID())) {
        continue;
      }
      if (k.getAlgorithm() != null && !k.getAlgorithm().equals(alg)) {
        continue;
      }
      boolean fits;
      if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
        int bits = alg.equals(JWSAlgorithm.HS256) ? 256 : alg.equals(JWSAlgorithm.HS384) ? 384 : 512;
        fits = k instanceof OctetSequenceKey o && o.size() >= bits;
      } else if (JWSAlgorithm.Family.RSA.contains(alg)) {
        fits = k instanceof RSAKey;
      } else if (JWSAlgorithm.Family.EC.contains(alg)) {
        fits = k instanceof ECKey ec && Curve.forJWSAlgorithm(alg).contains(ec.getCurve());
      } else {
        fits = false;
      }
      if (fits) {
        out.add(k);
      }
    }
    return out;
  }

  private static Key javaKey(JWK jwk) throws JOSEException {
    if (jwk instanceof OctetSequenceKey o) {
      return o.toSecretKey();
    }
    if (jwk instanceof RSAKey r) {
      return r.toRSAPublicKey();
    }
    return ((ECKey) jwk).toECPublicKey();
  }

  /** {@code jwt.key}: a JWK set (JSON), a PEM public key or certificate, or the raw bytes of an HMAC secret. */
  static List<JWK> verificationKeys(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8).strip();
    if (text.startsWith("{")) {
      try {
        List<JWK> keys = new ArrayList<>();
        for (JWK k : JWKSet.parse(text).getKeys()) {
          keys.add(k instanceof OctetSequenceKey || !k.isPrivate() ? k : k.toPublicJWK()); // a secret has no public half
        }
        if (keys.isEmpty()) {
          throw new IllegalArgumentException("holds a JWK set without keys");
        }
        return List.copyOf(keys);
      } catch (ParseException e) {
        throw new IllegalArgumentException("holds JSON that is not a JWK set: " + e.getMessage());
      }
    }
    if (text.startsWith("-----BEGIN")) {
      List<JWK> keys = new ArrayList<>();
      for (PublicKey k : publicKeys(text)) {
        if (k instanceof RSAPublicKey rsa) {
          keys.add(new RSAKey.Builder(rsa).build());
        } else if (k instanceof ECPublicKey ec) {
          Curve curve = Curve.forECParameterSpec(ec.getParams());
          if (curve == null) {
            throw new IllegalArgumentException("holds an EC key on a curve tokens cannot use (P-256, P-384 or P-521)");
          }
          keys.add(new ECKey.Builder(curve, ec).build());
        } else {
          throw new IllegalArgumentException("holds a " + k.getAlgorithm() + " key; tokens are checked with RSA or EC keys");
        }
      }
      return List.copyOf(keys);
    }
    byte[] secret = trimNewline(content);
    if (secret.length < 32) {
      throw new IllegalArgumentException("holds a secret of " + secret.length + " bytes; an HS256 secret needs at least 32");
    }
    return List.of(new OctetSequenceKey.Builder(secret).build());
  }

  /** {@code jwt.decrypt.key}: a 32-byte secret (dir/A256GCM) or an RSA private key in PKCS#8 PEM (RSA-OAEP-256). */
  static Key decryptionKey(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8).strip();
    if (text.startsWith("-----BEGIN RSA PRIVATE KEY")) {
      throw new IllegalArgumentException("holds a PKCS#1 key; convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY8");
    }
    if (text.startsWith("-----BEGIN PRIVATE KEY")) {
      try {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pemBody(text, "PRIVATE KEY").get(0)));
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("holds a private key that is not RSA: " + e.getMessage());
      }
    }
    byte[] secret = trimNewline(content);
    if (secret.length != 32) {
      throw new IllegalArgumentException("holds " + secret.length + " bytes; dir/A256GCM needs a secret of exactly 32 bytes");
    }
    return new javax.crypto.spec.SecretKeySpec(secret, "AES");
  }

  private static List<PublicKey> publicKeys(String pem) {
    List<PublicKey> keys = new ArrayList<>();
    try {
      for (byte[] der : pemBody(pem, "PUBLIC KEY")) {
        keys.add(publicKey(der));
      }
      for (byte[] der : pemBody(pem, "CERTIFICATE")) {
        keys.add(CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey());
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("holds a key or certificate that cannot be read: " + e.getMessage());
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("holds no PUBLIC KEY or CERTIFICATE block (PKCS#1 RSA PUBLIC KEY: convert with openssl rsa -RSAPublicKey_in -pubout)");
    }
    return keys;
  }

  private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
    }
  }

  /** The DER bodies of the {@code -----BEGIN type-----} blocks of {@code pem}. */
  private static List<byte[]> pemBody(String pem, String type) {
    List<byte[]> out = new ArrayList<>();
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int at = 0;
    while ((at = pem.indexOf(begin, at)) >= 0) {
      int stop = pem.indexOf(end, at);
      if (stop < 0) {
        throw new IllegalArgumentException("has a " + type + " block without its END line");
      }
      out.add(Base64.getMimeDecoder().decode(pem.substring(at + begin.length(), stop)));
      at = stop + end.length();
    }
    return out;
  }

  private static byte[] trimNewline(byte[] b) {
    int n = b.length;
    while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) {
      n--;
    }
    return Arrays.copyOf(b, n);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
