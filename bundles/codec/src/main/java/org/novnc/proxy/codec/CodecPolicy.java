package org.novnc.proxy.codec;

/**
 * The codec settings currently configured (PID {@code org.novnc.proxy.codec}). A session reads
 * them once when it starts and keeps them; a configuration change applies to new sessions.
 */
public interface CodecPolicy {

  /** The current settings; never null. */
  CodecSettings settings();
}
