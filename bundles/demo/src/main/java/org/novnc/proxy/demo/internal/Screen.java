package org.novnc.proxy.demo.internal;

import io.netty.buffer.ByteBuf;

/**
 * One SCREEN of an ExtendedDesktopSize layout: id (U32), x, y, width, height (U16), flags (U32).
 * Ids and flags are kept exactly as a client sent them.
 */
record Screen(int id, int x, int y, int width, int height, int flags) {
  static final int LENGTH = 16;

  static Screen read(ByteBuf in) {
    return new Screen(in.readInt(), in.readUnsignedShort(), in.readUnsignedShort(), in.readUnsignedShort(),
        in.readUnsignedShort(), in.readInt());
  }

  void write(ByteBuf out) {
    out.writeInt(id).writeShort(x).writeShort(y).writeShort(width).writeShort(height).writeInt(flags);
  }
}
