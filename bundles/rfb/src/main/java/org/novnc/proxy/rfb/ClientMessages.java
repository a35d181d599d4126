package org.novnc.proxy.rfb;

import java.nio.ByteBuffer;

/**
 * Finds the client-to-server RFB messages (after ClientInit) in a byte stream cut anywhere:
 * non-blocking and resumable at any byte, nothing copied. Each call reports, for the bytes of the
 * buffer given, which message they belong to (by type) as position ranges, so the caller passes or
 * drops them per type without buffering. A type it cannot frame ends the scan with a
 * {@link RfbException}: nothing unknown is ever passed through.
 *
 * <p>Framed: SetPixelFormat (0), SetEncodings (2), FramebufferUpdateRequest (3), KeyEvent (4),
 * PointerEvent (5), ClientCutText (6, with Extended Clipboard's negative lengths), EnableContinuousUpdates
 * (150), ClientFence (248), XVP (250), SetDesktopSize (251), QEMU client messages (255: extended key
 * event, audio).
 */
public final class ClientMessages {
  public static final int SET_PIXEL_FORMAT = 0;
  public static final int SET_ENCODINGS = 2;
  public static final int FRAMEBUFFER_UPDATE_REQUEST = 3;
  public static final int KEY_EVENT = 4;
  public static final int POINTER_EVENT = 5;
  public static final int CLIENT_CUT_TEXT = 6;
  public static final int ENABLE_CONTINUOUS_UPDATES = 150;
  public static final int CLIENT_FENCE = 248;
  public static final int XVP = 250;
  public static final int SET_DESKTOP_SIZE = 251;
  public static final int QEMU = 255;
  /** Longest ClientCutText accepted (64 MiB), like the codec's message limit. */
  public static final long MAX_CUT_TEXT = 64L * 1024 * 1024;

  /** Where the bytes of a scanned buffer go. */
  public interface Listener {
    /**
     * Bytes {@code from} (inclusive) to {@code to} (exclusive) of the buffer belong to a message of
     * {@code type}; {@code end} is true when they complete it.
     */
    void bytes(int type, int from, int to, boolean end);
  }

  /** Header bytes of the message being read (the most any type needs to know its length: 9). */
  private final byte[] header = new byte[9];
  private int have;
  /** Length of the current message once known; -1 while its header is incomplete, 0 between messages. */
  private long length;
  /** Bytes of the current message seen so far. */
  private long seen;
  private int type = -1;

  /** Scans {@code buf} from its position to its limit (both left unchanged). */
  public void scan(ByteBuffer buf, Listener listener) throws RfbException {
    int pos = buf.position();
    int limit = buf.limit();
    while (pos < limit) {
      if (type < 0) {
        type = buf.get(pos) & 0xFF;
        have = 0;
        seen = 0;
        length = -1;
      }
      int start = pos;
      // header bytes until the length is known
      while (length < 0 && pos < limit) {
        header[have++] = buf.get(pos++);
        seen++;
        length = lengthOf(type, header, have);
      }
      if (length < 0) {
        listener.bytes(type, start, pos, false);
        return;
      }
      long rest = length - seen;
      int take = (int) Math.min(rest, limit - pos);
      pos += take;
      seen += take;
      boolean end = seen == length;
      listener.bytes(type, start, pos, end);
      if (end) {
        type = -1;
      }
    }
  }

  /** Whether the stream is between messages (nothing of one is pending). */
  public boolean atBoundary() {
    return type < 0;
  }

  /**
   * The whole length of a message of {@code type} given its first {@code n} bytes, or -1 when more
   * header is needed.
   */
  static long lengthOf(int type, byte[] h, int n) throws RfbException {
    switch (type) {
      case SET_PIXEL_FORMAT:
        return 20;
      case SET_ENCODINGS:
        return n < 4 ? -1 : 4 + 4L * u16(h, 2);
      case FRAMEBUFFER_UPDATE_REQUEST:
        return 10;
      case KEY_EVENT:
        return 8;
      case POINTER_EVENT:
        return 6;
      case CLIENT_CUT_TEXT: {
        if (n < 8) {
          return -1;
        }
        long len = Math.abs((long) s32(h, 4)); // negative: Extended Clipboard's -length
        if (len > MAX_CUT_TEXT) {
          throw new RfbException("ClientCutText of " + len + " bytes is more than " + MAX_CUT_TEXT);
        }
        return 8 + len;
      }
      case ENABLE_CONTINUOUS_UPDATES:
        return 10;
      case CLIENT_FENCE: {
        if (n < 9) {
          return -1;
        }
        int len = h[8] & 0xFF;
        if (len > 64) {
          throw new RfbException("ClientFence with " + len + " bytes of payload (at most 64)");
        }
        return 9 + len;
      }
      case XVP:
        return 4;
      case SET_DESKTOP_SIZE:
        return n < 8 ? -1 : 8 + 16L * (h[6] & 0xFF);
      case QEMU: {
        if (n < 2) {
          return -1;
        }
        int sub = h[1] & 0xFF;
        if (sub == 0) {
          return 12; // extended key event
        }
        if (sub == 1) { // audio: u16 operation
          if (n < 4) {
            return -1;
          }
          int op = u16(h, 2);
          if (op == 0 || op == 1) {
            return 4;
          }
          if (op == 2) {
            return 10;
          }
          throw new RfbException("QEMU audio operation " + op + " is not known");
        }
        throw new RfbException("QEMU client message subtype " + sub + " is not known");
      }
      default:
        throw new RfbException("client message type " + type + " is not known");
    }
  }

  private static int u16(byte[] h, int at) {
    return ((h[at] & 0xFF) << 8) | (h[at + 1] & 0xFF);
  }

  private static int s32(byte[] h, int at) {
    return ((h[at] & 0xFF) << 24) | ((h[at + 1] & 0xFF) << 16) | ((h[at + 2] & 0xFF) << 8) | (h[at + 3] & 0xFF);
  }
}
