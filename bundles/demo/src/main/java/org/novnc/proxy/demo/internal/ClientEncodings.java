package org.novnc.proxy.demo.internal;

import static org.novnc.proxy.demo.internal.RfbProtocol.*;

/**
 * What a client's SetEncodings (§7.5.2) says it can take: the encoding for pixel data (the first one
 * in the client's order that this server speaks, Raw when none), and the pseudo-encodings.
 */
record ClientEncodings(int preferred, boolean copyRect, boolean desktopSize, boolean extendedDesktopSize,
    boolean cursor, boolean desktopName, int qualityLevel, int compressLevel) {

  /** Before SetEncodings: Raw only, nothing else. */
  static final ClientEncodings NONE = new ClientEncodings(ENC_RAW, false, false, false, false, false, -1, -1);

  static ClientEncodings of(int[] encodings) {
    int preferred = -1;
    boolean copy = false;
    boolean size = false;
    boolean extSize = false;
    boolean cursor = false;
    boolean name = false;
    int quality = -1;
    int compress = -1;
    for (int e : encodings) {
      switch (e) {
        case ENC_RAW, ENC_HEXTILE, ENC_TIGHT, ENC_ZRLE -> {
          if (preferred < 0) {
            preferred = e;
          }
        }
        case ENC_COPY_RECT -> copy = true;
        case PSEUDO_DESKTOP_SIZE -> size = true;
        case PSEUDO_EXTENDED_DESKTOP_SIZE -> extSize = true;
        case PSEUDO_CURSOR -> cursor = true;
        case PSEUDO_DESKTOP_NAME -> name = true;
        default -> {
          if (e >= PSEUDO_QUALITY_LEVEL_0 && e <= PSEUDO_QUALITY_LEVEL_9 && quality < 0) {
            quality = e - PSEUDO_QUALITY_LEVEL_0;
          } else if (e >= PSEUDO_COMPRESS_LEVEL_0 && e <= PSEUDO_COMPRESS_LEVEL_9 && compress < 0) {
            compress = e - PSEUDO_COMPRESS_LEVEL_0;
          }
        }
      }
    }
    return new ClientEncodings(preferred < 0 ? ENC_RAW : preferred, copy, size, extSize, cursor, name, quality,
        compress);
  }

  /** The client can follow a change of the framebuffer size, one way or the other. */
  boolean resizable() {
    return desktopSize || extendedDesktopSize;
  }

  /** zlib level for ZRLE and Tight: the client's compression level, 6 when it sent none. */
  int zlibLevel() {
    return compressLevel < 0 ? 6 : compressLevel;
  }

  /** JPEG quality 0..100 for Tight, or -1 when the client sent no quality level (lossless only). */
  int jpegQuality() {
    return qualityLevel < 0 ? -1 : JPEG_QUALITY[qualityLevel];
  }

  private static final int[] JPEG_QUALITY = {20, 30, 40, 50, 60, 70, 75, 80, 88, 95};
}
