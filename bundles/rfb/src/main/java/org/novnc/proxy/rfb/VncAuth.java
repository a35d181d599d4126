package org.novnc.proxy.rfb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * VNC Authentication (RFC 6143 section 7.2.2): the client DES-encrypts a random 16-byte challenge
 * with the password as key. The key is the password's first 8 bytes (Latin-1), zero padded, each
 * byte with its bits in reverse order (VNC's historic DES key schedule reads the bits the other way
 * round).
 */
public final class VncAuth {
  /** Length of the challenge and of the response. */
  public static final int CHALLENGE_LENGTH = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private VncAuth() {}

  /** A new random challenge (servers). */
  public static byte[] challenge() {
    byte[] c = new byte[CHALLENGE_LENGTH];
    RANDOM.nextBytes(c);
    return c;
  }

  /** The password as VNC uses it: Latin-1 bytes, the first 8, zero padded. */
  public static byte[] passwordBytes(char[] password) {
    byte[] eight = new byte[8];
    for (int i = 0; i < 8 && i < password.length; i++) {
      eight[i] = (byte) (password[i] <= 0xFF ? password[i] : '?');
    }
    return eight;
  }

  /** The password as VNC uses it. */
  public static byte[] passwordBytes(String password) {
    byte[] all = password.getBytes(StandardCharsets.ISO_8859_1);
    byte[] eight = Arrays.copyOf(all, 8);
    Arrays.fill(all, (byte) 0);
    return eight;
  }

  /** The response to {@code challenge} (clients, and the proxy answering a server for the browser). */
  public static byte[] response(byte[] password, byte[] challenge) {
    byte[] key = new byte[8];
    for (int i = 0; i < 8 && i < password.length; i++) {
      key[i] = (byte) (Integer.reverse(password[i] & 0xFF) >>> 24);
    }
    try {
      return new Des(key).encrypt(challenge);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Whether {@code response} answers {@code challenge} under {@code password} (servers); constant time. */
  public static boolean verify(byte[] password, byte[] challenge, byte[] response) {
    return MessageDigest.isEqual(response(password, challenge), response);
  }
}
