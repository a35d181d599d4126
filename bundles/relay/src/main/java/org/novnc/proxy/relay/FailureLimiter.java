package org.novnc.proxy.relay;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Failed attempts (unknown tokens, wrong passwords, bad signed tokens) per client address, shared
 * by the relay's ports and the login on Karaf's HTTP port: after {@code max} failures within a minute
 * an address is refused (429) until that minute has passed, so tokens cannot be guessed at line
 * speed. It also decides which failures are worth a log line: at most one a second per address,
 * so a guessing client cannot flood the log. Bounded: at most {@link #MAX_ADDRESSES} addresses are
 * remembered; past that, entries whose minute is over are dropped, then the map is cleared.
 */
public final class FailureLimiter {
  public static final int MAX_ADDRESSES = 10_000;
  private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public FailureLimiter() {
    this(System::nanoTime);
  }

  /** @param clock nanoseconds, for tests */
  public FailureLimiter(LongSupplier clock) {
    this.clock = clock;
  }

  /** Seconds until {@code address}, having failed {@code max} times this minute, may try again; 0: now. */
  public long blockedSeconds(String address, int max) {
    Window w = windows.get(address);
    if (w == null) {
      return 0;
    }
    synchronized (w) {
      long now = clock.getAsLong();
      if (now - w.start >= WINDOW_NANOS || w.failures < max) {
        return 0;
      }
      return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(w.start + WINDOW_NANOS - now + 999_999_999));
    }
  }

  /** Counts a failure of {@code address}; true when it should be logged (the first in a second). */
  public boolean failed(String address) {
    if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) {
      prune();
    }
    Window w = windows.computeIfAbsent(address, a -> new Window(clock.getAsLong()));
    synchronized (w) {
      long now = clock.getAsLong();
      if (now - w.start >= WINDOW_NANOS) {
        w.start = now;
        w.failures = 0;
      }
      w.failures++;
      if (w.logged == Long.MIN_VALUE || now - w.logged >= LOG_EVERY_NANOS) {
        w.logged = now;
        return true;
      }
      return false;
    }
  }

  /** Failures of {@code address} in its current minute, for tests and log lines. */
  public int failures(String address) {
    Window w = windows.get(address);
    return w == null ? 0 : w.failures;
  }

  /** Addresses remembered. */
  public int size() {
    return windows.size();
  }

  private void prune() {
    long now = clock.getAsLong();
    for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
      if (now - it.next().start >= WINDOW_NANOS) {
        it.remove();
      }
    }
    if (windows.size() >= MAX_ADDRESSES) {
      windows.clear(); // a flood from that many addresses: forgetting is better than growing
    }
  }

  private static final class Window {
    long start;
    int failures;
    long logged = Long.MIN_VALUE;

    Window(long start) {
      this.start = start;
    }
  }
}
