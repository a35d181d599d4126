package org.novnc.proxy.auth.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The one-time codes of {@code ConsoleLinks}: 128 random bits each, kept in memory until used or
 * expired. Bounded: at most {@link #MAX_CODES} unexpired codes exist; issuing more is refused.
 */
final class LinkCodes {
  static final int MAX_CODES = 100_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Link> codes = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  LinkCodes(LongSupplier clock) {
    this.clock = clock;
  }

  /** What a code opens. {@code expires} is on the {@code clock}'s scale (nanoseconds). */
  record Link(String pid, String target, boolean viewOnly, String user, long expires) {}

  /** Why a code was refused, for the browser and the audit event. */
  enum Refusal {
    UNKNOWN("This link is not valid (unknown or already used)."),
    EXPIRED("This link has expired.");

    final String reason;

    Refusal(String reason) {
      this.reason = reason;
    }
  }

  /** Issues a code for {@code link}. */
  String issue(Link link) {
    if (codes.size() >= MAX_CODES) {
      prune();
      if (codes.size() >= MAX_CODES) {
        throw new IllegalStateException("more than " + MAX_CODES + " unused links are outstanding");
      }
    }
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    codes.put(code, link);
    return code;
  }

  /**
   * The link of {@code code} for proxy {@code pid}, spent when {@code consume}; or the refusal.
   * A code of another proxy is unknown here (and stays usable there).
   */
  Object use(String code, String pid, boolean consume) {
    if (code == null) {
      return Refusal.UNKNOWN;
    }
    Link link = codes.get(code);
    if (link == null || !link.pid().equals(pid)) {
      return Refusal.UNKNOWN;
    }
    if (clock.getAsLong() - link.expires() > 0) {
      codes.remove(code, link);
      return Refusal.EXPIRED;
    }
    if (consume && !codes.remove(code, link)) {
      return Refusal.UNKNOWN; // spent by a concurrent upgrade a moment ago
    }
    return link;
  }

  int size() {
    return codes.size();
  }

  private void prune() {
    long now = clock.getAsLong();
    for (Iterator<Link> it = codes.values().iterator(); it.hasNext(); ) {
      if (now - it.next().expires() > 0) {
        it.remove();
      }
    }
  }
}
