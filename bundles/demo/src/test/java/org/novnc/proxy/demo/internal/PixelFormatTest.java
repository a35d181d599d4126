package org.novnc.proxy.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Pixel translation and the wire forms PIXEL, CPIXEL and TPIXEL, with hand-computed vectors. */
class PixelFormatTest {

  private static String bytes(java.util.function.Consumer<ByteBuf> write) {
    ByteBuf b = Unpooled.buffer();
    write.accept(b);
    String hex = ByteBufUtil.hexDump(b);
    b.release();
    return hex;
  }

  @Test
  void serverFormatIsLittleEndianXrgb() {
    PixelFormat pf = PixelFormat.SERVER;
    assertEquals(0x123456, pf.fromRgb(0x123456));
    assertEquals("56341200", bytes(b -> pf.writePixel(b, pf.fromRgb(0x123456))));
    // ServerInit's PIXEL_FORMAT: 32, 24, little endian, true colour, 255 255 255, shifts 16 8 0
    assertEquals("2018000100ff00ff00ff100800000000", bytes(pf::write));
  }

  @Test
  void rgb565ScalesAndRounds() {
    PixelFormat le = PixelFormat.rgb565(false);
    assertEquals(0xf800, le.fromRgb(0xff0000));
    assertEquals(0x07e0, le.fromRgb(0x00ff00));
    assertEquals(0x001f, le.fromRgb(0x0000ff));
    // 0x80 -> red (128*31+127)/255 = 16, green (128*63+127)/255 = 32, blue 16
    assertEquals(0x8410, le.fromRgb(0x808080));
    assertEquals("1084", bytes(b -> le.writePixel(b, 0x8410)));
    assertEquals("8410", bytes(b -> PixelFormat.rgb565(true).writePixel(b, 0x8410)));
    assertEquals(0xff0000, le.toRgb(0xf800));
  }

  @Test
  void cpixelDropsTheUnusedByte() {
    // colour in the low three bytes: LE keeps bytes 0..2, BE bytes 1..3
    assertEquals("563412", bytes(b -> PixelFormat.SERVER.writeCPixel(b, 0x123456)));
    PixelFormat be = new PixelFormat(32, 24, true, true, 255, 255, 255, 16, 8, 0);
    assertEquals("123456", bytes(b -> be.writeCPixel(b, 0x123456)));
    // colour in the high three bytes (shifts 24, 16, 8)
    PixelFormat high = new PixelFormat(32, 24, true, true, 255, 255, 255, 24, 16, 8);
    assertEquals(3, high.cpixelBytes());
    assertEquals("123456", bytes(b -> high.writeCPixel(b, high.fromRgb(0x123456))));
    // depth 32 is not eligible: a full PIXEL
    PixelFormat deep = new PixelFormat(32, 32, false, true, 255, 255, 255, 16, 8, 0);
    assertEquals(4, deep.cpixelBytes());
    assertEquals(2, PixelFormat.rgb565(false).cpixelBytes());
  }

  @Test
  void tpixelIsRgbForEightBitComponents() {
    PixelFormat bgr = new PixelFormat(32, 24, false, true, 255, 255, 255, 0, 8, 16);
    assertEquals("123456", bytes(b -> bgr.writeTPixel(b, bgr.fromRgb(0x123456))));
    assertEquals("1084", bytes(b -> PixelFormat.rgb565(false).writeTPixel(b, 0x8410)));
  }

  @Test
  void refusesWhatItCannotServe() {
    assertNull(PixelFormat.SERVER.problem());
    assertNotNull(new PixelFormat(8, 8, false, false, 0, 0, 0, 0, 0, 0).problem(), "colour map");
    assertNotNull(new PixelFormat(24, 24, false, true, 255, 255, 255, 16, 8, 0).problem(), "24 bpp");
    assertNotNull(new PixelFormat(16, 16, false, true, 31, 63, 31, 12, 5, 0).problem(), "red past bit 15");
    assertNotNull(new PixelFormat(32, 24, false, true, 200, 255, 255, 16, 8, 0).problem(), "max not 2^n-1");
  }
}
