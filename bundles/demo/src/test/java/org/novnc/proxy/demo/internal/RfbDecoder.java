package org.novnc.proxy.demo.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;

/**
 * A viewer's side of the framebuffer, written for the tests from the protocol text alone: reads
 * FramebufferUpdate rectangles (Raw, CopyRect, Hextile, ZRLE, Tight, and the pseudo-encodings) and
 * applies them to a framebuffer of client pixel values. Tight JPEG rectangles are kept as the colour
 * the JPEG decodes to, so they compare within a tolerance.
 */
final class RfbDecoder {
  final PixelFormat pf;
  int width;
  int height;
  int[] fb;
  private final Inflater zrle = new Inflater();
  private final Inflater[] tight = new Inflater[4];
  /** Counts of what was decoded, for tests that check which path an encoder took. */
  int raw;
  int copies;
  int hextile;
  int zrleRects;
  int tightFill;
  int tightPalette;
  int tightBasic;
  int tightJpeg;
  /** Pseudo-rectangles seen. */
  final List<int[]> sizeRects = new ArrayList<>();
  final List<List<Screen>> sizeScreens = new ArrayList<>();
  String name;
  int[] cursor;

  RfbDecoder(PixelFormat pf, int width, int height) {
    this.pf = pf;
    resize(width, height);
    for (int i = 0; i < 4; i++) {
      tight[i] = new Inflater();
    }
  }

  void resize(int w, int h) {
    width = w;
    height = h;
    fb = new int[w * h];
  }

  /** Reads a whole FramebufferUpdate message (its type byte included); returns the rectangles' headers. */
  List<int[]> readUpdate(DataInputStream in) throws IOException {
    int type = in.readUnsignedByte();
    if (type != 0) {
      throw new IOException("expected FramebufferUpdate, got message type " + type);
    }
    in.readUnsignedByte();
    int count = in.readUnsignedShort();
    List<int[]> headers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      headers.add(readRect(in));
    }
    return headers;
  }

  /** Decodes a stream of rectangles as an encoder wrote them (no message header). */
  void readRects(byte[] data, int count) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
    for (int i = 0; i < count; i++) {
      readRect(in);
    }
    if (in.available() != 0) {
      throw new IOException(in.available() + " bytes left over");
    }
  }

  /** One rectangle: header then data. Returns {x, y, w, h, encoding}. */
  int[] readRect(DataInputStream in) throws IOException {
    int x = in.readUnsignedShort();
    int y = in.readUnsignedShort();
    int w = in.readUnsignedShort();
    int h = in.readUnsignedShort();
    int enc = in.readInt();
    switch (enc) {
      case 0 -> {
        raw++;
        for (int j = 0; j < h; j++) {
          for (int i = 0; i < w; i++) {
            set(x + i, y + j, readPixel(in));
          }
        }
      }
      case 1 -> {
        copies++;
        int sx = in.readUnsignedShort();
        int sy = in.readUnsignedShort();
        int[] copy = new int[w * h];
        for (int j = 0; j < h; j++) {
          System.arraycopy(fb, (sy + j) * width + sx, copy, j * w, w);
        }
        for (int j = 0; j < h; j++) {
          System.arraycopy(copy, j * w, fb, (y + j) * width + x, w);
        }
      }
      case 5 -> hextile(in, x, y, w, h);
      case 16 -> zrle(in, x, y, w, h);
      case 7 -> tight(in, x, y, w, h);
      case -223 -> {
        sizeRects.add(new int[] {x, y, w, h, enc});
        resize(w, h);
      }
      case -308 -> {
        int n = in.readUnsignedByte();
        in.skipNBytes(3);
        List<Screen> screens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          screens.add(new Screen(in.readInt(), in.readUnsignedShort(), in.readUnsignedShort(), in.readUnsignedShort(),
              in.readUnsignedShort(), in.readInt()));
        }
        sizeRects.add(new int[] {x, y, w, h, enc});
        sizeScreens.add(screens);
        if (y == 0 && (w != width || h != height)) {
          resize(w, h);
        }
      }
      case -307 -> {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        name = new String(b, StandardCharsets.UTF_8);
      }
      case -239 -> {
        cursor = new int[w * h];
        for (int i = 0; i < w * h; i++) {
          cursor[i] = readPixel(in);
        }
        in.skipNBytes((long) (w + 7) / 8 * h);
      }
      default -> throw new IOException("unknown encoding " + enc);
    }
    return new int[] {x, y, w, h, enc};
  }

  private void set(int x, int y, int v) {
    fb[y * width + x] = v;
  }

  int get(int x, int y) {
    return fb[y * width + x];
  }

  int readPixel(DataInputStream in) throws IOException {
    switch (pf.bitsPerPixel) {
      case 8:
        return in.readUnsignedByte();
      case 16: {
        int a = in.readUnsignedByte();
        int b = in.readUnsignedByte();
        return pf.bigEndian ? (a << 8) | b : (b << 8) | a;
      }
      default: {
        int a = in.readUnsignedByte();
        int b = in.readUnsignedByte();
        int c = in.readUnsignedByte();
        int d = in.readUnsignedByte();
        return pf.bigEndian ? (a << 24) | (b << 16) | (c << 8) | d : (d << 24) | (c << 16) | (b << 8) | a;
      }
    }
  }

  /** ZRLE CPIXEL, as the protocol document defines it. */
  private int readCPixel(DataInputStream in) throws IOException {
    long used = ((long) pf.redMax << pf.redShift) | ((long) pf.greenMax << pf.greenShift)
        | ((long) pf.blueMax << pf.blueShift);
    boolean ls3 = (used & 0xff000000L) == 0;
    boolean ms3 = (used & 0xffL) == 0;
    if (!(pf.trueColour && pf.bitsPerPixel == 32 && pf.depth <= 24 && (ls3 || ms3))) {
      return readPixel(in);
    }
    int a = in.readUnsignedByte();
    int b = in.readUnsignedByte();
    int c = in.readUnsignedByte();
    int v = pf.bigEndian ? (a << 16) | (b << 8) | c : (c << 16) | (b << 8) | a;
    return ls3 ? v : v << 8;
  }

  /** Tight TPIXEL: R, G, B when 32 bpp depth 24 with 8-bit components. */
  private int readTPixel(DataInputStream in) throws IOException {
    if (pf.bitsPerPixel == 32 && pf.depth == 24 && pf.redMax == 255 && pf.greenMax == 255 && pf.blueMax == 255) {
      int r = in.readUnsignedByte();
      int g = in.readUnsignedByte();
      int b = in.readUnsignedByte();
      return (r << pf.redShift) | (g << pf.greenShift) | (b << pf.blueShift);
    }
    return readPixel(in);
  }

  private void hextile(DataInputStream in, int rx, int ry, int rw, int rh) throws IOException {
    hextile++;
    int bg = 0;
    int fg = 0;
    for (int ty = ry; ty < ry + rh; ty += 16) {
      for (int tx = rx; tx < rx + rw; tx += 16) {
        int tw = Math.min(16, rx + rw - tx);
        int th = Math.min(16, ry + rh - ty);
        int mask = in.readUnsignedByte();
        if ((mask & 1) != 0) {
          for (int j = 0; j < th; j++) {
            for (int i = 0; i < tw; i++) {
              set(tx + i, ty + j, readPixel(in));
            }
          }
          continue;
        }
        if ((mask & 2) != 0) {
          bg = readPixel(in);
        }
        fill(tx, ty, tw, th, bg);
        if ((mask & 4) != 0) {
          fg = readPixel(in);
        }
        if ((mask & 8) != 0) {
          int n = in.readUnsignedByte();
          for (int k = 0; k < n; k++) {
            int colour = (mask & 16) != 0 ? readPixel(in) : fg;
            int xy = in.readUnsignedByte();
            int wh = in.readUnsignedByte();
            int sx = xy >> 4;
            int sy = xy & 15;
            int sw = (wh >> 4) + 1;
            int sh = (wh & 15) + 1;
            if (sx + sw > tw || sy + sh > th) {
              throw new IOException("hextile subrect outside its tile");
            }
            fill(tx + sx, ty + sy, sw, sh, colour);
          }
        }
      }
    }
  }

  private void fill(int x, int y, int w, int h, int v) {
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) {
        set(x + i, y + j, v);
      }
    }
  }

  private void zrle(DataInputStream in, int rx, int ry, int rw, int rh) throws IOException {
    zrleRects++;
    byte[] compressed = new byte[in.readInt()];
    in.readFully(compressed);
    byte[] plain = inflate(zrle, compressed, -1);
    DataInputStream d = new DataInputStream(new ByteArrayInputStream(plain));
    for (int ty = ry; ty < ry + rh; ty += 64) {
      for (int tx = rx; tx < rx + rw; tx += 64) {
        int tw = Math.min(64, rx + rw - tx);
        int th = Math.min(64, ry + rh - ty);
        zrleTile(d, tx, ty, tw, th);
      }
    }
    if (d.available() != 0) {
      throw new IOException("ZRLE: " + d.available() + " bytes left in the rectangle");
    }
  }

  private void zrleTile(DataInputStream d, int tx, int ty, int tw, int th) throws IOException {
    int sub = d.readUnsignedByte();
    boolean rle = (sub & 128) != 0;
    int paletteSize = sub & 127;
    int[] palette = new int[paletteSize];
    for (int i = 0; i < paletteSize; i++) {
      palette[i] = readCPixel(d);
    }
    int n = tw * th;
    int[] tile = new int[n];
    if (!rle && paletteSize == 0) {
      for (int i = 0; i < n; i++) {
        tile[i] = readCPixel(d);
      }
    } else if (!rle && paletteSize == 1) {
      java.util.Arrays.fill(tile, palette[0]);
    } else if (!rle) {
      if (paletteSize > 16) {
        throw new IOException("ZRLE: unused subencoding " + sub);
      }
      int bits = paletteSize <= 2 ? 1 : paletteSize <= 4 ? 2 : 4;
      for (int j = 0; j < th; j++) {
        int acc = 0;
        int left = 0;
        for (int i = 0; i < tw; i++) {
          if (left == 0) {
            acc = d.readUnsignedByte();
            left = 8;
          }
          left -= bits;
          tile[j * tw + i] = palette[(acc >> left) & ((1 << bits) - 1)];
        }
      }
    } else {
      if (paletteSize == 1) {
        throw new IOException("ZRLE: unused subencoding 129");
      }
      for (int i = 0; i < n;) {
        int value;
        int run = 1;
        if (paletteSize == 0) {
          value = readCPixel(d);
          run = runLength(d);
        } else {
          int index = d.readUnsignedByte();
          value = palette[index & 127];
          if ((index & 128) != 0) {
            run = runLength(d);
          }
        }
        if (i + run > n) {
          throw new IOException("ZRLE: run past the end of the tile");
        }
        java.util.Arrays.fill(tile, i, i + run, value);
        i += run;
      }
    }
    for (int j = 0; j < th; j++) {
      System.arraycopy(tile, j * tw, fb, (ty + j) * width + tx, tw);
    }
  }

  private static int runLength(DataInputStream d) throws IOException {
    int length = 1;
    int b;
    do {
      b = d.readUnsignedByte();
      length += b;
    } while (b == 255);
    return length;
  }

  private void tight(DataInputStream in, int x, int y, int w, int h) throws IOException {
    if (w > 2048) {
      throw new IOException("Tight rectangle wider than 2048: " + w);
    }
    int control = in.readUnsignedByte();
    for (int i = 0; i < 4; i++) {
      if ((control & (1 << i)) != 0) {
        tight[i].reset();
      }
    }
    int type = control >> 4;
    if (type == 8) {
      tightFill++;
      fill(x, y, w, h, readTPixel(in));
      return;
    }
    if (type == 9) {
      tightJpeg++;
      byte[] jpeg = new byte[compactLength(in)];
      in.readFully(jpeg);
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
      if (img.getWidth() != w || img.getHeight() != h) {
        throw new IOException("JPEG is " + img.getWidth() + "x" + img.getHeight() + ", rectangle " + w + "x" + h);
      }
      for (int j = 0; j < h; j++) {
        for (int i = 0; i < w; i++) {
          set(x + i, y + j, pf.fromRgb(img.getRGB(i, j)));
        }
      }
      return;
    }
    if (type > 7) {
      throw new IOException("Tight: bad compression control " + control);
    }
    int stream = type & 3;
    int filter = (type & 4) != 0 ? in.readUnsignedByte() : 0;
    int[] palette = null;
    int dataLength;
    if (filter == 1) {
      tightPalette++;
      palette = new int[in.readUnsignedByte() + 1];
      for (int i = 0; i < palette.length; i++) {
        palette[i] = readTPixel(in);
      }
      dataLength = palette.length == 2 ? (w + 7) / 8 * h : w * h;
    } else if (filter == 0) {
      tightBasic++;
      int tpixel = pf.bitsPerPixel == 32 && pf.depth == 24 && pf.redMax == 255 && pf.greenMax == 255
          && pf.blueMax == 255 ? 3 : pf.bitsPerPixel / 8;
      dataLength = w * h * tpixel;
    } else {
      throw new IOException("Tight: filter " + filter + " not expected from this server");
    }
    byte[] data;
    if (dataLength < 12) {
      data = new byte[dataLength];
      in.readFully(data);
    } else {
      byte[] compressed = new byte[compactLength(in)];
      in.readFully(compressed);
      data = inflate(tight[stream], compressed, dataLength);
    }
    DataInputStream d = new DataInputStream(new ByteArrayInputStream(data));
    if (palette == null) {
      for (int j = 0; j < h; j++) {
        for (int i = 0; i < w; i++) {
          set(x + i, y + j, readTPixel(d));
        }
      }
    } else if (palette.length == 2) {
      int rowBytes = (w + 7) / 8;
      for (int j = 0; j < h; j++) {
        for (int i = 0; i < w; i++) {
          int bit = (data[j * rowBytes + i / 8] >> (7 - i % 8)) & 1;
          set(x + i, y + j, palette[bit]);
        }
      }
    } else {
      for (int j = 0; j < h; j++) {
        for (int i = 0; i < w; i++) {
          set(x + i, y + j, palette[data[j * w + i] & 0xff]);
        }
      }
    }
  }

  private static int compactLength(DataInputStream in) throws IOException {
    int b = in.readUnsignedByte();
    int length = b & 0x7f;
    if ((b & 0x80) != 0) {
      b = in.readUnsignedByte();
      length |= (b & 0x7f) << 7;
      if ((b & 0x80) != 0) {
        length |= in.readUnsignedByte() << 14;
      }
    }
    return length;
  }

  /** Inflates one rectangle's worth; with {@code expected} >= 0 exactly that many bytes must come out. */
  private static byte[] inflate(Inflater inflater, byte[] compressed, int expected) throws IOException {
    inflater.setInput(compressed);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      while (true) {
        int n = inflater.inflate(chunk);
        out.write(chunk, 0, n);
        if (n == 0 && (inflater.needsInput() || inflater.finished())) {
          break;
        }
      }
    } catch (DataFormatException e) {
      throw new IOException("zlib: " + e.getMessage(), e);
    }
    if (expected >= 0 && out.size() != expected) {
      throw new IOException("zlib gave " + out.size() + " bytes, expected " + expected);
    }
    return out.toByteArray();
  }
}
