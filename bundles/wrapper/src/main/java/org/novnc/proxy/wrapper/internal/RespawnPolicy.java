package org.novnc.proxy.wrapper.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * How often a command that keeps exiting is started again: at most {@code limit} respawns within
 * any {@code window}. The window slides: a respawn older than the window no longer counts, so a
 * command that crashes once an hour is restarted forever, one that crashes in a loop is given up.
 * Not thread-safe: the wrapper's own thread is its only user.
 */
final class RespawnPolicy {
  private final int limit;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final Deque<Long> respawns = new ArrayDeque<>();

  RespawnPolicy(int limit, Duration window) {
    this(limit, window, System::nanoTime);
  }

  /** With a clock of our own, in nanoseconds ({@link System#nanoTime()} by default), for tests. */
  RespawnPolicy(int limit, Duration window, LongSupplier nanoTime) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit " + limit + " < 0");
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window " + window + " is not positive");
    }
    this.limit = limit;
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Asks to respawn now. Counts the respawn and returns true if fewer than {@code limit} respawns
   * happened within the window; otherwise returns false and counts nothing.
   */
  boolean tryRespawn() {
    long now = nanoTime.getAsLong();
    while (!respawns.isEmpty() && now - respawns.peekFirst() >= windowNanos) {
      respawns.removeFirst();
    }
    if (respawns.size() >= limit) {
      return false;
    }
    respawns.addLast(now);
    return true;
  }

  /** Respawns counted in the current window (as of the last {@link #tryRespawn()}). */
  int recent() {
    return respawns.size();
  }

  int limit() {
    return limit;
  }
}
