package org.novnc.proxy.codec;

import java.nio.ByteBuffer;

/**
 * Incremental UTF-8 check (RFC 3629 §4, Unicode table 3-7) for text messages that arrive in
 * chunks: a sequence may be split anywhere. Rejects overlong forms, surrogates (U+D800–DFFF) and
 * code points above U+10FFFF. Runs of ASCII are skipped eight bytes at a time.
 */
final class Utf8Validator {
  private static final int ACCEPT = 0;
  private static final int REJECT = -1;

  // The states 1-7 are "inside a sequence": which range the next byte must fall in and where to go
  // after it. 1: one more 80-BF. 2: two more. 3: after E0 (A0-BF, no overlongs). 4: after ED
  // (80-9F, no surrogates). 5: three more. 6: after F0 (90-BF, no overlongs). 7: after F4 (80-8F,
  // nothing above U+10FFFF).
  private static final int[] LOW = {0, 0x80, 0x80, 0xA0, 0x80, 0x80, 0x90, 0x80};
  private static final int[] HIGH = {0, 0xBF, 0xBF, 0xBF, 0x9F, 0xBF, 0xBF, 0x8F};
  private static final int[] NEXT = {0, ACCEPT, 1, 1, 1, 2, 2, 2};

  /** The state a lead byte starts; REJECT for bytes that cannot start a sequence. */
  private static final byte[] LEAD = new byte[256];

  static {
    for (int b = 0; b < 256; b++) {
      int next;
      if (b < 0x80) {
        next = ACCEPT;
      } else if (b < 0xC2) {
        next = REJECT; // continuation bytes, and C0/C1 which only start overlongs
      } else if (b < 0xE0) {
        next = 1;
      } else if (b == 0xE0) {
        next = 3;
      } else if (b == 0xED) {
        next = 4;
      } else if (b < 0xF0) {
        next = 2;
      } else if (b == 0xF0) {
        next = 6;
      } else if (b < 0xF4) {
        next = 5;
      } else if (b == 0xF4) {
        next = 7;
      } else {
        next = REJECT;
      }
      LEAD[b] = (byte) next;
    }
  }

  private int state = ACCEPT;

  /** Checks {@code buf[start, end)} (absolute positions) as the next bytes; false once invalid. */
  boolean feed(ByteBuffer buf, int start, int end) {
    int s = state;
    int i = start;
    while (i < end && s != REJECT) {
      if (s == ACCEPT) {
        for (int words = end - 7; i < words; i += 8) {
          if ((buf.getLong(i) & 0x8080_8080_8080_8080L) != 0) {
            break;
          }
        }
        if (i == end) {
          break;
        }
        s = LEAD[buf.get(i++) & 0xFF];
      } else {
        int b = buf.get(i++) & 0xFF;
        s = b >= LOW[s] && b <= HIGH[s] ? NEXT[s] : REJECT;
      }
    }
    state = s;
    return s != REJECT;
  }

  /** Whether everything fed so far ends on a character boundary. */
  boolean complete() {
    return state == ACCEPT;
  }

  /** Starts a new message. */
  void reset() {
    state = ACCEPT;
  }

  /** Whether {@code buf[start, end)} is complete, valid UTF-8. */
  static boolean isValid(ByteBuffer buf, int start, int end) {
    Utf8Validator validator = new Utf8Validator();
    return validator.feed(buf, start, end) && validator.complete();
  }
}
