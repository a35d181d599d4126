package org.novnc.proxy.codec;

/**
 * A violation of RFC 6455 or of this endpoint's limits, carrying the close code to send the peer
 * before closing the connection. The message is short and exact, fit for the close reason and the
 * log: "Control frames must be final", "Client frame not masked".
 */
public class WebSocketException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int closeCode;

  /**
   * @param closeCode the close code for the close frame, e.g. {@link
   *     WebSocketProtocol#CLOSE_PROTOCOL_ERROR}
   * @param message what was wrong, in a few words
   */
  public WebSocketException(int closeCode, String message) {
    super(message);
    this.closeCode = closeCode;
  }

  /** The close code to send the peer. */
  public int closeCode() {
    return closeCode;
  }

  @Override
  public String toString() {
    return "WebSocketException(" + closeCode + "): " + getMessage();
  }
}
