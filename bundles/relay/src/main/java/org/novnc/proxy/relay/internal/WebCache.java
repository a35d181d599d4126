package org.novnc.proxy.relay.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.novnc.proxy.relay.WebResource;

/**
 * The web client's files, read once and kept in memory: every response to a cached file is a view
 * of one shared buffer, so a thousand browsers loading {@code vnc.html} cost one copy. Only files up
 * to {@link #MAX_ENTRY} are kept, {@link #BUDGET} in all (the bundled client is about 0.5 MB); the
 * rest is streamed from its source. An entry is tied to the file's length and modification time,
 * so an edited file in a {@code web} directory is read again.
 */
final class WebCache {
  static final int MAX_ENTRY = 512 * 1024;
  static final long BUDGET = 32L * 1024 * 1024;
  /** Shared by every relay: the bundled client is the same files for all of them. */
  static final WebCache SHARED = new WebCache();

  private record Entry(long length, long modified, ByteBuf bytes) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong size = new AtomicLong();

  /**
   * The content of {@code resource} (found under {@code key}) as a read-only view to write and
   * release, or null when it is not cached and is not to be (too large, budget spent).
   */
  ByteBuf get(String key, WebResource resource) throws IOException {
    Entry e = entries.get(key);
    if (e != null && e.length == resource.length() && e.modified == resource.lastModified()) {
      return e.bytes.duplicate();
    }
    if (resource.length() > MAX_ENTRY || size.get() + resource.length() > BUDGET) {
      return null;
    }
    byte[] bytes;
    try (InputStream in = resource.open()) {
      bytes = in.readNBytes((int) resource.length() + 1);
    }
    if (bytes.length != resource.length()) {
      return null; // changed while being read: stream it this time
    }
    Entry fresh = new Entry(resource.length(), resource.lastModified(),
        Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly()));
    Entry old = entries.put(key, fresh);
    size.addAndGet(bytes.length - (old == null ? 0 : old.length));
    return fresh.bytes.duplicate();
  }

  /** Bytes held, for tests. */
  long size() {
    return size.get();
  }
}
