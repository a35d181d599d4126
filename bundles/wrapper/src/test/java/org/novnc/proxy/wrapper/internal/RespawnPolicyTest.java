package org.novnc.proxy.wrapper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** At most {@code limit} respawns within any sliding window, on an injected clock. */
class RespawnPolicyTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private RespawnPolicy policy(int limit, int windowSeconds) {
    return new RespawnPolicy(limit, Duration.ofSeconds(windowSeconds), now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void threeWithinTenSecondsThenGivesUp() {
    RespawnPolicy p = policy(3, 10);
    assertTrue(p.tryRespawn());
    advance(Duration.ofMillis(10));
    assertTrue(p.tryRespawn());
    advance(Duration.ofMillis(10));
    assertTrue(p.tryRespawn());
    assertEquals(3, p.recent());
    advance(Duration.ofMillis(10));
    assertFalse(p.tryRespawn(), "a fourth within the window");
    assertEquals(3, p.recent(), "a refused respawn is not counted");
  }

  @Test
  void theWindowSlides() {
    RespawnPolicy p = policy(3, 10);
    assertTrue(p.tryRespawn()); // t = 0
    advance(Duration.ofSeconds(4));
    assertTrue(p.tryRespawn()); // t = 4
    advance(Duration.ofSeconds(4));
    assertTrue(p.tryRespawn()); // t = 8
    advance(Duration.ofMillis(1999));
    assertFalse(p.tryRespawn(), "t = 9.999: all three still within 10 s");
    advance(Duration.ofMillis(1));
    assertTrue(p.tryRespawn(), "t = 10: the first one has left the window");
    assertEquals(3, p.recent());
    assertFalse(p.tryRespawn());
  }

  @Test
  void slowCrashesRespawnForever() {
    RespawnPolicy p = policy(3, 10);
    for (int i = 0; i < 1000; i++) {
      assertTrue(p.tryRespawn(), "respawn " + i);
      advance(Duration.ofSeconds(4));
    }
    assertTrue(p.recent() <= 3);
  }

  @Test
  void limitZeroNeverRespawns() {
    RespawnPolicy p = policy(0, 10);
    assertFalse(p.tryRespawn());
    advance(Duration.ofHours(1));
    assertFalse(p.tryRespawn());
  }

  @Test
  void survivesTheNanoTimeOrigin() {
    now.set(Long.MAX_VALUE - Duration.ofSeconds(5).toNanos()); // nanoTime may be anywhere, even overflow
    RespawnPolicy p = policy(1, 10);
    assertTrue(p.tryRespawn());
    advance(Duration.ofSeconds(9));
    assertFalse(p.tryRespawn());
    advance(Duration.ofSeconds(1));
    assertTrue(p.tryRespawn());
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> policy(-1, 10));
    assertThrows(IllegalArgumentException.class, () -> new RespawnPolicy(3, Duration.ZERO, now::get));
  }
}
