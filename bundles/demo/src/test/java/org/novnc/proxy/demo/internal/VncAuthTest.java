package org.novnc.proxy.demo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** VNC Authentication's DES, against known vectors. */
class VncAuthTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * The classic DES example (key 133457799BBCDFF1, plaintext 0123456789ABCDEF, ciphertext
   * 85E813540F0AB405). A VNC password whose bytes, each bit-reversed, make that key: C8 2C EA 9E D9 3D
   * FB 8F (0x13 = 00010011 reversed is 11001000 = 0xC8, and so on).
   */
  @Test
  void bitReversedKeyMeetsTheStandardDesVector() {
    byte[] password = HEX.parseHex("c82cea9ed93dfb8f");
    byte[] challenge = HEX.parseHex("0123456789abcdef0123456789abcdef");
    assertEquals("85e813540f0ab40585e813540f0ab405", HEX.formatHex(VncAuth.encrypt(password, challenge)));
  }

  /**
   * TigerVNC's {@code vncpasswd -f} stores "password" as DB D8 3C FD 72 7A 14 58: the password
   * encrypted by VNC's DES with the fixed key 17 52 6B 06 23 4E 58 07 (the same key handling as VNC
   * Authentication, from an independent implementation).
   */
  @Test
  void matchesVncpasswdObfuscation() {
    byte[] fixedKey = HEX.parseHex("17526b06234e5807");
    byte[] plain = "password".getBytes(StandardCharsets.US_ASCII);
    assertEquals("dbd83cfd727a1458", HEX.formatHex(VncAuth.encrypt(fixedKey, plain)));
    // and "secret" (zero padded to 8 bytes) as 2E 2D BF 57 6E B0 6C 9E
    assertEquals("2e2dbf576eb06c9e", HEX.formatHex(VncAuth.encrypt(fixedKey, VncAuth.passwordBytes("secret"))));
  }

  @Test
  void passwordIsTruncatedAndPaddedToEightBytes() {
    assertArrayEquals(HEX.parseHex("7365637265740000"), VncAuth.passwordBytes("secret"));
    assertArrayEquals("12345678".getBytes(StandardCharsets.US_ASCII), VncAuth.passwordBytes("123456789"));
  }

  @Test
  void verifiesOnlyTheRightResponse() {
    byte[] challenge = VncAuth.challenge();
    byte[] key = VncAuth.passwordBytes("s3cr3t");
    byte[] response = VncAuth.encrypt(key, challenge);
    assertTrue(VncAuth.verify(key, challenge, response));
    assertFalse(VncAuth.verify(VncAuth.passwordBytes("s3cr3T"), challenge, response));
    response[15] ^= 1;
    assertFalse(VncAuth.verify(key, challenge, response));
  }
}
