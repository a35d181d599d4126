package org.novnc.proxy.codec;

import static org.novnc.proxy.codec.Decoding.assertDecodes;
import static org.novnc.proxy.codec.Decoding.assertRejects;
import static org.novnc.proxy.codec.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Text messages must be UTF-8, RFC 6455 §8.1, checked across chunks and fragments: a character
 * may be split anywhere. Frames are masked with 00 00 00 00.
 */
class TextValidationTest {
  private static final String NO_MASK = "00 00 00 00";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "Greek kosme (2- and 3-byte sequences), ce ba e1 bd b9 cf 83 ce bc ce b5,"
        + " \u03BA\u1F79\u03C3\u03BC\u03B5",
    "U+D7FF (last before the surrogates), ed 9f bf, \uD7FF",
    "U+E000 (first after the surrogates), ee 80 80, \uE000",
    "U+FFFF, ef bf bf, \uFFFF",
    "U+10000 (first 4-byte), f0 90 80 80, \uD800\uDC00",
    "U+10FFFF (last code point), f4 8f bf bf, \uDBFF\uDFFF",
    "ASCII longer than a word, 30 31 32 33 34 35 36 37 38 39 61 62 63, 0123456789abc",
  })
  void validText(String what, String utf8, String expected) {
    int length = utf8.replace(" ", "").length() / 2;
    String header = String.format("81 %02x", 0x80 | length);
    assertDecodes(header + NO_MASK + utf8, "text \"" + expected + "\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "lone continuation byte, 80",
    "C0 overlong of '/', c0 af",
    "C1 overlong, c1 bf",
    "3-byte overlong of '/', e0 80 af",
    "4-byte overlong of '/', f0 80 80 af",
    "surrogate U+D800, ed a0 80",
    "surrogate U+DFFF, ed bf bf",
    "U+110000 (above U+10FFFF), f4 90 80 80",
    "F5 lead byte, f5 80 80 80",
    "FF byte, ff",
    "lead byte without continuation, c3 41",
    "bad byte after a word of ASCII, 30 31 32 33 34 35 36 37 38 39 61 62 ff",
  })
  void invalidText(String what, String utf8) {
    int length = utf8.replace(" ", "").length() / 2;
    String header = String.format("81 %02x", 0x80 | length);
    assertRejects(CLOSE_INVALID_PAYLOAD, "Text message not UTF-8", header + NO_MASK + utf8);
  }

  @Test
  void characterSplitAcrossFragments() {
    // U+1F600 😀 = f0 9f 98 80: two bytes in each frame.
    assertDecodes("01 82" + NO_MASK + "f0 9f" + "80 82" + NO_MASK + "98 80", "text \"😀\"");
  }

  @Test
  void characterSplitAroundAPing() {
    // The same, a ping between the halves: each half on its own is not a character.
    assertDecodes(
        "01 82" + NO_MASK + "f0 9f" + "89 80" + NO_MASK + "80 82" + NO_MASK + "98 80",
        "text [f0 9f]…",
        "ping []",
        "text …[98 80]");
  }

  @Test
  void invalidInTheSecondFragment() {
    // "A" is fine; c0 in the next fragment cannot start a character.
    assertRejects(
        CLOSE_INVALID_PAYLOAD,
        "Text message not UTF-8",
        "01 81" + NO_MASK + "41" + "80 82" + NO_MASK + "c0 af");
  }

  @Test
  void messageEndsMidCharacter() {
    // ce starts a 2-byte character; the final frame ends after it.
    assertRejects(
        CLOSE_INVALID_PAYLOAD, "Text message ends mid UTF-8 sequence", "81 81" + NO_MASK + "ce");
  }

  @Test
  void fragmentedMessageEndsMidCharacter() {
    // e2 82 then an empty final continuation: € (e2 82 ac) never completes.
    assertRejects(
        CLOSE_INVALID_PAYLOAD,
        "Text message ends mid UTF-8 sequence",
        "01 82" + NO_MASK + "e2 82" + "80 80" + NO_MASK);
  }

  @Test
  void nonFinalFrameMayEndMidCharacter() {
    // e2 82 | ac: the character completes in the final frame.
    assertDecodes("01 82" + NO_MASK + "e2 82" + "80 81" + NO_MASK + "ac", "text \"€\"");
  }

  @Test
  void binaryMessagesAreNotChecked() {
    // c0 af would be invalid text.
    assertDecodes("82 82" + NO_MASK + "c0 af", "binary [c0 af]");
  }
}
