package org.novnc.proxy.relay;

import java.io.IOException;
import java.io.InputStream;

/** One file of {@link WebContent}. */
public interface WebResource {
  /** Media type with charset where it applies, e.g. {@code text/javascript; charset=utf-8}. */
  String contentType();

  /** Length in bytes. */
  long length();

  /** Last modification, milliseconds since the epoch (for Last-Modified and ETag). */
  long lastModified();

  /** The content, from the start; the caller closes it. */
  InputStream open() throws IOException;
}
