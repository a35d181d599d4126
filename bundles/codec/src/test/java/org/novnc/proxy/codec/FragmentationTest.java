package org.novnc.proxy.codec;

import static org.novnc.proxy.codec.Decoding.assertDecodes;
import static org.novnc.proxy.codec.Decoding.assertRejects;
import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_PROTOCOL_ERROR;

import org.junit.jupiter.api.Test;

/**
 * Messages in several frames, RFC 6455 §5.4: continuation frames, control frames in between, and
 * the sequences that break the rules. Every frame here is masked with 00 00 00 00.
 */
class FragmentationTest {
  private static final String NO_MASK = "00 00 00 00";

  @Test
  void binaryInThreeFragments() {
    // 01, then 02 03, then an empty final continuation that ends the message.
    assertDecodes(
        "02 81" + NO_MASK + "01" + "00 82" + NO_MASK + "02 03" + "80 80" + NO_MASK,
        "binary [01 02 03]");
  }

  @Test
  void continuationKeepsTheMessageType() {
    // Text "A", then a continuation "B": the continuation is text too.
    assertDecodes("01 81" + NO_MASK + "41" + "80 81" + NO_MASK + "42", "text \"AB\"");
  }

  @Test
  void emptyFragmentsMakeAnEmptyMessage() {
    // Three empty frames, one message.
    assertDecodes("01 80" + NO_MASK + "00 80" + NO_MASK + "80 80" + NO_MASK, "text \"\"");
  }

  @Test
  void pingBetweenFragments() {
    // §5.4: control frames may be injected in the middle of a fragmented message.
    assertDecodes(
        "02 81" + NO_MASK + "01" + "89 80" + NO_MASK + "80 81" + NO_MASK + "02",
        "binary [01]…",
        "ping []",
        "binary …[02]");
  }

  @Test
  void pingAndPongBetweenFragments() {
    // Two control frames in a row between the first and last fragment.
    assertDecodes(
        "01 81" + NO_MASK + "41" + "89 81" + NO_MASK + "07" + "8a 81" + NO_MASK + "08"
            + "80 81" + NO_MASK + "42",
        "text \"A\"…",
        "ping [07]",
        "pong [08]",
        "text …\"B\"");
  }

  @Test
  void messagesBackToBack() {
    // A text message, a binary message, a text message.
    assertDecodes(
        "81 81" + NO_MASK + "61" + "82 81" + NO_MASK + "62" + "81 81" + NO_MASK + "63",
        "text \"a\"",
        "binary [62]",
        "text \"c\"");
  }

  @Test
  void continuationWithoutAMessage() {
    assertRejects(
        CLOSE_PROTOCOL_ERROR, "Continuation frame without a message", "80 80" + NO_MASK);
  }

  @Test
  void continuationAfterTheMessageEnded() {
    // A final binary frame, then a continuation of nothing.
    assertRejects(
        CLOSE_PROTOCOL_ERROR,
        "Continuation frame without a message",
        "82 80" + NO_MASK + "80 80" + NO_MASK,
        "binary []");
  }

  @Test
  void newMessageBeforeTheLastOneEnded() {
    // A non-final binary frame, then a text frame instead of a continuation.
    assertRejects(
        CLOSE_PROTOCOL_ERROR,
        "Expected continuation frame",
        "02 81" + NO_MASK + "01" + "81 80" + NO_MASK);
  }

  @Test
  void newMessageAfterAnInterleavedPing() {
    // The ping does not end the fragmented message.
    assertRejects(
        CLOSE_PROTOCOL_ERROR,
        "Expected continuation frame",
        "02 81" + NO_MASK + "01" + "89 80" + NO_MASK + "82 80" + NO_MASK,
        "binary [01]…",
        "ping []");
  }
}
