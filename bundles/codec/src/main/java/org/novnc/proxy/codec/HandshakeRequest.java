package org.novnc.proxy.codec;

import java.util.List;

/**
 * The parts of a client's opening handshake, RFC 6455 §4.1, that {@link Handshake} looks at,
 * as the HTTP layer parsed them.
 */
public interface HandshakeRequest {

  /** The request method, e.g. {@code GET}. */
  String method();

  /** The protocol of the request line, e.g. {@code HTTP/1.1}. */
  String protocolVersion();

  /** The request target, e.g. {@code /websockify?token=abc}. */
  String uri();

  /**
   * Every value of the header {@code name}, compared case-insensitively, one element per header
   * line in the order received; empty if there is none.
   */
  List<String> headers(String name);
}
