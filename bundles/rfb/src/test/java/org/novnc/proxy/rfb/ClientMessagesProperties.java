package org.novnc.proxy.rfb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Streams of every client message type, cut anywhere: the scanner finds each message whole, in order. */
class ClientMessagesProperties {
  /** One message of a random framed type, its bytes. */
  static byte[] message(Random r) {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    int kind = r.nextInt(13);
    switch (kind) {
      case 0 -> pad(m, ClientMessages.SET_PIXEL_FORMAT, 19, r);
      case 1 -> {
        int n = r.nextInt(40);
        m.write(ClientMessages.SET_ENCODINGS);
        m.write(0);
        m.write(n >> 8);
        m.write(n);
        random(m, 4 * n, r);
      }
      case 2 -> pad(m, ClientMessages.FRAMEBUFFER_UPDATE_REQUEST, 9, r);
      case 3 -> pad(m, ClientMessages.KEY_EVENT, 7, r);
      case 4 -> pad(m, ClientMessages.POINTER_EVENT, 5, r);
      case 5, 6 -> {
        int len = r.nextInt(3000);
        int field = kind == 6 ? -len : len; // Extended Clipboard sends the length negated
        m.write(ClientMessages.CLIENT_CUT_TEXT);
        random(m, 3, r);
        m.write(field >>> 24);
        m.write(field >>> 16);
        m.write(field >>> 8);
        m.write(field);
        random(m, len, r);
      }
      case 7 -> pad(m, ClientMessages.ENABLE_CONTINUOUS_UPDATES, 9, r);
      case 8 -> {
        int len = r.nextInt(65);
        m.write(ClientMessages.CLIENT_FENCE);
        random(m, 7, r);
        m.write(len);
        random(m, len, r);
      }
      case 9 -> pad(m, ClientMessages.XVP, 3, r);
      case 10 -> {
        int screens = r.nextInt(5);
        m.write(ClientMessages.SET_DESKTOP_SIZE);
        random(m, 5, r);
        m.write(screens);
        m.write(0);
        random(m, 16 * screens, r);
      }
      case 11 -> {
        m.write(ClientMessages.QEMU);
        m.write(0);
        random(m, 10, r);
      }
      default -> {
        m.write(ClientMessages.QEMU);
        m.write(1);
        int op = r.nextInt(3);
        m.write(0);
        m.write(op);
        random(m, op == 2 ? 6 : 0, r);
      }
    }
    return m.toByteArray();
  }

  private static void pad(ByteArrayOutputStream m, int type, int rest, Random r) {
    m.write(type);
    random(m, rest, r);
  }

  private static void random(ByteArrayOutputStream m, int n, Random r) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    m.write(b, 0, n);
  }

  @Property(tries = 300)
  void everyMessageIsFoundWholeWhereverTheStreamIsCut(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int count,
      @ForAll @IntRange(min = 1, max = 700) int maxChunk) throws RfbException {
    Random r = new Random(seed);
    List<byte[]> sent = new ArrayList<>();
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      byte[] m = message(r);
      sent.add(m);
      stream.write(m, 0, m.length);
    }
    byte[] all = stream.toByteArray();
    ClientMessages scanner = new ClientMessages();
    List<byte[]> found = new ArrayList<>();
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    int[] currentType = {-1};
    for (int at = 0; at < all.length; ) {
      int n = Math.min(1 + r.nextInt(maxChunk), all.length - at);
      // the chunk sits inside a bigger buffer, as a read does: positions are the buffer's
      byte[] backing = new byte[n + 10];
      System.arraycopy(all, at, backing, 5, n);
      ByteBuffer buf = ByteBuffer.wrap(backing, 5, n);
      int before = buf.position();
      scanner.scan(buf, (type, from, to, end) -> {
        assertTrue(from >= 5 && to <= 5 + n && from <= to, "range inside the buffer");
        if (currentType[0] >= 0) {
          assertEquals(currentType[0], type, "a message keeps its type across reads");
        }
        currentType[0] = type;
        current.write(backing, from, to - from);
        if (end) {
          found.add(current.toByteArray());
          current.reset();
          currentType[0] = -1;
        }
      });
      assertEquals(before, buf.position(), "the scan leaves the buffer's position alone");
      at += n;
    }
    assertTrue(scanner.atBoundary());
    assertEquals(sent.size(), found.size());
    for (int i = 0; i < sent.size(); i++) {
      assertEquals(java.util.HexFormat.of().formatHex(sent.get(i)), java.util.HexFormat.of().formatHex(found.get(i)), "message " + i);
      assertEquals(sent.get(i)[0] & 0xFF, found.get(i)[0] & 0xFF);
    }
  }
}
