package org.novnc.proxy.demo.internal;

import static org.novnc.proxy.demo.internal.RfbProtocol.TIGHT_EXPLICIT_FILTER;
import static org.novnc.proxy.demo.internal.RfbProtocol.TIGHT_FILL;
import static org.novnc.proxy.demo.internal.RfbProtocol.TIGHT_FILTER_PALETTE;
import static org.novnc.proxy.demo.internal.RfbProtocol.TIGHT_JPEG;
import static org.novnc.proxy.demo.internal.RfbProtocol.TIGHT_MAX_WIDTH;
import static org.novnc.proxy.demo.internal.RfbProtocol.TIGHT_MIN_TO_COMPRESS;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Tight (7): one compression-control byte per rectangle, then
 * <ul>
 * <li>fill ({@code 1000....}): one TPIXEL for the whole rectangle;</li>
 * <li>JPEG ({@code 1001....}): compact length, JPEG data; only when the client sent a quality level
 *     and uses 16 or 32 bits per pixel;</li>
 * <li>basic ({@code 0fss....}): zlib stream {@code ss}, with the palette filter ({@code f} set, filter
 *     id 1: colour count - 1, TPIXEL palette, 1-bit rows for two colours or one byte per pixel) or
 *     the copy filter (TPIXELs); data shorter than 12 bytes is sent as is, longer data as a compact
 *     length and zlib data.</li>
 * </ul>
 * Streams: 0 full colour, 1 two-colour palettes, 2 larger palettes. Rectangles are split to at most
 * 2048 pixels wide (the protocol's limit) and {@link #MAX_AREA} pixels.
 */
final class TightEncoder implements Encoder {
  static final int MAX_AREA = 65536;
  private static final int STREAM_FULL = 0;
  private static final int STREAM_MONO = 1;
  private static final int STREAM_INDEXED = 2;
  /** Up to this many colours a palette beats JPEG even when JPEG is allowed. */
  private static final int PALETTE_BEFORE_JPEG = 24;
  /** Smaller rectangles never go to JPEG: its headers alone outweigh them. */
  private static final int JPEG_MIN_AREA = 1024;

  private final ZlibStream[] streams = new ZlibStream[4];
  private final Palette palette = new Palette();
  private final int[] pixels = new int[MAX_AREA];
  private final ByteBuf plain = Unpooled.buffer(16 * 1024);
  private final JpegWriter jpeg = new JpegWriter();
  private int level;
  /** JPEG quality 0..100, or -1 for lossless only. */
  private int jpegQuality = -1;

  TightEncoder(int level) {
    this.level = level;
  }

  void level(int newLevel) {
    level = newLevel;
    for (ZlibStream s : streams) {
      if (s != null) {
        s.level(newLevel);
      }
    }
  }

  /** JPEG quality 0..100 for rectangles with many colours, or -1 to stay lossless. */
  void jpegQuality(int quality) {
    jpegQuality = quality;
  }

  @Override
  public int type() {
    return RfbProtocol.ENC_TIGHT;
  }

  @Override
  public int encode(Frame frame, Rect r, PixelFormat pf, ByteBuf out) {
    int count = 0;
    int maxW = Math.min(r.w(), TIGHT_MAX_WIDTH);
    int maxH = Math.max(1, MAX_AREA / maxW);
    for (int y = r.y(); y < r.bottom(); y += maxH) {
      for (int x = r.x(); x < r.right(); x += maxW) {
        Rect part = Rect.ofBounds(x, y, Math.min(x + maxW, r.right()), Math.min(y + maxH, r.bottom()));
        encodePart(frame, part, pf, out);
        count++;
      }
    }
    return count;
  }

  private void encodePart(Frame frame, Rect r, PixelFormat pf, ByteBuf out) {
    Encoder.header(out, r, RfbProtocol.ENC_TIGHT);
    int n = r.w() * r.h();
    frame.translate(r, pf, pixels);
    boolean jpegAllowed = jpegQuality >= 0 && pf.bitsPerPixel >= 16 && n >= JPEG_MIN_AREA;
    int colours = palette.build(pixels, n, 256);
    if (colours == 1) {
      out.writeByte(TIGHT_FILL);
      pf.writeTPixel(out, pixels[0]);
    } else if (colours <= (jpegAllowed ? PALETTE_BEFORE_JPEG : 256)) {
      writePalette(r, pf, out, colours);
    } else if (jpegAllowed) {
      out.writeByte(TIGHT_JPEG);
      byte[] data = jpeg.write(frame, r, jpegQuality);
      writeCompactLength(out, data.length);
      out.writeBytes(data);
    } else {
      out.writeByte(STREAM_FULL << 4); // basic, stream 0, no filter byte: the copy filter
      plain.clear();
      for (int i = 0; i < n; i++) {
        pf.writeTPixel(plain, pixels[i]);
      }
      writeData(out, STREAM_FULL);
    }
  }

  private void writePalette(Rect r, PixelFormat pf, ByteBuf out, int colours) {
    int stream = colours == 2 ? STREAM_MONO : STREAM_INDEXED;
    out.writeByte(TIGHT_EXPLICIT_FILTER | (stream << 4));
    out.writeByte(TIGHT_FILTER_PALETTE);
    out.writeByte(colours - 1);
    for (int c = 0; c < colours; c++) {
      pf.writeTPixel(out, palette.colour(c));
    }
    plain.clear();
    int w = r.w();
    if (colours == 2) {
      for (int y = 0; y < r.h(); y++) {
        int acc = 0;
        int filled = 0;
        for (int x = 0; x < w; x++) {
          acc = (acc << 1) | palette.index(pixels[y * w + x]);
          if (++filled == 8) {
            plain.writeByte(acc);
            acc = 0;
            filled = 0;
          }
        }
        if (filled > 0) {
          plain.writeByte(acc << (8 - filled));
        }
      }
    } else {
      int n = w * r.h();
      for (int i = 0; i < n; i++) {
        plain.writeByte(palette.index(pixels[i]));
      }
    }
    writeData(out, stream);
  }

  /** The filtered data in {@code plain}: as is when short, else compact length and zlib data. */
  private void writeData(ByteBuf out, int stream) {
    int length = plain.readableBytes();
    if (length < TIGHT_MIN_TO_COMPRESS) {
      out.writeBytes(plain);
      return;
    }
    if (streams[stream] == null) {
      streams[stream] = new ZlibStream(level);
    }
    ByteBuf compressed = Unpooled.buffer(length / 2 + 64);
    try {
      streams[stream].compress(plain.array(), plain.arrayOffset() + plain.readerIndex(), length, compressed);
      writeCompactLength(out, compressed.readableBytes());
      out.writeBytes(compressed);
    } finally {
      compressed.release();
    }
  }

  /** 1 to 3 bytes, 7 bits each little end first, the top bit meaning "more follows" (the third has 8 bits). */
  static void writeCompactLength(ByteBuf out, int length) {
    if (length < 0x80) {
      out.writeByte(length);
    } else if (length < 0x4000) {
      out.writeByte((length & 0x7f) | 0x80).writeByte(length >> 7);
    } else {
      out.writeByte((length & 0x7f) | 0x80).writeByte(((length >> 7) & 0x7f) | 0x80).writeByte(length >> 14);
    }
  }

  @Override
  public void close() {
    for (ZlibStream s : streams) {
      if (s != null) {
        s.close();
      }
    }
    plain.release();
    jpeg.close();
  }
}
