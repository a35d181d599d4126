package org.novnc.proxy.codec;

import java.util.List;

/**
 * Limits and choices of one WebSocket endpoint; immutable, so a session keeps the settings it
 * started with when the configuration changes.
 *
 * @param maxFrameSize largest frame payload accepted, in bytes; a larger frame closes with 1009
 * @param maxMessageSize largest data message accepted, in bytes, summed over its fragments; a
 *     larger message closes with 1009
 * @param subprotocols the websockify subprotocols offered, most preferred first: {@code "binary"}
 *     and/or {@code "base64"}. A client that offers none gets {@code binary} all the same; with an
 *     empty list only such clients are accepted.
 * @param closeTimeoutMillis how long to wait for the peer's close frame after sending ours
 */
public record CodecSettings(
    long maxFrameSize, long maxMessageSize, List<String> subprotocols, long closeTimeoutMillis) {

  /** The websockify subprotocol that carries raw bytes in binary messages. */
  static final String BINARY = "binary";

  /** The websockify subprotocol that carries base64 text in text messages. */
  static final String BASE64 = "base64";

  /** 16 MiB frames, 64 MiB messages, {@code binary} then {@code base64}, 5 s close timeout. */
  public static final CodecSettings DEFAULTS =
      new CodecSettings(16L * 1024 * 1024, 64L * 1024 * 1024, List.of(BINARY, BASE64), 5000);

  /** Checks every field; throws {@link IllegalArgumentException} naming the field and value. */
  public CodecSettings {
    if (maxFrameSize <= 0) {
      throw new IllegalArgumentException("maxFrameSize must be > 0: " + maxFrameSize);
    }
    if (maxMessageSize <= 0) {
      throw new IllegalArgumentException("maxMessageSize must be > 0: " + maxMessageSize);
    }
    if (subprotocols == null) {
      throw new IllegalArgumentException("subprotocols must not be null");
    }
    for (String protocol : subprotocols) {
      if (!BINARY.equals(protocol) && !BASE64.equals(protocol)) {
        throw new IllegalArgumentException(
            "subprotocols may hold only \"binary\" and \"base64\": " + protocol);
      }
    }
    if (closeTimeoutMillis <= 0) {
      throw new IllegalArgumentException("closeTimeoutMillis must be > 0: " + closeTimeoutMillis);
    }
    subprotocols = List.copyOf(subprotocols);
  }
}
