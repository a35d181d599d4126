package org.novnc.proxy.relay;

import java.util.concurrent.CompletionStage;

/**
 * One proxy's access decisions. Methods may complete on another thread (a JAAS login runs off the
 * event loop); the relay comes back to the connection's own thread with the answer.
 */
public interface AccessPolicy {
  /** Whether browsers may log in here with a user name and password ({@code login} method). */
  boolean acceptsLogin();

  /**
   * Who is asking, and where they may go.
   *
   * @param request what the upgrade (or {@code /auth/check}) carries
   * @param consume true for a real upgrade: a one-time code is spent; false for a check, which
   *     leaves everything as it was
   */
  CompletionStage<Access> check(AccessRequest request, boolean consume);

  /**
   * A browser's login with a user name and password ({@code POST /login}).
   *
   * @param password used for the check only and never kept; the caller clears it afterwards
   */
  CompletionStage<LoginOutcome> login(String user, char[] password, String clientAddress, boolean tls);

  /** The {@code Set-Cookie} value that ends a login session ({@code POST /logout}). */
  String logoutCookie(boolean tls);

  /** The configuration is gone or replaced: open sessions are unaffected, new checks are not asked. */
  default void close() {
  }
}
