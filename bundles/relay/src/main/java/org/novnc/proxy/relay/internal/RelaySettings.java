package org.novnc.proxy.relay.internal;

/**
 * One proxy's configuration, parsed and checked: the typed form of {@link RelayComponent.Config}.
 *
 * @param listen where the proxy listens
 * @param target where sessions go
 * @param maxConnections most concurrent WebSocket sessions; more are refused with 503
 * @param idleTimeoutSeconds a session with no traffic either way for this long is closed; 0: never
 */
record RelaySettings(HostPort listen, HostPort target, int maxConnections, long idleTimeoutSeconds) {

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
    HostPort target;
    try {
      target = HostPort.parseTarget(c.target());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("target", c.target(), e.getMessage());
    }
    if (c.max_connections() < 1) {
      throw new InvalidConfigException("max.connections", c.max_connections(), "must be at least 1");
    }
    if (c.idle_timeout() < 0) {
      throw new InvalidConfigException("idle.timeout", c.idle_timeout(), "must be 0 (never) or a number of seconds");
    }
    return new RelaySettings(listen, target, c.max_connections(), c.idle_timeout());
  }
}
