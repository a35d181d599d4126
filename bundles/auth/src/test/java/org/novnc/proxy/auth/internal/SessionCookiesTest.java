package org.novnc.proxy.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionCookiesTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private final SessionCookies cookies = new SessionCookies(KEY);
  private final SessionCookies.Login alice = new SessionCookies.Login("karaf", "alice", Set.of("novnc"), 2_000_000_000L);

  @Test
  void aSignedLoginVerifies() {
    SessionCookies.Login back = cookies.verify(cookies.sign(alice));
    assertEquals(alice, back);
  }

  @Test
  void everyChangedFieldFailsTheSignature() {
    String value = cookies.sign(alice);
    String[] f = value.split("\\.");
    String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString("admin".getBytes(StandardCharsets.UTF_8));
    for (int i = 1; i <= 4; i++) {
      String[] g = Arrays.copyOf(f, f.length);
      g[i] = i == 4 ? "4000000000" : b64;
      assertNull(cookies.verify(String.join(".", g)), "field " + i + " changed");
    }
    String[] g = Arrays.copyOf(f, f.length);
    g[5] = g[5].substring(0, g[5].length() - 2) + (g[5].endsWith("AA") ? "BB" : "AA");
    assertNull(cookies.verify(String.join(".", g)), "mac changed");
    assertNull(cookies.verify(value.substring(0, value.lastIndexOf('.'))), "mac missing");
    assertNull(cookies.verify("garbage"));
    assertNull(cookies.verify(""));
    assertNull(cookies.verify(null));
  }

  @Test
  void anotherKeyDoesNotVerify() {
    byte[] other = KEY.clone();
    other[0] ^= 1;
    assertNull(new SessionCookies(other).verify(cookies.sign(alice)));
  }

  @Test
  void theCookieIsHttpOnlyStrictAndSecureOnTls() {
    String plain = cookies.setCookie(alice, 3600, false);
    assertTrue(plain.startsWith("novnc_session="));
    assertTrue(plain.contains("; HttpOnly") && plain.contains("; SameSite=Strict") && plain.contains("; Max-Age=3600"), plain);
    assertTrue(!plain.contains("Secure"));
    assertTrue(cookies.setCookie(alice, 3600, true).endsWith("; Secure"));
    assertTrue(SessionCookies.clearCookie(false).contains("Max-Age=0"));
  }

  @Test
  void findsItsCookieAmongOthers() {
    assertEquals("abc.def", SessionCookies.find("a=1; novnc_session=abc.def; b=2"));
    assertNull(SessionCookies.find("a=1; xnovnc_session=abc"));
    assertNull(SessionCookies.find(null));
    assertNotNull(SessionCookies.find("novnc_session="));
  }

  @Test
  void shortKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SessionCookies(new byte[16]));
  }
}
