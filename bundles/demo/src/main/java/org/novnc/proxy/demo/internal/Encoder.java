package org.novnc.proxy.demo.internal;

import io.netty.buffer.ByteBuf;

/**
 * Writes framebuffer rectangles in one encoding. An encoder belongs to one connection: the ones with
 * zlib streams carry their state from one rectangle to the next, in the order they are written.
 */
interface Encoder {

  /** The encoding-type this encoder writes. */
  int type();

  /**
   * Writes {@code r} of {@code frame} in {@code pf}: rectangle header(s) and data.
   *
   * @return how many rectangles were written (an encoding may have to split {@code r})
   */
  int encode(Frame frame, Rect r, PixelFormat pf, ByteBuf out);

  /** Releases what the encoder holds (zlib streams, the JPEG writer). */
  default void close() {}

  /** A rectangle header: x, y, width, height (U16 each), encoding-type (S32). */
  static void header(ByteBuf out, int x, int y, int w, int h, int encoding) {
    out.writeShort(x).writeShort(y).writeShort(w).writeShort(h).writeInt(encoding);
  }

  static void header(ByteBuf out, Rect r, int encoding) {
    header(out, r.x(), r.y(), r.w(), r.h(), encoding);
  }
}
