package org.novnc.proxy.auth;

import java.time.Duration;

/**
 * One-time console links, for Karaf applications (a VM manager, a device inventory) that hand a
 * user a console without sharing any secret. A link opens one session on a proxy whose
 * {@code auth} names {@code link}: its code is random (128 bits), usable once, within its time to
 * live; the session it opens then lives on. A used, expired or unknown code is refused (403).
 */
public interface ConsoleLinks {
  /** Time to live when none is given. */
  Duration DEFAULT_TTL = Duration.ofSeconds(60);

  /**
   * Issues a link.
   *
   * @param proxy the proxy: its configuration PID ({@code org.novnc.proxy.relay~demo}) or the name
   *     after the factory PID ({@code demo})
   * @param target where the session goes ({@code host:port} or {@code unix:/path}); must match the
   *     proxy's {@code allowed.targets}; null: the proxy's own {@code target}
   * @param ttl how long the link may be used to open the session (at most a day); null: 60 s
   * @param viewOnly whether the session is view-only
   * @param user who the session is for, as the audit events and log lines show it
   * @return the {@code vnc.html} URL that opens the session
   * @throws IllegalArgumentException when the proxy does not exist or does not accept links, or the
   *     target is not allowed there
   */
  String issue(String proxy, String target, Duration ttl, boolean viewOnly, String user);
}
