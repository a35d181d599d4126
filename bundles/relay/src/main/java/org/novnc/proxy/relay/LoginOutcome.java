package org.novnc.proxy.relay;

/**
 * The answer to a {@code POST /login}.
 *
 * @param status 200 when logged in, 401 for a wrong user name or password (or a user without a
 *     role that may connect), 503 when the realm cannot be asked
 * @param user the user logged in, or null
 * @param reason for the browser when refused, e.g. "Wrong user name or password."
 * @param setCookie the {@code Set-Cookie} header value carrying the signed session, or null
 */
public record LoginOutcome(int status, String user, String reason, String setCookie) {
  public boolean ok() {
    return status == 200;
  }
}
