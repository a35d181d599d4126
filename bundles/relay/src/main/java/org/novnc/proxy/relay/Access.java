package org.novnc.proxy.relay;

import java.util.Objects;

/**
 * An access decision: granted (a user, the method that proved it, view-only or not, and a target
 * when the proof names one) or refused (an HTTP status and a reason for the browser; never a
 * secret in either).
 */
public final class Access {
  private final boolean granted;
  private final String user;
  private final String method;
  private final boolean viewOnly;
  private final String target;
  private final int status;
  private final String reason;
  private final boolean failure;
  private final char[] password;

  private Access(boolean granted, String user, String method, boolean viewOnly, String target, int status, String reason,
      boolean failure, char[] password) {
    this.password = password;
    this.granted = granted;
    this.user = user;
    this.method = method;
    this.viewOnly = viewOnly;
    this.target = target;
    this.status = status;
    this.reason = reason;
    this.failure = failure;
  }

  /**
   * A session may open.
   *
   * @param user who (a login name, a token's subject, a certificate's CN); may be null for a token without subject
   * @param method the method that decided: {@code login}, {@code jwt}, {@code link} or {@code cert}
   * @param target {@code host:port} or {@code unix:/path} named by the proof (already checked against
   *     {@code allowed.targets}), or null: the proxy's own routing ({@code target}, {@code ?token=NAME})
   */
  public static Access granted(String user, String method, boolean viewOnly, String target) {
    return granted(user, method, viewOnly, target, null);
  }

  /**
   * A session may open, and the proxy answers the target's authentication with {@code password}
   * (an encrypted token's {@code password} claim) instead of its own {@code target.password.file}.
   * The relay clears the array once the session has used it.
   */
  public static Access granted(String user, String method, boolean viewOnly, String target, char[] password) {
    return new Access(true, user, Objects.requireNonNull(method), viewOnly, target, 200, "", false, password);
  }

  /**
   * Refused.
   *
   * @param status 401 (nobody proven), 403 (proven but not allowed, or a bad token), 503 (cannot decide now)
   * @param reason for the browser and the audit event, e.g. "The token has expired."
   * @param failure whether it counts towards the client address's {@code auth.max.failures}
   * @param method the method whose proof was refused, or null when none was offered
   */
  public static Access refused(int status, String reason, boolean failure, String method) {
    return new Access(false, null, method, false, null, status, Objects.requireNonNull(reason), failure, null);
  }

  public boolean isGranted() {
    return granted;
  }

  public String user() {
    return user;
  }

  public String method() {
    return method;
  }

  public boolean viewOnly() {
    return viewOnly;
  }

  public String target() {
    return target;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public boolean failure() {
    return failure;
  }

  /** The password the proof carries for the target (never logged, never sent to the browser), or null. */
  public char[] password() {
    return password;
  }

  @Override
  public String toString() {
    return granted ? "granted(" + user + " via " + method + (viewOnly ? ", view-only" : "") + (target == null ? "" : ", " + target) + ")"
        : "refused(" + status + " " + reason + ")";
  }
}
