package org.novnc.proxy.codec.config;

/**
 * A configuration key whose value cannot work. The message is "KEY = 'VALUE' PROBLEM" (or "KEY is
 * required"), ready to follow the PID in a log line: {@code org.novnc.proxy.relay~vnc1: max.connections
 * = 'lots' is not a whole number from 1 to 1000000; this proxy does not start}.
 */
public final class InvalidConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final transient Object value;

  /**
   * @param key the configuration key, e.g. {@code max.connections}
   * @param value the value as configured, or null when the key is missing
   * @param problem what is wrong or expected, e.g. "is not a whole number from 1 to 1000000"
   */
  public InvalidConfigException(String key, Object value, String problem) {
    super(value == null ? key + " is required" : key + " = '" + ConfigKeys.show(value) + "' " + problem);
    this.key = key;
    this.value = value;
  }

  /** The key that was wrong. */
  public String key() {
    return key;
  }

  /** The value as configured, or null when it was missing. */
  public Object value() {
    return value;
  }
}
