package org.novnc.proxy.auth.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refusals of the jwt method, one vector each, and the tokens it accepts. */
class JwtCheckerTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final byte[] SECRET = "a-secret-of-at-least-32-bytes-for-hs256!".getBytes(StandardCharsets.US_ASCII);
  private static ECKey ec;
  private static RSAKey rsa;
  @TempDir
  static Path dir;

  @BeforeAll
  static void keys() throws Exception {
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
    rsa = new RSAKeyGenerator(2048).keyID("rsa1").generate();
  }

  private static JWTClaimsSet.Builder valid() {
    return new JWTClaimsSet.Builder().subject("alice").expirationTime(new Date(NOW + 60_000)).claim("target", "10.0.0.5:5901");
  }

  private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, JWSSigner signer) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static String hs(JWTClaimsSet claims) throws Exception {
    return sign(claims, JWSAlgorithm.HS256, new MACSigner(SECRET));
  }

  private static JwtChecker checker(String keyText, String issuer, String audience) throws Exception {
    Path key = Files.writeString(Files.createTempFile(dir, "key", ".txt"), keyText);
    return JwtChecker.of(key, null, issuer, audience, () -> NOW);
  }

  private static JwtChecker hsChecker() throws Exception {
    Path key = Files.write(Files.createTempFile(dir, "secret", ".bin"), SECRET);
    return JwtChecker.of(key, null, "", "", () -> NOW);
  }

  private static String pem(Key key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  private static String refusal(JwtChecker c, String token) {
    return assertThrows(JwtChecker.Refused.class, () -> c.check(token)).getMessage();
  }

  @Test
  void hs256TokenGivesItsClaims() throws Exception {
    JwtChecker.Claims c = hsChecker().check(hs(valid().claim("view_only", true).build()));
    assertEquals("alice", c.user());
    assertEquals("10.0.0.5:5901", c.target());
    assertTrue(c.viewOnly());
    assertNull(c.password());
  }

  @Test
  void websockifyHostAndPortClaimsNameTheTarget() throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().expirationTime(new Date(NOW + 60_000)).claim("host", "vnc.example")
        .claim("port", 5902).build();
    JwtChecker.Claims c = hsChecker().check(hs(claims));
    assertEquals("vnc.example:5902", c.target());
    assertNull(c.user());
    assertFalse(c.viewOnly());
  }

  @Test
  void es256WithAPemPublicKey() throws Exception {
    String token = sign(valid().build(), JWSAlgorithm.ES256, new ECDSASigner(ec));
    assertEquals("alice", checker(pem(ec.toECPublicKey()), "", "").check(token).user());
  }

  @Test
  void rs256WithAJwkSet() throws Exception {
    String token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa1").build(), valid().build()) {
      {
        sign(new RSASSASigner(rsa));
      }
    }.serialize();
    String jwks = new JWKSet(java.util.List.of(ec.toPublicJWK(), rsa.toPublicJWK())).toString();
    assertEquals("alice", checker(jwks, "", "").check(token).user());
  }

  @Test
  void aJwkSetMayHoldAnHmacSecretNextToPublicKeys() throws Exception {
    String jwks = new JWKSet(java.util.List.of(new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(SECRET).build(), ec)).toString(false);
    JwtChecker c = checker(jwks, "", "");
    assertEquals("alice", c.check(hs(valid().build())).user());
    assertEquals("alice", c.check(sign(valid().build(), JWSAlgorithm.ES256, new ECDSASigner(ec))).user());
  }

  @Test
  void aTokenSeenBeforeIsStillCheckedForExpiry() throws Exception {
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(NOW);
    Path key = Files.write(Files.createTempFile(dir, "secret", ".bin"), SECRET);
    JwtChecker c = JwtChecker.of(key, null, "", "", clock::get);
    String token = hs(valid().build());
    assertEquals("alice", c.check(token).user());
    assertEquals("alice", c.check(token).user()); // remembered
    clock.set(NOW + 3_600_000);
    assertEquals("The token has expired.", refusal(c, token));
  }

  @Test
  void expiredIsRefused() throws Exception {
    String token = hs(valid().expirationTime(new Date(NOW - 3_600_000)).build());
    assertEquals("The token has expired.", refusal(hsChecker(), token));
  }

  @Test
  void notYetValidIsRefused() throws Exception {
    String token = hs(valid().notBeforeTime(new Date(NOW + 3_600_000)).build());
    assertEquals("The token is not valid yet (nbf).", refusal(hsChecker(), token));
  }

  @Test
  void noExpiryIsRefused() throws Exception {
    String token = hs(new JWTClaimsSet.Builder().claim("target", "h:1").build());
    assertEquals("The token has no expiry (exp).", refusal(hsChecker(), token));
  }

  @Test
  void aChangedPayloadFailsTheSignature() throws Exception {
    String token = hs(valid().build());
    String[] parts = token.split("\\.");
    String evil = Base64.getUrlEncoder().withoutPadding().encodeToString(
        valid().claim("target", "127.0.0.1:22").build().toString().getBytes(StandardCharsets.UTF_8));
    assertEquals("The token's signature is not valid.", refusal(hsChecker(), parts[0] + "." + evil + "." + parts[2]));
  }

  @Test
  void anotherSecretFailsTheSignature() throws Exception {
    byte[] other = SECRET.clone();
    other[3] ^= 1;
    String token = sign(valid().build(), JWSAlgorithm.HS256, new MACSigner(other));
    assertEquals("The token's signature is not valid.", refusal(hsChecker(), token));
  }

  @Test
  void algNoneIsRefused() throws Exception {
    String token = new PlainJWT(valid().build()).serialize();
    assertTrue(JwtChecker.looksLikeJwt(token));
    assertEquals("The token is not signed (alg: none).", refusal(hsChecker(), token));
  }

  @Test
  void anHmacTokenMadeWithThePublicKeyIsRefused() throws Exception {
    // the classic algorithm confusion: HS256 "signed" with the PEM text of the RSA public key
    String pem = pem(rsa.toRSAPublicKey());
    String token = sign(valid().build(), JWSAlgorithm.HS256, new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)));
    assertEquals("The token's algorithm HS256 does not fit the configured key.", refusal(checker(pem, "", ""), token));
  }

  @Test
  void anEcTokenAgainstAnHmacSecretIsRefused() throws Exception {
    String token = sign(valid().build(), JWSAlgorithm.ES256, new ECDSASigner(ec));
    assertEquals("The token's algorithm ES256 does not fit the configured key.", refusal(hsChecker(), token));
  }

  @Test
  void issuerAndAudienceMustMatchWhenSet() throws Exception {
    Path key = Files.write(Files.createTempFile(dir, "secret", ".bin"), SECRET);
    JwtChecker strict = JwtChecker.of(key, null, "portal", "novnc", () -> NOW);
    assertEquals("The token has the wrong issuer.", refusal(strict, hs(valid().issuer("other").audience("novnc").build())));
    assertEquals("The token has the wrong audience.", refusal(strict, hs(valid().issuer("portal").audience("else").build())));
    assertEquals("alice", strict.check(hs(valid().issuer("portal").audience("novnc").build())).user());
  }

  @Test
  void garbageIsRefused() throws Exception {
    assertEquals("The token cannot be read.", refusal(hsChecker(), "a.b.c"));
    assertFalse(JwtChecker.looksLikeJwt("desktop1"));
  }

  @Test
  void directEncryptedTokensMayCarryAPassword() throws Exception {
    byte[] aes = new byte[32];
    new java.security.SecureRandom().nextBytes(aes);
    EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), valid().claim("password", "s3cret").build());
    jwe.encrypt(new DirectEncrypter(aes));
    Path key = Files.write(Files.createTempFile(dir, "secret", ".bin"), SECRET);
    Path dec = Files.write(Files.createTempFile(dir, "aes", ".bin"), aes);
    JwtChecker c = JwtChecker.of(key, dec, "", "", () -> NOW);
    JwtChecker.Claims claims = c.check(jwe.serialize());
    assertArrayEquals("s3cret".toCharArray(), claims.password());
    assertEquals("Encrypted tokens are not accepted here (no jwt.decrypt.key).", refusal(hsChecker(), jwe.serialize()));
  }

  @Test
  void rsaEncryptedTokensMustCarryASignedOne() throws Exception {
    EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM), valid().build());
    jwe.encrypt(new RSAEncrypter(rsa.toRSAPublicKey()));
    Path key = Files.write(Files.createTempFile(dir, "secret", ".bin"), SECRET);
    Path dec = Files.writeString(Files.createTempFile(dir, "rsa", ".pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(rsa.toRSAPrivateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    JwtChecker c = JwtChecker.of(key, dec, "", "", () -> NOW);
    assertEquals("A token encrypted with RSA-OAEP-256 must carry a signed token.", refusal(c, jwe.serialize()));
  }

  @Test
  void unusableKeysAreExplained() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JwtChecker.verificationKeys("short\n".getBytes()));
    assertTrue(e.getMessage().contains("at least 32"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> JwtChecker.verificationKeys("{\"keys\":[]}".getBytes()));
    assertTrue(e.getMessage().contains("without keys"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> JwtChecker.verificationKeys("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n".getBytes()));
    assertTrue(e.getMessage().contains("no PUBLIC KEY"), e.getMessage());
  }
}
