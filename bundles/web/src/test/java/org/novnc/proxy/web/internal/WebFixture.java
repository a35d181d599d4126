package org.novnc.proxy.web.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** A small web client in a temporary folder, laid out as webcontent/ is in the bundle. */
final class WebFixture {
  static final long LAST_MODIFIED = 1_700_000_000_123L;
  static final String RFB_JS = "export class RFB {}\n";
  static final String AUTO_HTML = "<!DOCTYPE html><title>VNC</title><script type=\"module\" src=\"app/auto.js\"></script>\n";

  private WebFixture() {}

  /** vnc_auto.html, core/rfb.js, app/auto.js, vendor/pako.esm.mjs, and {@code extra} files. */
  static BundleWebContent content(Path dir, String... extra) throws IOException {
    Map<String, URL> entries = new TreeMap<>();
    put(dir, entries, "vnc_auto.html", AUTO_HTML);
    put(dir, entries, "core/rfb.js", RFB_JS);
    put(dir, entries, "app/auto.js", "import { RFB } from '../core/rfb.js';\n");
    put(dir, entries, "vendor/pako.esm.mjs", "export default {};\n");
    for (String path : extra) {
      put(dir, entries, path, "<!-- " + path + " -->\n");
    }
    return new BundleWebContent(entries, LAST_MODIFIED);
  }

  private static void put(Path dir, Map<String, URL> entries, String path, String text) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      entries.put(path, file.toUri().toURL());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
