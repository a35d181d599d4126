package org.novnc.proxy.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Login session cookies, signed with HMAC-SHA256: {@code novnc_session=v1.REALM.USER.ROLES.EXPIRES.MAC}
 * (fields base64url, expiry in epoch seconds). Nothing in the cookie is secret, but nothing in it
 * can be changed either: a changed user, role, realm or expiry fails the MAC, compared in
 * constant time. The roles are those the realm gave at login; a changed role applies at the next
 * login (at most {@code auth.session.timeout} later).
 */
final class SessionCookies {
  static final String NAME = "novnc_session";
  private static final String VERSION = "v1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  SessionCookies(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("a cookie key needs at least 32 bytes, this one has " + key.length);
    }
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** A verified login: who, from which realm, with which roles, until when. */
  record Login(String realm, String user, Set<String> roles, long expires) {}

  /** The cookie value for {@code login}. */
  String sign(Login login) {
    String payload = VERSION + "." + b64(login.realm()) + "." + b64(login.user()) + "." + b64(String.join(",", login.roles()))
        + "." + login.expires();
    return payload + "." + B64.encodeToString(mac(payload));
  }

  /** The {@code Set-Cookie} header value carrying {@code login}. */
  String setCookie(Login login, long maxAgeSeconds, boolean secure) {
    return NAME + "=" + sign(login) + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  /** The {@code Set-Cookie} header value that ends a login. */
  static String clearCookie(boolean secure) {
    return NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  /** The value of our cookie in a {@code Cookie} header, or null. */
  static String find(String cookieHeader) {
    if (cookieHeader == null) {
      return null;
    }
    for (String part : cookieHeader.split(";")) {
      String p = part.trim();
      if (p.startsWith(NAME + "=")) {
        return p.substring(NAME.length() + 1);
      }
    }
    return null;
  }

  /**
   * The login a cookie value proves, or null when it is not one of ours (bad form, bad MAC). The
   * expiry is returned as signed; the caller compares it with the clock.
   */
  Login verify(String value) {
    if (value == null || value.length() > 4096) {
      return null;
    }
    int lastDot = value.lastIndexOf('.');
    if (lastDot < 0) {
      return null;
    }
    String payload = value.substring(0, lastDot);
    byte[] given;
    try {
      given = UNB64.decode(value.substring(lastDot + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!MessageDigest.isEqual(mac(payload), given)) {
      return null;
    }
    String[] f = payload.split("\\.", -1);
    if (f.length != 5 || !f[0].equals(VERSION)) {
      return null;
    }
    try {
      String roles = unb64(f[3]);
      return new Login(unb64(f[1]), unb64(f[2]), roles.isEmpty() ? Set.of() : Set.copyOf(List.of(roles.split(","))),
          Long.parseLong(f[4]));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private byte[] mac(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static String b64(String s) {
    return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String unb64(String s) {
    return new String(UNB64.decode(s), StandardCharsets.UTF_8);
  }
}
