package org.novnc.proxy.relay.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts Netty buffer leaks: every buffer tracked (paranoid level), every leak reported counted.
 * {@link #install()} must run before Netty's buffer classes load (a static initialiser of the test).
 */
final class LeakCheck {
  private static final AtomicInteger LEAKS = new AtomicInteger();
  private static boolean installed;

  private LeakCheck() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      @SuppressWarnings("deprecation")
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return new ResourceLeakDetector<T>(resource, samplingInterval) {
          @Override
          protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.incrementAndGet();
            super.reportTracedLeak(resourceType, records);
          }

          @Override
          protected void reportUntracedLeak(String resourceType) {
            LEAKS.incrementAndGet();
            super.reportUntracedLeak(resourceType);
          }
        };
      }
    });
  }

  /** Collects garbage and lets the detector look at what was collected; returns the leaks so far. */
  static int leaks() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      // the detector reports collected-but-unreleased buffers when the next buffer is tracked
      ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(16);
      probe.release();
    }
    return LEAKS.get();
  }
}
