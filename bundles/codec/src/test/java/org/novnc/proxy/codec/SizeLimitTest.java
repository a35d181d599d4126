package org.novnc.proxy.codec;

import static org.novnc.proxy.codec.Decoding.assertDecodes;
import static org.novnc.proxy.codec.Decoding.assertRejects;
import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_TOO_BIG;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CodecSettings#maxFrameSize()} and {@link CodecSettings#maxMessageSize()}: close 1009. */
class SizeLimitTest {
  private static final String NO_MASK = "00 00 00 00";
  private static final CodecSettings FOUR_BYTES = new CodecSettings(4, 6, List.of("binary"), 1000);

  @Test
  void frameAtTheLimit() {
    assertDecodes(FOUR_BYTES, "82 84" + NO_MASK + "01 02 03 04", "binary [01 02 03 04]");
  }

  @Test
  void frameOverTheLimitIsRefusedBeforeItsPayload() {
    // Two header bytes are enough: no masking key, no payload needed.
    assertRejects(FOUR_BYTES, CLOSE_TOO_BIG, "Frame too big: 5 > 4", "82 85");
  }

  @Test
  void hugeFrameIsRefusedAtItsLength() {
    // 2^40 bytes announced by a 64-bit length; the default limit is 16 MiB.
    assertRejects(
        CLOSE_TOO_BIG,
        "Frame too big: 1099511627776 > 16777216",
        "82 ff 00 00 01 00 00 00 00 00");
  }

  @Test
  void controlFramesHaveTheFrameLimitToo() {
    assertRejects(FOUR_BYTES, CLOSE_TOO_BIG, "Frame too big: 5 > 4", "89 85");
  }

  @Test
  void messageAtTheLimit() {
    // 4 + 2 bytes in two frames: exactly 6.
    assertDecodes(
        FOUR_BYTES,
        "02 84" + NO_MASK + "01 02 03 04" + "80 82" + NO_MASK + "05 06",
        "binary [01 02 03 04 05 06]");
  }

  @Test
  void messageOverTheLimitIsRefusedAtTheFrameThatPassesIt() {
    // 4 + 3 bytes: the second frame's header is enough.
    assertRejects(
        FOUR_BYTES,
        CLOSE_TOO_BIG,
        "Message too big: 7 > 6",
        "02 84" + NO_MASK + "01 02 03 04" + "80 83");
  }

  @Test
  void controlFramesDoNotCountTowardsTheMessage() {
    // 4 bytes, a 4-byte ping, 2 bytes: the message is 6 bytes.
    assertDecodes(
        FOUR_BYTES,
        "02 84" + NO_MASK + "01 02 03 04" + "89 84" + NO_MASK + "09 09 09 09"
            + "80 82" + NO_MASK + "05 06",
        "binary [01 02 03 04]…",
        "ping [09 09 09 09]",
        "binary …[05 06]");
  }

  @Test
  void eachMessageStartsFromZero() {
    // Two 4-byte messages: 8 bytes in all, but each is below the message limit.
    assertDecodes(
        FOUR_BYTES,
        "82 84" + NO_MASK + "01 02 03 04" + "82 84" + NO_MASK + "05 06 07 08",
        "binary [01 02 03 04]",
        "binary [05 06 07 08]");
  }
}
