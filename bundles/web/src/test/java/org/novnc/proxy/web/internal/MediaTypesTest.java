package org.novnc.proxy.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    // module scripts run only with a JavaScript type
    "core/rfb.js            | text/javascript; charset=utf-8",
    "vendor/pako.esm.mjs    | text/javascript; charset=utf-8",
    "vnc.html               | text/html; charset=utf-8",
    "app/styles/auto.css    | text/css; charset=utf-8",
    "app/images/logo.png    | image/png",
    "app/images/icon.svg    | image/svg+xml",
    "favicon.ico            | image/x-icon",
    "app/locale/de.json     | application/json",
    "core/decoder.wasm      | application/wasm",
    "VNC.HTML               | text/html; charset=utf-8",
    "LICENSE                | application/octet-stream",
    "app/.hidden            | application/octet-stream",
    "core.d/README          | application/octet-stream",
    "archive.tar.zst        | application/octet-stream",
  })
  void typeByExtension(String path, String expected) {
    assertEquals(expected, MediaTypes.of(path));
  }
}
