package org.novnc.proxy.demo.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * VNC Authentication (RFC 6143 §7.2.2): the client DES-encrypts a random 16-byte challenge with the
 * password as key. The key is the password's first 8 bytes, zero padded, each byte with its bits in
 * reverse order (VNC's historic DES key schedule reads the bits the other way round).
 */
final class VncAuth {
  private static final SecureRandom RANDOM = new SecureRandom();

  private VncAuth() {}

  static byte[] challenge() {
    byte[] c = new byte[RfbProtocol.CHALLENGE_LENGTH];
    RANDOM.nextBytes(c);
    return c;
  }

  /** The password as VNC uses it: Latin-1 bytes, at most 8. */
  static byte[] passwordBytes(String password) {
    byte[] all = password.getBytes(StandardCharsets.ISO_8859_1);
    byte[] eight = new byte[8];
    System.arraycopy(all, 0, eight, 0, Math.min(8, all.length));
    return eight;
  }

  /** DES/ECB of {@code data} (a multiple of 8 bytes) under the VNC key made from {@code password}. */
  static byte[] encrypt(byte[] password, byte[] data) {
    byte[] key = new byte[8];
    for (int i = 0; i < 8 && i < password.length; i++) {
      key[i] = (byte) (Integer.reverse(password[i] & 0xff) >>> 24);
    }
    try {
      Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
      des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
      return des.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("DES is not available in this JDK", e);
    }
  }

  /** Whether {@code response} is the challenge encrypted with {@code password}; constant time. */
  static boolean verify(byte[] password, byte[] challenge, byte[] response) {
    return MessageDigest.isEqual(encrypt(password, challenge), response);
  }
}
