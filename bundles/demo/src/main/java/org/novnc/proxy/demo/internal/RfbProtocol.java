package org.novnc.proxy.demo.internal;

import java.nio.charset.StandardCharsets;

/**
 * RFB 3.8 constants (RFC 6143 and the community RFB protocol document). All multi-byte integers on
 * the wire are big endian except pixel values, which follow the client's pixel format.
 *
 * <p>A framebuffer update (RFC 6143 §7.6.1) and each of its rectangles:
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+-------------------------------+
 * | type = 0      | padding       | number-of-rectangles (U16)    |
 * +---------------+---------------+-------------------------------+
 * | x-position (U16)              | y-position (U16)              |
 * | width (U16)                   | height (U16)                  |
 * | encoding-type (S32)                                           |
 * | ... encoded data ...                                          |
 * +---------------------------------------------------------------+
 * </pre>
 */
final class RfbProtocol {
  private RfbProtocol() {}

  /** ProtocolVersion: 12 ASCII bytes, "RFB 003.008\n" (§7.1.1). */
  static final byte[] VERSION_3_8 = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION_LENGTH = 12;

  // Security types (§7.1.2) and SecurityResult (§7.1.3).
  static final int SECURITY_INVALID = 0;
  static final int SECURITY_NONE = 1;
  static final int SECURITY_VNC_AUTH = 2;
  static final int RESULT_OK = 0;
  static final int RESULT_FAILED = 1;
  /** VNC Authentication challenge and response length (§7.2.2). */
  static final int CHALLENGE_LENGTH = 16;

  // Client to server message types (§7.5 and extensions).
  static final int MSG_SET_PIXEL_FORMAT = 0;
  static final int MSG_SET_ENCODINGS = 2;
  static final int MSG_FRAMEBUFFER_UPDATE_REQUEST = 3;
  static final int MSG_KEY_EVENT = 4;
  static final int MSG_POINTER_EVENT = 5;
  static final int MSG_CLIENT_CUT_TEXT = 6;
  static final int MSG_SET_DESKTOP_SIZE = 251;

  // Server to client message types (§7.6).
  static final int MSG_FRAMEBUFFER_UPDATE = 0;
  static final int MSG_BELL = 2;

  // Encodings (§7.7) and the registered ones this server speaks.
  static final int ENC_RAW = 0;
  static final int ENC_COPY_RECT = 1;
  static final int ENC_HEXTILE = 5;
  static final int ENC_TIGHT = 7;
  static final int ENC_ZRLE = 16;

  // Pseudo-encodings (§7.8 and the community document).
  static final int PSEUDO_DESKTOP_SIZE = -223;
  static final int PSEUDO_LAST_RECT = -224;
  static final int PSEUDO_CURSOR = -239;
  static final int PSEUDO_DESKTOP_NAME = -307;
  static final int PSEUDO_EXTENDED_DESKTOP_SIZE = -308;
  /** JPEG quality levels 0..9 are -32..-23. */
  static final int PSEUDO_QUALITY_LEVEL_0 = -32;
  static final int PSEUDO_QUALITY_LEVEL_9 = -23;
  /** Compression levels 0..9 are -256..-247. */
  static final int PSEUDO_COMPRESS_LEVEL_0 = -256;
  static final int PSEUDO_COMPRESS_LEVEL_9 = -247;

  // ExtendedDesktopSize: x-position is the reason, y-position the status.
  static final int EDS_REASON_SERVER = 0;
  static final int EDS_REASON_THIS_CLIENT = 1;
  static final int EDS_REASON_OTHER_CLIENT = 2;
  static final int EDS_STATUS_OK = 0;
  static final int EDS_STATUS_PROHIBITED = 1;
  static final int EDS_STATUS_OUT_OF_RESOURCES = 2;
  static final int EDS_STATUS_INVALID_LAYOUT = 3;

  // Hextile subencoding mask bits.
  static final int HEXTILE_RAW = 1;
  static final int HEXTILE_BACKGROUND = 2;
  static final int HEXTILE_FOREGROUND = 4;
  static final int HEXTILE_ANY_SUBRECTS = 8;
  static final int HEXTILE_SUBRECTS_COLOURED = 16;

  // Tight compression-control byte (high nibble) and filters.
  static final int TIGHT_FILL = 0x80;
  static final int TIGHT_JPEG = 0x90;
  static final int TIGHT_EXPLICIT_FILTER = 0x40;
  static final int TIGHT_FILTER_COPY = 0;
  static final int TIGHT_FILTER_PALETTE = 1;
  /** Filtered data shorter than this is sent as is, without zlib. */
  static final int TIGHT_MIN_TO_COMPRESS = 12;
  /** No Tight rectangle may be wider than this. */
  static final int TIGHT_MAX_WIDTH = 2048;
}
