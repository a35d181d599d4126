package org.novnc.proxy.demo.internal;

import io.netty.buffer.ByteBuf;
import java.util.zip.Deflater;

/**
 * One persistent zlib stream of a connection (ZRLE has one, Tight four). Each call compresses its
 * input and ends with a sync flush, so the client can inflate that rectangle with what it has.
 */
final class ZlibStream {
  private final Deflater deflater;
  private final byte[] chunk = new byte[16 * 1024];
  private int level;

  ZlibStream(int level) {
    this.level = level;
    deflater = new Deflater(level);
  }

  /** A compression level 0..9 for what is compressed from now on. */
  void level(int newLevel) {
    if (newLevel != level) {
      level = newLevel;
      deflater.setLevel(newLevel);
    }
  }

  /** Compresses {@code length} bytes of {@code data} and appends the result to {@code out}; returns its size. */
  int compress(byte[] data, int offset, int length, ByteBuf out) {
    deflater.setInput(data, offset, length);
    int total = 0;
    while (true) {
      int n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      out.writeBytes(chunk, 0, n);
      total += n;
      if (n < chunk.length) { // flushed: all input consumed
        return total;
      }
    }
  }

  void close() {
    deflater.end();
  }
}
