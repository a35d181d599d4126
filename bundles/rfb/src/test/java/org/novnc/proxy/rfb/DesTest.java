package org.novnc.proxy.rfb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** DES on published vectors, and against the JDK's DES on random keys and blocks. */
class DesTest {
  private static final HexFormat HEX = HexFormat.of();

  private static String encrypt(String key, String block) {
    return HEX.formatHex(new Des(HEX.parseHex(key)).encrypt(HEX.parseHex(block)));
  }

  @Test
  void publishedVectors() {
    // the worked example of the standard's literature: key 133457799BBCDFF1
    assertEquals("85e813540f0ab405", encrypt("133457799bbcdff1", "0123456789abcdef"));
    // "Now is t" under 0123456789ABCDEF (FIPS 81's example)
    assertEquals("3fa40e8a984d4815", encrypt("0123456789abcdef", "4e6f772069732074"));
    // the all-zero key and block
    assertEquals("8ca64de9c1b123a7", encrypt("0000000000000000", "0000000000000000"));
    assertEquals("7359b2163e4edc58", encrypt("ffffffffffffffff", "ffffffffffffffff"));
  }

  @Test
  void sameAsTheJdkOnRandomKeysAndBlocks() throws Exception {
    Random random = new Random(42);
    Cipher jdk = Cipher.getInstance("DES/ECB/NoPadding");
    for (int i = 0; i < 2000; i++) {
      byte[] key = new byte[8];
      byte[] data = new byte[8 * (1 + random.nextInt(4))];
      random.nextBytes(key);
      random.nextBytes(data);
      jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
      assertArrayEquals(jdk.doFinal(data), new Des(key).encrypt(data), "key " + HEX.formatHex(key));
    }
  }

  @Test
  void badLengthsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Des(new byte[7]));
    assertThrows(IllegalArgumentException.class, () -> new Des(new byte[8]).encrypt(new byte[9]));
  }
}
