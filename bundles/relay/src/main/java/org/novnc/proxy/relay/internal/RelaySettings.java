package org.novnc.proxy.relay.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.novnc.proxy.relay.FrameAncestors;
import org.novnc.proxy.relay.TargetEndpoint;
import org.novnc.proxy.relay.WebContent;

/**
 * One proxy's configuration, parsed and checked: the typed form of {@link RelayComponent.Config}.
 *
 * @param listen where the proxy listens
 * @param target where sessions go; null with token routing only, or while a {@code wrapper:NAME}
 *     target has no endpoint yet
 * @param wrapper the NAME of a {@code wrapper:NAME} target, or null
 * @param tokens targets chosen by {@code ?token=NAME}, or null
 * @param web the mini web server's root, or null when the port serves WebSockets only
 * @param origins which pages may open WebSockets here
 * @param tls certificate and mode, or null for plain connections only
 * @param maxConnections most concurrent WebSocket sessions; more are refused with 503
 * @param idleTimeoutSeconds a session with no traffic either way for this long is closed; 0: never
 * @param heartbeatSeconds seconds between pings to the browser, a peer silent for two is dropped; 0: none
 * @param hosts which Host headers the proxy answers to (DNS rebinding)
 * @param frames who may frame the pages of the mini web server
 * @param maxPending most connections without a completed handshake; the oldest goes beyond it
 * @param maxFailures unknown tokens per client address and minute before it gets 429
 * @param debugReasons whether close reasons sent to browsers may name the target
 * @param endpoint the wrapper's endpoint {@code target} points to, asked before each session; or null
 */
record RelaySettings(HostPort listen, HostPort target, String wrapper, TokenTargets tokens, WebRoot web,
    OriginPolicy origins, TlsSettings tls, int maxConnections, long idleTimeoutSeconds, long heartbeatSeconds,
    HostPolicy hosts, FrameAncestors frames, int maxPending, int maxFailures, boolean debugReasons,
    TargetEndpoint endpoint) {
  static final String WRAPPER_PREFIX = "wrapper:";
  static final int DEFAULT_MAX_PENDING = 256;

  /** The same settings with sessions going to a wrapper's {@code endpoint}. */
  RelaySettings withTarget(TargetEndpoint endpoint) {
    return new RelaySettings(listen, new HostPort(endpoint.host(), endpoint.port()), wrapper, tokens, web, origins, tls,
        maxConnections, idleTimeoutSeconds, heartbeatSeconds, hosts, frames, maxPending, maxFailures, debugReasons,
        endpoint);
  }

  /** What the configuration says the target is, for log lines. */
  String targetText() {
    String t = wrapper == null ? String.valueOf(target) : WRAPPER_PREFIX + wrapper + (target == null ? "" : " (" + target + ")");
    return tokens == null ? t : target == null && wrapper == null ? "token targets" : t + " and token targets";
  }

  /** A key whose value cannot work: names the key, the value and what is wrong with it. */
  static final class InvalidConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidConfigException(String key, Object value, String problem) {
      super(key + " = '" + value + "' " + problem);
    }
  }

  static RelaySettings of(RelayComponent.Config c, String pid, Supplier<WebContent> bundled) throws InvalidConfigException {
    HostPort listen;
    try {
      listen = HostPort.parseListen(c.listen());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("listen", c.listen(), e.getMessage());
    }
    TokenTargets tokens = TokenTargets.of(c.tokens(), c.token_file(), pid);
    HostPort target = null;
    String wrapper = null;
    String t = c.target() == null ? "" : c.target().trim();
    if (t.startsWith(WRAPPER_PREFIX)) {
      wrapper = t.substring(WRAPPER_PREFIX.length()).trim();
      if (!wrapper.matches("[A-Za-z0-9._-]+")) {
        throw new InvalidConfigException("target", c.target(), "needs a wrapper name of letters, digits, '.', '_' or '-' after wrapper:");
      }
    } else if (!t.isEmpty() || tokens == null) {
      try {
        target = HostPort.parseTarget(t);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException("target", c.target(), e.getMessage() + " (or wrapper:NAME, or set tokens / token.file)");
      }
    }
    OriginPolicy origins;
    try {
      origins = OriginPolicy.parse(c.allowed_origins());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("allowed.origins", c.allowed_origins(), e.getMessage());
    }
    if (c.max_connections() < 1) {
      throw new InvalidConfigException("max.connections", c.max_connections(), "must be at least 1");
    }
    if (c.idle_timeout() < 0) {
      throw new InvalidConfigException("idle.timeout", c.idle_timeout(), "must be 0 (never) or a number of seconds");
    }
    if (c.heartbeat() < 0) {
      throw new InvalidConfigException("heartbeat", c.heartbeat(), "must be 0 (none) or a number of seconds");
    }
    if (c.max_pending() < 1) {
      throw new InvalidConfigException("max.pending", c.max_pending(), "must be at least 1");
    }
    if (c.auth_max_failures() < 1) {
      throw new InvalidConfigException("auth.max.failures", c.auth_max_failures(), "must be at least 1");
    }
    HostPolicy hosts;
    try {
      // with an explicit allowed.origins a rebound page's origin is refused anyway; allowed.hosts still applies if set
      boolean check = c.allowed_origins().isBlank() || !c.allowed_hosts().isBlank();
      hosts = HostPolicy.parse(check ? c.allowed_hosts() : "*", listen);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("allowed.hosts", c.allowed_hosts(), e.getMessage());
    }
    FrameAncestors frames;
    try {
      frames = FrameAncestors.parse(c.frame_ancestors());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("frame.ancestors", c.frame_ancestors(), e.getMessage());
    }
    return new RelaySettings(listen, target, wrapper, tokens, web(c.web(), bundled), origins,
        TlsSettings.of(c.cert(), c.key(), c.ssl_only()), c.max_connections(), c.idle_timeout(), c.heartbeat(),
        hosts, frames, c.max_pending(), c.auth_max_failures(), c.debug_reasons(), null);
  }

  private static WebRoot web(String value, Supplier<WebContent> bundled) throws InvalidConfigException {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty() || v.equalsIgnoreCase("false")) {
      return null;
    }
    if (v.equalsIgnoreCase("true")) {
      return WebRoot.bundled(bundled);
    }
    Path dir = Path.of(v);
    if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
      throw new InvalidConfigException("web", value, "is neither true, false nor a readable directory");
    }
    return WebRoot.directory(dir);
  }
}
