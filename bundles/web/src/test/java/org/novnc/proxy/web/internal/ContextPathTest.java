package org.novnc.proxy.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContextPathTest {
  @ParameterizedTest
  @ValueSource(strings = {"/", "/novnc", "/tools/vnc", "/a.b_c~d-e", "/1"})
  void acceptsPaths(String text) {
    assertEquals(text, ContextPath.parse(text).value());
  }

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    "novnc         | must start with '/'",
    "/novnc/       | must not end with '/'",
    "/no vnc       | contains a space",
    "/no\tvnc      | contains a space",
    "//novnc       | empty segment",
    "/a//b         | empty segment",
    "/a/../b       | '..' segment",
    "/.            | '.' segment",
    "/novnc/*      | contains '*'",
    "/nov%20nc     | contains '%'",
    "/a?b          | contains '?'",
    "/a\\b         | contains '\\'",
  })
  void rejectsWithTheReason(String text, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContextPath.parse(text));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void rejectsEmptyAndMissing() {
    assertThrows(IllegalArgumentException.class, () -> ContextPath.parse(""));
    assertThrows(IllegalArgumentException.class, () -> ContextPath.parse(null));
  }

  @Test
  void namesAControlCharacter() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContextPath.parse("/a\u0001b"));
    assertTrue(e.getMessage().contains("U+0001"), e.getMessage());
  }

  @Test
  void servletPatternCoversThePathAndBelow() {
    assertEquals("/novnc/*", ContextPath.parse("/novnc").servletPattern());
    assertEquals("/tools/vnc/*", ContextPath.parse("/tools/vnc").servletPattern());
    // at the root: the default servlet, which leaves other applications' paths alone
    assertEquals("/", ContextPath.parse("/").servletPattern());
  }

  @Test
  void remainderAfterThePath() {
    ContextPath p = ContextPath.parse("/novnc");
    assertEquals("", p.remainder("/novnc"));
    assertEquals("/", p.remainder("/novnc/"));
    assertEquals("/core/rfb.js", p.remainder("/novnc/core/rfb.js"));
    assertNull(p.remainder("/novncx/rfb.js"));
    assertNull(p.remainder("/other"));
    assertEquals("/vnc.html", ContextPath.ROOT.remainder("/vnc.html"));
    assertEquals("/", ContextPath.ROOT.remainder("/"));
  }

  @Test
  void lastSegment() {
    assertEquals("novnc", ContextPath.parse("/novnc").lastSegment());
    assertEquals("vnc", ContextPath.parse("/tools/vnc").lastSegment());
  }
}
