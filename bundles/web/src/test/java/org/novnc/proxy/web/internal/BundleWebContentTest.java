package org.novnc.proxy.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.novnc.proxy.relay.WebResource;

class BundleWebContentTest {
  @TempDir
  Path dir;

  @Test
  void findsAFileWithTypeLengthTimeAndBytes() throws IOException {
    WebResource rfb = WebFixture.content(dir).find("core/rfb.js");
    assertNotNull(rfb);
    assertEquals("text/javascript; charset=utf-8", rfb.contentType());
    assertEquals(WebFixture.RFB_JS.length(), rfb.length());
    assertEquals(WebFixture.LAST_MODIFIED, rfb.lastModified());
    try (InputStream in = rfb.open()) {
      assertEquals(WebFixture.RFB_JS, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    // open() starts from the beginning every time
    try (InputStream in = rfb.open()) {
      assertEquals(WebFixture.RFB_JS, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void emptyPathIsVncHtml() throws IOException {
    BundleWebContent content = WebFixture.content(dir, "vnc.html");
    assertEquals("vnc.html", content.indexName());
    assertEquals(content.find("vnc.html"), content.find(""));
  }

  @Test
  void indexHtmlWinsWhenThereIsOne() throws IOException {
    BundleWebContent content = WebFixture.content(dir, "vnc.html", "index.html");
    assertEquals("index.html", content.indexName());
    assertEquals(content.find("index.html"), content.find(""));
  }

  @Test
  void withoutAnIndexPageTheEmptyPathIsNothing() throws IOException {
    BundleWebContent content = WebFixture.content(dir);
    assertEquals("vnc.html", content.indexName());
    assertNull(content.find(""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"core", "core/", "/core/rfb.js", "core//rfb.js", "./core/rfb.js", "../web/core/rfb.js",
      "core/../vnc_auto.html", "missing.js", "CORE/RFB.JS"})
  void onlyExactIndexedPathsAreFound(String path) throws IOException {
    assertNull(WebFixture.content(dir).find(path));
  }

  @Test
  void nullIsNothing() throws IOException {
    assertNull(WebFixture.content(dir).find(null));
  }
}
