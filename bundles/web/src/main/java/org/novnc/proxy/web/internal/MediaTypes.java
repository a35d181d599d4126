package org.novnc.proxy.web.internal;

import java.util.Locale;
import java.util.Map;

/** The media type a browser needs for each kind of file the web client ships, by file name extension. */
final class MediaTypes {
  static final String DEFAULT = "application/octet-stream";

  private static final String UTF8 = "; charset=utf-8";
  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      // ES modules are only executed when served with a JavaScript type (HTML spec, "module script")
      Map.entry("js", "text/javascript" + UTF8),
      Map.entry("mjs", "text/javascript" + UTF8),
      Map.entry("html", "text/html" + UTF8),
      Map.entry("htm", "text/html" + UTF8),
      Map.entry("css", "text/css" + UTF8),
      Map.entry("json", "application/json"),
      Map.entry("map", "application/json"),
      Map.entry("webmanifest", "application/manifest+json"),
      Map.entry("txt", "text/plain" + UTF8),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("gif", "image/gif"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"),
      Map.entry("webp", "image/webp"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("woff", "font/woff"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("ttf", "font/ttf"),
      Map.entry("wasm", "application/wasm"),
      Map.entry("mp3", "audio/mpeg"),
      Map.entry("oga", "audio/ogg"),
      Map.entry("wav", "audio/wav"));

  private MediaTypes() {}

  /** The type of the file at {@code path}, with a charset for text; {@link #DEFAULT} when unknown. */
  static String of(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    if (dot <= slash + 1) { // no extension, or a dot file such as ".htaccess"
      return DEFAULT;
    }
    return BY_EXTENSION.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
  }
}
