package org.novnc.proxy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Failures per address and minute, on a clock the test moves. */
class FailureLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final FailureLimiter limiter = new FailureLimiter(now::get);

  private void advance(long seconds) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void blocksAnAddressAfterMaxFailuresUntilItsMinuteIsOver() {
    for (int i = 0; i < 5; i++) {
      assertEquals(0, limiter.blockedSeconds("10.0.0.1", 5), "attempt " + i);
      limiter.failed("10.0.0.1");
    }
    assertEquals(60, limiter.blockedSeconds("10.0.0.1", 5));
    assertEquals(0, limiter.blockedSeconds("10.0.0.2", 5), "other addresses are not affected");
    advance(45);
    assertEquals(15, limiter.blockedSeconds("10.0.0.1", 5));
    advance(15);
    assertEquals(0, limiter.blockedSeconds("10.0.0.1", 5), "a new minute");
    limiter.failed("10.0.0.1");
    assertEquals(1, limiter.failures("10.0.0.1"), "counting starts again");
  }

  @Test
  void logsAtMostOnceASecondPerAddress() {
    assertTrue(limiter.failed("a"));
    assertFalse(limiter.failed("a"));
    assertTrue(limiter.failed("b"), "per address");
    advance(1);
    assertTrue(limiter.failed("a"));
  }

  @Test
  void staysBoundedUnderAFloodOfAddresses() {
    for (int i = 0; i < 3 * FailureLimiter.MAX_ADDRESSES; i++) {
      limiter.failed("addr-" + i);
    }
    assertTrue(limiter.size() <= FailureLimiter.MAX_ADDRESSES, limiter.size() + " addresses remembered");
    assertEquals(1, limiter.failures("addr-" + (3 * FailureLimiter.MAX_ADDRESSES - 1)), "the newest is counted");
  }
}
