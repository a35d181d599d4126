package org.novnc.proxy.relay.internal;

import org.novnc.proxy.relay.FrameAncestors;

/** Relay settings for tests: the first ten keys given, the rest at their defaults. */
final class TestSettings {
  private TestSettings() {}

  static RelaySettings relay(HostPort listen, HostPort target, String wrapper, TokenTargets tokens, WebRoot web,
      OriginPolicy origins, TlsSettings tls, int maxConnections, long idleTimeoutSeconds, long heartbeatSeconds) {
    return new RelaySettings(listen, target, wrapper, tokens, web, origins, tls, maxConnections, idleTimeoutSeconds,
        heartbeatSeconds, HostPolicy.parse("", listen), FrameAncestors.SELF, RelaySettings.DEFAULT_MAX_PENDING, 5, false, null,
        java.util.List.of(), null, false, null, false, 0, 0, null);
  }

  /** {@code s} with close reasons that name the target (debug.reasons = true). */
  static RelaySettings debug(RelaySettings s) {
    return with(s, s.hosts(), s.frames(), s.maxPending(), s.maxFailures(), true);
  }

  /** {@code s} with other values for the keys this round added. */
  static RelaySettings with(RelaySettings s, HostPolicy hosts, FrameAncestors frames, int maxPending, int maxFailures,
      boolean debugReasons) {
    return new RelaySettings(s.listen(), s.target(), s.wrapper(), s.tokens(), s.web(), s.origins(), s.tls(),
        s.maxConnections(), s.idleTimeoutSeconds(), s.heartbeatSeconds(), hosts, frames, maxPending, maxFailures,
        debugReasons, s.endpoint(), s.auth(), s.password(), s.viewOnly(), s.record(), s.recordInput(), s.recordMaxAgeDays(), s.recordMaxBytes(), s.username());
  }

  /** {@code s} accepting the {@code auth} methods given (the listener's policy decides). */
  static RelaySettings auth(RelaySettings s, String... methods) {
    return new RelaySettings(s.listen(), s.target(), s.wrapper(), s.tokens(), s.web(), s.origins(), s.tls(),
        s.maxConnections(), s.idleTimeoutSeconds(), s.heartbeatSeconds(), s.hosts(), s.frames(), s.maxPending(), s.maxFailures(),
        s.debugReasons(), s.endpoint(), java.util.List.of(methods), s.password(), s.viewOnly(), s.record(), s.recordInput(), s.recordMaxAgeDays(), s.recordMaxBytes(), s.username());
  }
}
