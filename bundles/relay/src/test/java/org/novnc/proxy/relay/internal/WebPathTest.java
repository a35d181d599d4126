package org.novnc.proxy.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebPathTest {
  @ParameterizedTest(name = "{0} -> ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "/|''",
      "/vnc.html|vnc.html",
      "/core/rfb.js|core/rfb.js",
      "/core/|core/",
      "//core//./rfb.js|core/rfb.js",
      "/vnc.html?host=x&port=1|vnc.html",
      "/vnc.html#frag|vnc.html",
      "/a%20b.html|a b.html",
      "/caf%C3%A9.html|café.html",
      "http://host:6080/vnc.html|vnc.html",
      "/websockify?token=a|websockify",
  })
  void normalisesSafePaths(String uri, String expected) throws Exception {
    assertEquals(expected, WebPath.normalise(uri));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/../etc/passwd",             // plain dot-dot
      "/core/../../etc/passwd",
      "/%2e%2e/etc/passwd",         // encoded dots
      "/%2E%2E/etc/passwd",
      "/.%2e/etc/passwd",
      "/%2e%2e%2fetc%2fpasswd",     // encoded slash makes it one segment after decoding: refused
      "/..%2f..%2fetc%2fpasswd",
      "/..\\..\\etc\\passwd",       // backslashes
      "/%5c..%5cetc",
      "/vnc.html%00.png",           // NUL
      "/a%0d%0aSet-Cookie:x",       // control characters
      "/%ff%fe",                    // not UTF-8
      "/%zz",                       // malformed escapes
      "/%2",
      "vnc.html",                   // not absolute
  })
  void refusesEscapes(String uri) {
    assertThrows(WebPath.BadPathException.class, () -> WebPath.normalise(uri));
  }
}
