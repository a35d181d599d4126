package org.novnc.proxy.relay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.novnc.proxy.relay.WebContent;
import org.novnc.proxy.relay.WebResource;

/** Where a relay's mini web server finds files: the bundled client, or a directory. */
interface WebRoot {
  /** The file at a {@link WebPath#normalise normalised} path ("" is the index), or null. */
  WebResource find(String path) throws IOException;

  /** What this root is, for log lines. */
  String describe();

  /** The web client bundled with novnc-proxy (the WebContent service), when it is there. */
  static WebRoot bundled(Supplier<WebContent> content) {
    return new WebRoot() {
      @Override
      public WebResource find(String path) {
        WebContent c = content.get();
        return c == null ? null : c.find(path.endsWith("/") ? path + "vnc.html" : path);
      }

      @Override
      public String describe() {
        return "the bundled web client";
      }
    };
  }

  /**
   * Files under {@code dir}; symbolic links are followed only while they stay inside it, and the
   * file found is opened without following links.
   */
  static WebRoot directory(Path dir) {
    return new DirectoryRoot(dir);
  }

  /** Media types by file extension; anything else is application/octet-stream. */
  Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("htm", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("map", "application/json"),
      Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("webp", "image/webp"),
      Map.entry("woff", "font/woff"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("ttf", "font/ttf"),
      Map.entry("wasm", "application/wasm"),
      Map.entry("oga", "audio/ogg"),
      Map.entry("mp3", "audio/mpeg"));

  static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  /** A directory on disk. */
  final class DirectoryRoot implements WebRoot {
    private static final String[] INDEX = {"index.html", "vnc.html"};
    private final Path dir;

    DirectoryRoot(Path dir) {
      this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
      return "directory " + dir;
    }

    @Override
    public WebResource find(String path) throws IOException {
      Path file = dir.resolve(path).normalize();
      if (!file.startsWith(dir) || !Files.exists(file)) {
        return null;
      }
      if (Files.isDirectory(file)) {
        for (String index : INDEX) {
          WebResource r = find((path.isEmpty() || path.endsWith("/") ? path : path + "/") + index);
          if (r != null) {
            return r;
          }
        }
        return null;
      }
      // a symbolic link may point anywhere: the real file must still be inside the real root
      Path real = file.toRealPath();
      if (!real.startsWith(dir.toRealPath()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      long length = Files.size(real);
      long modified = Files.getLastModifiedTime(real).toMillis();
      String type = contentType(real.getFileName().toString());
      return new WebResource() {
        @Override
        public String contentType() {
          return type;
        }

        @Override
        public long length() {
          return length;
        }

        @Override
        public long lastModified() {
          return modified;
        }

        @Override
        public InputStream open() throws IOException {
          // the path was resolved and checked above; a link swapped in since then is not followed
          return Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS);
        }
      };
    }
  }
}
