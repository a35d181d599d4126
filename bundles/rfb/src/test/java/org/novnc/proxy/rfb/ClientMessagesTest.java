package org.novnc.proxy.rfb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ClientMessagesTest {
  private static String refusal(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return assertThrows(RfbException.class, () -> new ClientMessages().scan(ByteBuffer.wrap(bytes), (t, f, to, e) -> {})).getMessage();
  }

  @Test
  void unknownTypesAreRefusedNamingTheType() {
    assertEquals("client message type 7 is not known", refusal(7));
    assertEquals("client message type 253 is not known", refusal(253, 0, 0, 0));
    assertEquals("QEMU client message subtype 9 is not known", refusal(255, 9));
    assertEquals("QEMU audio operation 7 is not known", refusal(255, 1, 0, 7));
  }

  @Test
  void oversizedTextAndFencesAreRefused() {
    assertEquals("ClientCutText of 2147483647 bytes is more than 67108864", refusal(6, 0, 0, 0, 0x7f, -1, -1, -1));
    assertEquals("ClientFence with 65 bytes of payload (at most 64)", refusal(248, 0, 0, 0, 0, 0, 0, 0, 65));
  }

  @Test
  void aHeaderCutShortWaitsForTheRest() throws RfbException {
    ClientMessages s = new ClientMessages();
    int[] ends = {0};
    s.scan(ByteBuffer.wrap(new byte[] {2, 0}), (t, f, to, e) -> ends[0] += e ? 1 : 0);
    assertFalse(s.atBoundary());
    s.scan(ByteBuffer.wrap(new byte[] {0, 1, 0, 0, 0, 7}), (t, f, to, e) -> ends[0] += e ? 1 : 0);
    assertEquals(1, ends[0]);
  }
}
