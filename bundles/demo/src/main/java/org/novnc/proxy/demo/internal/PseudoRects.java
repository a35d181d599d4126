package org.novnc.proxy.demo.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Pseudo-rectangles: they tell the client something instead of carrying pixels. */
final class PseudoRects {
  private PseudoRects() {}

  /** DesktopSize (-223): x and y unused, width and height the new framebuffer size; no data. */
  static void desktopSize(ByteBuf out, int width, int height) {
    Encoder.header(out, 0, 0, width, height, RfbProtocol.PSEUDO_DESKTOP_SIZE);
  }

  /**
   * ExtendedDesktopSize (-308): x is the reason, y the status, width and height the framebuffer
   * size; then number-of-screens (U8), 3 bytes padding and the SCREENs.
   */
  static void extendedDesktopSize(ByteBuf out, SizeReply reply) {
    Encoder.header(out, reply.reason(), reply.status(), reply.width(), reply.height(),
        RfbProtocol.PSEUDO_EXTENDED_DESKTOP_SIZE);
    out.writeByte(reply.screens().size()).writeZero(3);
    for (Screen s : reply.screens()) {
      s.write(out);
    }
  }

  /** DesktopName (-307): a U32 length and the name, UTF-8. */
  static void desktopName(ByteBuf out, String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    Encoder.header(out, 0, 0, 0, 0, RfbProtocol.PSEUDO_DESKTOP_NAME);
    out.writeInt(bytes.length).writeBytes(bytes);
  }

  /**
   * Cursor (-239): x and y are the hotspot; the data is width * height pixels in the client's
   * format, then a bitmask, one bit per pixel, rows padded to whole bytes, 1 meaning opaque.
   */
  static void cursor(ByteBuf out, CursorShape cursor, PixelFormat pf) {
    Encoder.header(out, cursor.hotX(), cursor.hotY(), cursor.width(), cursor.height(), RfbProtocol.PSEUDO_CURSOR);
    for (int rgb : cursor.pixels()) {
      pf.writePixel(out, pf.fromRgb(rgb));
    }
    out.writeBytes(cursor.mask());
  }

  /**
   * One ExtendedDesktopSize answer owed to a client.
   *
   * @param reason 0 server-side change, 1 this client asked, 2 another client asked
   * @param status 0 or the reason a request was refused
   */
  record SizeReply(int reason, int status, int width, int height, List<Screen> screens) {}
}
