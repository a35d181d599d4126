package org.novnc.proxy.demo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client messages as bytes, each vector fed whole and one byte at a time. */
class ClientMessageDecoderTest {
  private static final HexFormat HEX = HexFormat.of();

  private static List<ClientMessage> decode(String hex, boolean byteAtATime) {
    List<ClientMessage> out = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel(new ClientMessageDecoder("test", out::add, () -> { }));
    byte[] bytes = HEX.parseHex(hex.replace(" ", ""));
    if (byteAtATime) {
      for (byte b : bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
      }
    } else {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    }
    assertTrue(ch.isOpen(), "no protocol error");
    assertFalse(ch.finishAndReleaseAll(), "nothing left over");
    return out;
  }

  private static List<ClientMessage> both(String hex) {
    List<ClientMessage> whole = decode(hex, false);
    List<ClientMessage> bytewise = decode(hex, true);
    assertEquals(whole.size(), bytewise.size());
    return whole;
  }

  @Test
  void setPixelFormat() {
    // type 0, 3 padding, PIXEL_FORMAT 16 bpp depth 16 BE true colour 31/63/31 shifts 11/5/0
    List<ClientMessage> m = both("00 000000 10 10 01 01 001f 003f 001f 0b 05 00 000000");
    PixelFormat pf = assertInstanceOf(ClientMessage.SetPixelFormat.class, m.get(0)).format();
    assertEquals(PixelFormat.rgb565(true), pf);
  }

  @Test
  void setEncodings() {
    // type 2, padding, 3 encodings: Tight (7), CopyRect (1), Cursor (-239 = ffffff11)
    List<ClientMessage> m = both("02 00 0003 00000007 00000001 ffffff11");
    assertArrayEquals(new int[] {7, 1, -239}, ((ClientMessage.SetEncodings) m.get(0)).encodings());
    ClientEncodings e = ClientEncodings.of(((ClientMessage.SetEncodings) m.get(0)).encodings());
    assertEquals(RfbProtocol.ENC_TIGHT, e.preferred());
    assertTrue(e.copyRect() && e.cursor());
  }

  @Test
  void updateRequestKeyPointer() {
    // FramebufferUpdateRequest incremental 1, x 10, y 20, w 300, h 200
    // KeyEvent down, keysym 'a' (0x61); PointerEvent buttons 1 at (640, 400)
    List<ClientMessage> m = both("03 01 000a 0014 012c 00c8" + "04 01 0000 00000061" + "05 01 0280 0190");
    assertEquals(new ClientMessage.UpdateRequest(true, new Rect(10, 20, 300, 200)), m.get(0));
    assertEquals(new ClientMessage.KeyEvent(true, 0x61), m.get(1));
    assertEquals(new ClientMessage.PointerEvent(1, 640, 400), m.get(2));
  }

  @Test
  void clientCutTextIsSkippedWhateverItsLength() {
    // type 6, 3 padding, length 5, "hello", then a KeyEvent up for BackSpace
    List<ClientMessage> m = both("06 000000 00000005 68656c6c6f" + "04 00 0000 0000ff08");
    assertEquals(new ClientMessage.ClientCutText(5), m.get(0));
    assertEquals(new ClientMessage.KeyEvent(false, 0xff08), m.get(1));
  }

  @Test
  void setDesktopSize() {
    // type 251, padding, 1024x768, 1 screen, padding; screen id 7 at 0,0 1024x768 flags 0
    List<ClientMessage> m = both("fb 00 0400 0300 01 00" + "00000007 0000 0000 0400 0300 00000000");
    assertEquals(new ClientMessage.SetDesktopSize(1024, 768, List.of(new Screen(7, 0, 0, 1024, 768, 0))), m.get(0));
  }

  @Test
  void unknownTypeOrColourMapClosesTheConnection() {
    for (String hex : new String[] {"07 00 00 00", "00 000000 08 08 00 00 0000 0000 0000 00 00 00 000000"}) {
      List<ClientMessage> out = new ArrayList<>();
      EmbeddedChannel ch = new EmbeddedChannel(new ClientMessageDecoder("test", out::add, () -> { }));
      ch.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(hex.replace(" ", ""))));
      assertFalse(ch.isOpen(), hex);
      assertTrue(out.isEmpty());
      ch.finishAndReleaseAll();
    }
  }
}
