package org.novnc.proxy.rfb;

/** A violation of the RFB protocol; the session ends with its message as the reason. */
public final class RfbException extends Exception {
  private static final long serialVersionUID = 1L;

  public RfbException(String message) {
    super(message);
  }
}
