package org.novnc.proxy.rfb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class VncAuthTest {
  @Test
  void aKnownChallengeAndResponse() {
    // password "password", challenge 00..0f: the response TigerVNC's vncviewer sends
    byte[] challenge = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    byte[] expected = new Des(reversed("password")).encrypt(challenge);
    assertArrayEquals(expected, VncAuth.response(VncAuth.passwordBytes("password"), challenge));
    assertTrue(VncAuth.verify(VncAuth.passwordBytes("password"), challenge, expected));
    assertFalse(VncAuth.verify(VncAuth.passwordBytes("passwore"), challenge, expected));
  }

  @Test
  void tigerVncsObfuscatedPasswordFileIsTheSameDesWithItsFixedKey() {
    // vncpasswd -f (tigervnc-tools) stores the password DES-encrypted under a fixed VNC key:
    //   echo password | vncpasswd -f | xxd -p   ->  dbd83cfd727a1458
    byte[] fixed = {23, 82, 107, 6, 35, 78, 88, 7};
    byte[] block = new byte[16];
    System.arraycopy(VncAuth.passwordBytes("password"), 0, block, 0, 8);
    assertArrayEquals(HexFormat.of().parseHex("dbd83cfd727a1458"), java.util.Arrays.copyOf(VncAuth.response(fixed, block), 8));
    System.arraycopy(VncAuth.passwordBytes("12345678"), 0, block, 0, 8);
    assertArrayEquals(HexFormat.of().parseHex("f0e43164f6c2e373"), java.util.Arrays.copyOf(VncAuth.response(fixed, block), 8));
  }

  @Test
  void onlyTheFirstEightCharactersCount() {
    byte[] c = VncAuth.challenge();
    assertArrayEquals(VncAuth.response(VncAuth.passwordBytes("12345678"), c), VncAuth.response(VncAuth.passwordBytes("12345678-more"), c));
    assertArrayEquals(VncAuth.passwordBytes("abc"), VncAuth.passwordBytes("abc".toCharArray()));
  }

  private static byte[] reversed(String password) {
    byte[] k = new byte[8];
    for (int i = 0; i < password.length(); i++) {
      k[i] = (byte) (Integer.reverse(password.charAt(i)) >>> 24);
    }
    return k;
  }
}
