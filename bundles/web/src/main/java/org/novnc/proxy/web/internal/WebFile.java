package org.novnc.proxy.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import org.novnc.proxy.relay.WebResource;

/**
 * One file of the web client, as found in the bundle.
 *
 * @param path relative path, e.g. {@code core/rfb.js}
 * @param url where the bytes are (a bundle entry, or a file in tests)
 * @param contentType media type, with a charset for text
 * @param length size in bytes
 * @param lastModified milliseconds since the epoch
 */
record WebFile(String path, URL url, String contentType, long length, long lastModified) implements WebResource {
  @Override
  public InputStream open() throws IOException {
    return url.openStream();
  }
}
