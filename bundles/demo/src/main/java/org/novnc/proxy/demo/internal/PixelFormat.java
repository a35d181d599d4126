package org.novnc.proxy.demo.internal;

import io.netty.buffer.ByteBuf;

/**
 * An RFB PIXEL_FORMAT (RFC 6143 §7.4), and the translation of the desktop's 0xRRGGBB pixels into it.
 * <pre>
 * +----------------+-------+-----------------+------------------+
 * | bits-per-pixel | depth | big-endian-flag | true-colour-flag |   U8 each
 * | red-max (U16)  | green-max (U16)         | blue-max (U16)   |
 * | red-shift      | green-shift | blue-shift | padding (3)      |   U8 each
 * +----------------+-------+-----------------+------------------+
 * </pre>
 * Any true-colour format of 8, 16 or 32 bits per pixel is served, in either byte order and with any
 * maxima and shifts that fit; colour-map formats are not.
 */
final class PixelFormat {
  /** The server's natural format, sent in ServerInit: 32 bpp, depth 24, little endian, 0x00RRGGBB. */
  static final PixelFormat SERVER = new PixelFormat(32, 24, false, true, 255, 255, 255, 16, 8, 0);
  static final int LENGTH = 16;

  final int bitsPerPixel;
  final int depth;
  final boolean bigEndian;
  final boolean trueColour;
  final int redMax;
  final int greenMax;
  final int blueMax;
  final int redShift;
  final int greenShift;
  final int blueShift;
  private final int[] red = new int[256];
  private final int[] green = new int[256];
  private final int[] blue = new int[256];

  PixelFormat(int bitsPerPixel, int depth, boolean bigEndian, boolean trueColour, int redMax, int greenMax,
      int blueMax, int redShift, int greenShift, int blueShift) {
    this.bitsPerPixel = bitsPerPixel;
    this.depth = depth;
    this.bigEndian = bigEndian;
    this.trueColour = trueColour;
    this.redMax = redMax;
    this.greenMax = greenMax;
    this.blueMax = blueMax;
    this.redShift = redShift;
    this.greenShift = greenShift;
    this.blueShift = blueShift;
    if (problem() == null) {
      for (int c = 0; c < 256; c++) {
        red[c] = scale(c, redMax) << redShift;
        green[c] = scale(c, greenMax) << greenShift;
        blue[c] = scale(c, blueMax) << blueShift;
      }
    }
  }

  /** 16-bit 5-6-5 true colour, little endian: a common low-bandwidth choice. */
  static PixelFormat rgb565(boolean bigEndian) {
    return new PixelFormat(16, 16, bigEndian, true, 31, 63, 31, 11, 5, 0);
  }

  /** Reads the 16 bytes of a PIXEL_FORMAT; check {@link #problem()} before using it. */
  static PixelFormat read(ByteBuf in) {
    int bpp = in.readUnsignedByte();
    int depth = in.readUnsignedByte();
    boolean be = in.readUnsignedByte() != 0;
    boolean tc = in.readUnsignedByte() != 0;
    int rm = in.readUnsignedShort();
    int gm = in.readUnsignedShort();
    int bm = in.readUnsignedShort();
    int rs = in.readUnsignedByte();
    int gs = in.readUnsignedByte();
    int bs = in.readUnsignedByte();
    in.skipBytes(3);
    return new PixelFormat(bpp, depth, be, tc, rm, gm, bm, rs, gs, bs);
  }

  void write(ByteBuf out) {
    out.writeByte(bitsPerPixel).writeByte(depth).writeByte(bigEndian ? 1 : 0).writeByte(trueColour ? 1 : 0);
    out.writeShort(redMax).writeShort(greenMax).writeShort(blueMax);
    out.writeByte(redShift).writeByte(greenShift).writeByte(blueShift);
    out.writeZero(3);
  }

  /** Why this format cannot be served, or null when it can. */
  String problem() {
    if (!trueColour) {
      return "colour-map pixel formats are not supported";
    }
    if (bitsPerPixel != 8 && bitsPerPixel != 16 && bitsPerPixel != 32) {
      return "bits-per-pixel " + bitsPerPixel + " is not 8, 16 or 32";
    }
    if (!fits(redMax, redShift) || !fits(greenMax, greenShift) || !fits(blueMax, blueShift)) {
      return "colour maxima/shifts " + redMax + "<<" + redShift + ", " + greenMax + "<<" + greenShift + ", "
          + blueMax + "<<" + blueShift + " do not fit " + bitsPerPixel + " bits";
    }
    return null;
  }

  private boolean fits(int max, int shift) {
    // max must be 2^n - 1 and the field must lie inside the pixel
    return max > 0 && (max & (max + 1)) == 0 && shift + Integer.bitCount(max) <= bitsPerPixel;
  }

  private static int scale(int c, int max) {
    return (c * max + 127) / 255;
  }

  int bytesPerPixel() {
    return bitsPerPixel / 8;
  }

  /** The pixel value for a desktop colour 0xRRGGBB. */
  int fromRgb(int rgb) {
    return red[(rgb >> 16) & 0xff] | green[(rgb >> 8) & 0xff] | blue[rgb & 0xff];
  }

  /** The colour 0xRRGGBB of a pixel value, each component scaled back to 8 bits. */
  int toRgb(int pixel) {
    int r = ((pixel >>> redShift) & redMax) * 255 / redMax;
    int g = ((pixel >>> greenShift) & greenMax) * 255 / greenMax;
    int b = ((pixel >>> blueShift) & blueMax) * 255 / blueMax;
    return (r << 16) | (g << 8) | b;
  }

  /** Writes a PIXEL: bytesPerPixel bytes in the format's byte order. */
  void writePixel(ByteBuf out, int value) {
    switch (bitsPerPixel) {
      case 8 -> out.writeByte(value);
      case 16 -> {
        if (bigEndian) {
          out.writeShort(value);
        } else {
          out.writeShortLE(value);
        }
      }
      default -> {
        if (bigEndian) {
          out.writeInt(value);
        } else {
          out.writeIntLE(value);
        }
      }
    }
  }

  private long usedBits() {
    return ((long) redMax << redShift) | ((long) greenMax << greenShift) | ((long) blueMax << blueShift);
  }

  /**
   * ZRLE's CPIXEL: 3 bytes when the format is 32 bpp true colour of depth 24 or less and every
   * colour bit lies in the least (preferred) or the most significant three bytes; else a PIXEL.
   */
  int cpixelBytes() {
    if (trueColour && bitsPerPixel == 32 && depth <= 24
        && ((usedBits() & 0xff000000L) == 0 || (usedBits() & 0xffL) == 0)) {
      return 3;
    }
    return bytesPerPixel();
  }

  void writeCPixel(ByteBuf out, int value) {
    if (cpixelBytes() != 3) {
      writePixel(out, value);
      return;
    }
    boolean low = (usedBits() & 0xff000000L) == 0;
    int v = low ? value : value >>> 8;
    // the pixel's bytes in wire order, less the unused one
    if (bigEndian) {
      out.writeMedium(v);
    } else {
      out.writeMediumLE(v);
    }
  }

  /**
   * Tight's TPIXEL: red, green, blue bytes when the format is 32 bpp, depth 24, with 8-bit
   * components (Tight NOTE 1); else a PIXEL.
   */
  boolean tightRgb() {
    return trueColour && bitsPerPixel == 32 && depth == 24 && redMax == 255 && greenMax == 255 && blueMax == 255;
  }

  int tpixelBytes() {
    return tightRgb() ? 3 : bytesPerPixel();
  }

  void writeTPixel(ByteBuf out, int value) {
    if (tightRgb()) {
      out.writeMedium(toRgb(value));
    } else {
      writePixel(out, value);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PixelFormat p && p.bitsPerPixel == bitsPerPixel && p.depth == depth
        && p.bigEndian == bigEndian && p.trueColour == trueColour && p.redMax == redMax && p.greenMax == greenMax
        && p.blueMax == blueMax && p.redShift == redShift && p.greenShift == greenShift && p.blueShift == blueShift;
  }

  @Override
  public int hashCode() {
    return ((bitsPerPixel * 31 + depth) * 31 + redMax * 7 + greenMax * 5 + blueMax) * 31
        + (redShift << 16 | greenShift << 8 | blueShift) + (bigEndian ? 1 : 0);
  }

  @Override
  public String toString() {
    return bitsPerPixel + "bpp depth " + depth + (bigEndian ? " BE" : " LE") + (trueColour ? " true colour " : " colour map ")
        + redMax + "<<" + redShift + " " + greenMax + "<<" + greenShift + " " + blueMax + "<<" + blueShift;
  }
}
