package org.novnc.proxy.demo.internal;

/**
 * The encoders of one connection, made when first needed; those with zlib streams keep them for the
 * connection's life, as ZRLE and Tight require.
 */
final class EncoderSet {
  private final RawEncoder raw = new RawEncoder();
  private HextileEncoder hextile;
  private ZrleEncoder zrle;
  private TightEncoder tight;
  private ClientEncodings settings = ClientEncodings.NONE;

  /** Applies the client's compression and quality levels to the encoders that have them. */
  void configure(ClientEncodings encodings) {
    settings = encodings;
    if (zrle != null) {
      zrle.level(encodings.zlibLevel());
    }
    if (tight != null) {
      tight.level(encodings.zlibLevel());
      tight.jpegQuality(encodings.jpegQuality());
    }
  }

  Encoder get(int type) {
    switch (type) {
      case RfbProtocol.ENC_HEXTILE -> {
        if (hextile == null) {
          hextile = new HextileEncoder();
        }
        return hextile;
      }
      case RfbProtocol.ENC_ZRLE -> {
        if (zrle == null) {
          zrle = new ZrleEncoder(settings.zlibLevel());
        }
        return zrle;
      }
      case RfbProtocol.ENC_TIGHT -> {
        if (tight == null) {
          tight = new TightEncoder(settings.zlibLevel());
          tight.jpegQuality(settings.jpegQuality());
        }
        return tight;
      }
      default -> {
        return raw;
      }
    }
  }

  void close() {
    if (zrle != null) {
      zrle.close();
    }
    if (tight != null) {
      tight.close();
    }
  }
}
