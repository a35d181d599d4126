package org.novnc.proxy.relay;

/**
 * The bundled web client (vnc.html, vnc_auto.html, core/, app/ ...), offered to the relay's mini
 * web server: a relay with {@code web = true} serves these files on its own port, next to its
 * WebSocket endpoint. Published by the web bundle.
 */
public interface WebContent {
  /**
   * The file at {@code path}, or null when there is none (directories are not files).
   *
   * @param path a normalised relative path: no leading slash, no {@code .} or {@code ..} segments,
   *     forward slashes only, e.g. {@code vnc.html} or {@code core/rfb.js}; the empty path is the
   *     index page
   */
  WebResource find(String path);
}
