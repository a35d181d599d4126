package org.novnc.proxy.demo.internal;

import io.netty.buffer.ByteBuf;

/** Raw (0): width * height pixels in the client's format, left to right, top to bottom (§7.7.1). */
final class RawEncoder implements Encoder {

  @Override
  public int type() {
    return RfbProtocol.ENC_RAW;
  }

  @Override
  public int encode(Frame frame, Rect r, PixelFormat pf, ByteBuf out) {
    Encoder.header(out, r, RfbProtocol.ENC_RAW);
    out.ensureWritable(r.w() * r.h() * pf.bytesPerPixel());
    int[] px = frame.pixels();
    for (int y = r.y(); y < r.bottom(); y++) {
      int row = y * frame.width();
      for (int x = r.x(); x < r.right(); x++) {
        pf.writePixel(out, pf.fromRgb(px[row + x]));
      }
    }
    return 1;
  }
}
