package org.novnc.proxy.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to answer a client's opening handshake: {@code 101 Switching Protocols} with the headers
 * that complete it, or a rejection saying what was wrong.
 *
 * @param status the HTTP status: 101, 400, 405 or 426
 * @param reason for 101 "Switching Protocols"; for a rejection one sentence saying exactly what
 *     was wrong, for the response body and the log (the reason phrase follows from the status)
 * @param headers the response headers, in order; unmodifiable
 * @param subprotocol {@code "binary"} or {@code "base64"} if accepted, {@code null} if rejected
 */
public record HandshakeResult(
    int status, String reason, Map<String, String> headers, String subprotocol) {

  public HandshakeResult {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** Whether the handshake succeeded: the connection is now a WebSocket. */
  public boolean accepted() {
    return status == 101;
  }
}
