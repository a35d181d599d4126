package org.novnc.proxy.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every encoder against the test decoder: what comes out must equal what went in, pixel for pixel,
 * in every pixel format the server serves, for random and structured images of awkward sizes.
 * Each encoder writes several rectangles in a row, so the persistent zlib streams are exercised.
 */
class EncoderRoundTripTest {

  /** The pixel formats a client may ask for: both byte orders, odd shifts, 8/16/32 bpp. */
  static final List<PixelFormat> FORMATS = List.of(
      PixelFormat.SERVER, // 32 bpp little endian 0x00RRGGBB
      new PixelFormat(32, 24, true, true, 255, 255, 255, 16, 8, 0), // 32 bpp big endian
      new PixelFormat(32, 24, false, true, 255, 255, 255, 0, 8, 16), // 32 bpp BGR
      new PixelFormat(32, 24, true, true, 255, 255, 255, 24, 16, 8), // colour in the top three bytes
      PixelFormat.rgb565(false),
      PixelFormat.rgb565(true),
      new PixelFormat(16, 15, false, true, 31, 31, 31, 10, 5, 0), // 555
      new PixelFormat(8, 8, false, true, 7, 7, 3, 0, 3, 6)); // BGR233

  static final int[][] SIZES = {{1, 1}, {17, 33}, {64, 64}, {65, 70}, {2100, 3}, {300, 250}};

  static Stream<Arguments> cases() {
    List<Arguments> list = new ArrayList<>();
    for (int type : new int[] {RfbProtocol.ENC_RAW, RfbProtocol.ENC_HEXTILE, RfbProtocol.ENC_ZRLE,
        RfbProtocol.ENC_TIGHT}) {
      for (PixelFormat pf : FORMATS) {
        list.add(Arguments.of(type, pf));
      }
    }
    return list.stream();
  }

  @ParameterizedTest(name = "encoding {0}, {1}")
  @MethodSource("cases")
  void roundTripIsExact(int type, PixelFormat pf) throws IOException {
    EncoderSet set = new EncoderSet();
    Encoder encoder = set.get(type);
    RfbDecoder decoder = new RfbDecoder(pf, 1, 1); // one for the connection: its zlib streams follow the encoder's
    try {
      for (int[] size : SIZES) {
        for (Supplier<Frame> image : images(size[0], size[1])) {
          Frame frame = image.get();
          decoder.resize(frame.width(), frame.height());
          roundTrip(encoder, decoder, frame, pf);
        }
      }
    } finally {
      set.close();
    }
  }

  /** Encodes the whole frame, then a sub-rectangle, and checks the decoder's framebuffer each time. */
  private static void roundTrip(Encoder encoder, RfbDecoder decoder, Frame frame, PixelFormat pf)
      throws IOException {
    decodeInto(decoder, encoder, frame, frame.bounds(), pf);
    assertSame(frame, decoder, pf, encoder.type() + " " + frame.width() + "x" + frame.height() + " " + pf);
    Rect inner = Rect.ofBounds(frame.width() / 3, frame.height() / 4, frame.width() - frame.width() / 5,
        frame.height() - frame.height() / 6);
    if (!inner.isEmpty()) {
      // change the frame there and send only that part
      for (int y = inner.y(); y < inner.bottom(); y++) {
        for (int x = inner.x(); x < inner.right(); x++) {
          frame.pixels()[y * frame.width() + x] ^= 0x5a3c0f;
        }
      }
      decodeInto(decoder, encoder, frame, inner, pf);
      assertSame(frame, decoder, pf, "part " + inner + " " + encoder.type() + " " + pf);
    }
  }

  private static void decodeInto(RfbDecoder decoder, Encoder encoder, Frame frame, Rect r, PixelFormat pf)
      throws IOException {
    ByteBuf out = Unpooled.buffer();
    try {
      int count = encoder.encode(frame, r, pf, out);
      decoder.readRects(ByteBufUtil.getBytes(out), count);
    } finally {
      out.release();
    }
  }

  static void assertSame(Frame frame, RfbDecoder decoder, PixelFormat pf, String what) {
    for (int y = 0; y < frame.height(); y++) {
      for (int x = 0; x < frame.width(); x++) {
        int expected = pf.fromRgb(frame.rgb(x, y));
        if (decoder.get(x, y) != expected) {
          fail(what + ": pixel (" + x + "," + y + ") is 0x" + Integer.toHexString(decoder.get(x, y)) + ", expected 0x"
              + Integer.toHexString(expected));
        }
      }
    }
  }

  /** Random noise, a few random colours, a gradient with text, solid, stripes. */
  static List<Supplier<Frame>> images(int w, int h) {
    return List.of(
        () -> random(w, h, 0, 1),
        () -> random(w, h, 2, 2),
        () -> random(w, h, 5, 3),
        () -> random(w, h, 40, 4),
        () -> random(w, h, 300, 5),
        () -> drawn(w, h),
        () -> solid(w, h, 0x336699),
        () -> stripes(w, h));
  }

  /** {@code colours} == 0: every pixel random; else pixels from that many random colours. */
  static Frame random(int w, int h, int colours, long seed) {
    Random r = new Random(seed);
    int[] palette = new int[Math.max(1, colours)];
    for (int i = 0; i < palette.length; i++) {
      palette[i] = r.nextInt(0x1000000);
    }
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = colours == 0 ? r.nextInt(0x1000000) : palette[r.nextInt(colours)];
    }
    return new Frame(px, w, h);
  }

  static Frame solid(int w, int h, int rgb) {
    int[] px = new int[w * h];
    java.util.Arrays.fill(px, rgb);
    return new Frame(px, w, h);
  }

  static Frame stripes(int w, int h) {
    int[] px = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = ((x / 3 + y / 5) % 3 == 0) ? 0xffffff : (x % 7 == 0 ? 0xff0000 : 0x000000);
      }
    }
    return new Frame(px, w, h);
  }

  /** Java2D drawing: a gradient, shapes and antialiased text, like the desktop. */
  static Frame drawn(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(0x243b55), w, h, new Color(0xfeb47b)));
    g.fillRect(0, 0, w, h);
    g.setColor(Color.WHITE);
    g.fillRoundRect(w / 8, h / 8, w / 2 + 1, h / 2 + 1, 12, 12);
    g.setColor(new Color(0x2e86ab));
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString("novnc-proxy 12:34:56", 4, Math.min(h - 2, 20));
    g.dispose();
    int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    return new Frame(px.clone(), w, h);
  }

  @Test
  void tightPicksFillPaletteAndBasicAsTheContentAsks() throws IOException {
    TightEncoder tight = new TightEncoder(6);
    try {
      RfbDecoder d = new RfbDecoder(PixelFormat.SERVER, 100, 100);
      decodeInto(d, tight, solid(100, 100, 0x123456), new Rect(0, 0, 100, 100), PixelFormat.SERVER);
      assertEquals(1, d.tightFill, "a solid rectangle is a fill");
      decodeInto(d, tight, random(100, 100, 2, 9), new Rect(0, 0, 100, 100), PixelFormat.SERVER);
      decodeInto(d, tight, random(100, 100, 100, 9), new Rect(0, 0, 100, 100), PixelFormat.SERVER);
      assertEquals(2, d.tightPalette, "two and a hundred colours use the palette filter");
      decodeInto(d, tight, random(100, 100, 0, 9), new Rect(0, 0, 100, 100), PixelFormat.SERVER);
      assertEquals(1, d.tightBasic, "noise is sent with the copy filter");
      assertEquals(0, d.tightJpeg, "no JPEG without a quality level");
    } finally {
      tight.close();
    }
  }

  @Test
  void tightSplitsWideRectanglesAt2048() throws IOException {
    TightEncoder tight = new TightEncoder(6);
    ByteBuf out = Unpooled.buffer();
    try {
      Frame frame = random(2100, 3, 0, 11);
      int count = tight.encode(frame, frame.bounds(), PixelFormat.SERVER, out);
      assertEquals(2, count, "2100 wide is 2048 + 52");
      RfbDecoder d = new RfbDecoder(PixelFormat.SERVER, 2100, 3);
      d.readRects(ByteBufUtil.getBytes(out), count);
      assertSame(frame, d, PixelFormat.SERVER, "split");
    } finally {
      out.release();
      tight.close();
    }
  }

  @ParameterizedTest(name = "JPEG in {0}")
  @MethodSource("jpegFormats")
  void tightJpegIsCloseToTheImage(PixelFormat pf) throws IOException {
    TightEncoder tight = new TightEncoder(6);
    tight.jpegQuality(95);
    try {
      Frame frame = drawn(257, 190);
      RfbDecoder d = new RfbDecoder(pf, frame.width(), frame.height());
      decodeInto(d, tight, frame, frame.bounds(), pf);
      assertTrue(d.tightJpeg > 0, "many colours with a quality level go to JPEG");
      long error = 0;
      int worst = 0;
      for (int y = 0; y < frame.height(); y++) {
        for (int x = 0; x < frame.width(); x++) {
          int a = pf.toRgb(pf.fromRgb(frame.rgb(x, y)));
          int b = pf.toRgb(d.get(x, y));
          for (int shift = 0; shift <= 16; shift += 8) {
            int diff = Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff));
            error += diff;
            worst = Math.max(worst, diff);
          }
        }
      }
      double mean = error / (3.0 * frame.width() * frame.height());
      assertTrue(mean < 6, "mean error per component " + mean);
      assertTrue(worst < 128, "worst error " + worst);
      // few colours stay lossless even with JPEG allowed
      Frame few = random(120, 90, 5, 3);
      RfbDecoder exact = new RfbDecoder(pf, 120, 90);
      decodeInto(exact, tight, few, few.bounds(), pf);
      assertSame(few, exact, pf, "palette beside JPEG");
    } finally {
      tight.close();
    }
  }

  static Stream<PixelFormat> jpegFormats() {
    return Stream.of(PixelFormat.SERVER, PixelFormat.rgb565(false), new PixelFormat(32, 24, true, true, 255, 255, 255,
        0, 8, 16));
  }
}
