package org.novnc.proxy.demo.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * ZRLE (16), RFC 6143 §7.7.6: a U32 length then zlib data from the connection's one stream; inflated,
 * 64x64 tiles, each a subencoding byte and one of raw, solid, packed palette (2..16 colours),
 * plain RLE or palette RLE (2..127 colours), whichever is smallest. Pixels are CPIXELs.
 */
final class ZrleEncoder implements Encoder {
  private static final int TILE = 64;
  private final ZlibStream zlib;
  private final int[] tile = new int[TILE * TILE];
  private final Palette palette = new Palette();
  private final ByteBuf plain = Unpooled.buffer(64 * 1024);

  ZrleEncoder(int level) {
    zlib = new ZlibStream(level);
  }

  void level(int level) {
    zlib.level(level);
  }

  @Override
  public int type() {
    return RfbProtocol.ENC_ZRLE;
  }

  @Override
  public int encode(Frame frame, Rect r, PixelFormat pf, ByteBuf out) {
    plain.clear();
    for (int ty = r.y(); ty < r.bottom(); ty += TILE) {
      for (int tx = r.x(); tx < r.right(); tx += TILE) {
        Rect t = Rect.ofBounds(tx, ty, Math.min(tx + TILE, r.right()), Math.min(ty + TILE, r.bottom()));
        frame.translate(t, pf, tile);
        encodeTile(t.w(), t.h(), pf);
      }
    }
    Encoder.header(out, r, RfbProtocol.ENC_ZRLE);
    int lengthAt = out.writerIndex();
    out.writeInt(0);
    int length = zlib.compress(plain.array(), plain.arrayOffset() + plain.readerIndex(), plain.readableBytes(), out);
    out.setInt(lengthAt, length);
    return 1;
  }

  private void encodeTile(int w, int h, PixelFormat pf) {
    int n = w * h;
    int cpb = pf.cpixelBytes();
    int colours = palette.build(tile, n, 127);
    if (colours == 1) {
      plain.writeByte(1);
      pf.writeCPixel(plain, tile[0]);
      return;
    }
    // sizes of the candidates, from one pass over the runs
    int plainRle = 0;
    int paletteRle = 0;
    for (int i = 0; i < n;) {
      int run = runLength(i, n);
      int lengthBytes = (run - 1) / 255 + 1;
      plainRle += cpb + lengthBytes;
      paletteRle += run == 1 ? 1 : 1 + lengthBytes;
      i += run;
    }
    int best = n * cpb; // raw
    int choice = 0;
    if (plainRle < best) {
      best = plainRle;
      choice = 128;
    }
    if (colours <= 127) {
      paletteRle += colours * cpb;
      if (paletteRle < best) {
        best = paletteRle;
        choice = 128 + colours;
      }
      if (colours <= 16) {
        int packed = colours * cpb + rowBytes(w, colours) * h;
        if (packed <= best) {
          choice = colours;
        }
      }
    }
    plain.writeByte(choice);
    if (choice == 0) {
      for (int i = 0; i < n; i++) {
        pf.writeCPixel(plain, tile[i]);
      }
    } else if (choice == 128) {
      for (int i = 0; i < n;) {
        int run = runLength(i, n);
        pf.writeCPixel(plain, tile[i]);
        writeRunLength(run);
        i += run;
      }
    } else {
      for (int c = 0; c < colours; c++) {
        pf.writeCPixel(plain, palette.colour(c));
      }
      if (choice > 128) {
        for (int i = 0; i < n;) {
          int run = runLength(i, n);
          int index = palette.index(tile[i]);
          if (run == 1) {
            plain.writeByte(index);
          } else {
            plain.writeByte(index | 128);
            writeRunLength(run);
          }
          i += run;
        }
      } else {
        writePacked(w, h, colours);
      }
    }
  }

  private int runLength(int i, int n) {
    int p = tile[i];
    int j = i + 1;
    while (j < n && tile[j] == p) {
      j++;
    }
    return j - i;
  }

  /** One more than the sum of the bytes; every byte but the last is 255. */
  private void writeRunLength(int run) {
    int rest = run - 1;
    while (rest >= 255) {
      plain.writeByte(255);
      rest -= 255;
    }
    plain.writeByte(rest);
  }

  private static int bitsPerIndex(int colours) {
    return colours <= 2 ? 1 : colours <= 4 ? 2 : 4;
  }

  private static int rowBytes(int w, int colours) {
    return (w * bitsPerIndex(colours) + 7) / 8;
  }

  /** Palette indices packed most significant bits first, each row padded to a whole byte. */
  private void writePacked(int w, int h, int colours) {
    int bits = bitsPerIndex(colours);
    for (int y = 0; y < h; y++) {
      int acc = 0;
      int filled = 0;
      for (int x = 0; x < w; x++) {
        acc = (acc << bits) | palette.index(tile[y * w + x]);
        filled += bits;
        if (filled == 8) {
          plain.writeByte(acc);
          acc = 0;
          filled = 0;
        }
      }
      if (filled > 0) {
        plain.writeByte(acc << (8 - filled));
      }
    }
  }

  @Override
  public void close() {
    zlib.close();
    plain.release();
  }
}
