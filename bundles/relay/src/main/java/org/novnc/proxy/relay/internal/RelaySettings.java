package org.novnc.proxy.relay.internal;

/**
 * One proxy's configuration, parsed and checked: the typed form of {@link RelayComponent.Config}.
 *
 * @param listen where the proxy listens
 * @param target where sessions go; null while a {@code wrapper:NAME} target has no endpoint yet
 * @param wrapper the NAME of a {@code wrapper:NAME} target, or null for a fixed {@code host:port}
 * @param maxConnections most concurrent WebSocket sessions; more are refused with 503
 * @param idleTimeoutSeconds a session with no traffic either way for this long is closed; 0: never
 */
record RelaySettings(HostPort listen, HostPort target, String wrapper, int maxConnections, long idleTimeoutSeconds) {
  static final String WRAPPER_PREFIX = "wrapper:";

  /** The same settings with sessions going to {@code endpoint}. */
  RelaySettings withTarget(HostPort endpoint) {
    return new RelaySettings(listen, endpoint, wrapper, maxConnections, idleTimeoutSeconds);
  }

  /** What the configuration says the target is, for log lines. */
  String targetText() {
    return wrapper == null ? String.valueOf(target) : WRAPPER_PREFIX + wrapper + (target == null ? "" : " (" + target + ")");
  }


  /** A key whose value cannot work: names the key, the value and what is wrong with it. */
  static final class InvalidConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidConfigException(String key, Object value, String problem) {
      super(key + " = '" + value + "' " + problem);
    }
  }

  static RelaySettings of(RelayComponent.Config c) throws InvalidConfigException {
    HostPort listen;
    try {
      listen = HostPort.parseListen(c.listen());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("listen", c.listen(), e.getMessage());
    }
    HostPort target = null;
    String wrapper = null;
    String t = c.target() == null ? "" : c.target().trim();
    if (t.startsWith(WRAPPER_PREFIX)) {
      wrapper = t.substring(WRAPPER_PREFIX.length()).trim();
      if (!wrapper.matches("[A-Za-z0-9._-]+")) {
        throw new InvalidConfigException("target", c.target(), "needs a wrapper name of letters, digits, '.', '_' or '-' after wrapper:");
      }
    } else {
      try {
        target = HostPort.parseTarget(t);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException("target", c.target(), e.getMessage() + " (or wrapper:NAME)");
      }
    }
    if (c.max_connections() < 1) {
      throw new InvalidConfigException("max.connections", c.max_connections(), "must be at least 1");
    }
    if (c.idle_timeout() < 0) {
      throw new InvalidConfigException("idle.timeout", c.idle_timeout(), "must be 0 (never) or a number of seconds");
    }
    return new RelaySettings(listen, target, wrapper, c.max_connections(), c.idle_timeout());
  }
}
