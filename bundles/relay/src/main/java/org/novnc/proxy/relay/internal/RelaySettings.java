package org.novnc.proxy.relay.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.novnc.proxy.codec.config.ConfigKeys;
import org.novnc.proxy.codec.config.InvalidConfigException;
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
 * @param auth the methods of the {@code auth} key, lower case; empty: no authentication (open to anyone the
 *     origin check lets in)
 * @param password what the proxy answers the VNC server's authentication with, or null
 * @param viewOnly whether every session of this proxy is view-only (input dropped by the RFB layer)
 * @param record the directory sessions are recorded in, or null
 * @param recordInput whether recordings hold the viewer's input too
 * @param recordMaxAgeDays recordings older than this are removed; 0 keeps them
 * @param recordMaxBytes the proxy's recordings stay under this size, oldest removed first; 0: no limit
 * @param username the user name the proxy gives a server asking for VeNCrypt Plain, or null
 */
record RelaySettings(HostPort listen, HostPort target, String wrapper, TokenTargets tokens, WebRoot web,
    OriginPolicy origins, TlsSettings tls, int maxConnections, long idleTimeoutSeconds, long heartbeatSeconds,
    HostPolicy hosts, FrameAncestors frames, int maxPending, int maxFailures, boolean debugReasons,
    TargetEndpoint endpoint, List<String> auth, TargetPassword password, boolean viewOnly, Path record, boolean recordInput,
    long recordMaxAgeDays, long recordMaxBytes, String username) {
  /** The methods the {@code auth} key may name. */
  static final List<String> AUTH_METHODS = List.of("login", "jwt", "link", "cert");
  static final String WRAPPER_PREFIX = "wrapper:";
  static final int DEFAULT_MAX_PENDING = 256;
  /** Longest idle timeout or heartbeat interval: a year. */
  static final long MAX_SECONDS = 365L * 24 * 3600;

  /** The same settings with sessions going to a wrapper's {@code endpoint}. */
  RelaySettings withTarget(TargetEndpoint endpoint) {
    return new RelaySettings(listen, new HostPort(endpoint.host(), endpoint.port()), wrapper, tokens, web, origins, tls,
        maxConnections, idleTimeoutSeconds, heartbeatSeconds, hosts, frames, maxPending, maxFailures, debugReasons,
        endpoint, auth, password, viewOnly, record, recordInput, recordMaxAgeDays, recordMaxBytes, username);
  }

  /** Whether sessions get the RFB layer even without a view-only decision of their own. */
  boolean speaksRfb() {
    return password != null || viewOnly || record != null;
  }

  /**
   * Whether {@code value} ({@code host:port} or {@code unix:/path}) is a target this configuration
   * names itself: {@code target}, a wrapper's endpoint, or one of the token targets.
   */
  boolean namesTarget(String value) {
    HostPort t;
    try {
      t = HostPort.parseTarget(value);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return t.equals(target) || (tokens != null && tokens.contains(t));
  }

  /** What the configuration says the target is, for log lines. */
  String targetText() {
    String t = wrapper == null ? String.valueOf(target) : WRAPPER_PREFIX + wrapper + (target == null ? "" : " (" + target + ")");
    if (tokens == null) {
      return target == null && wrapper == null && !auth.isEmpty() ? "targets named by " + String.join(" and ", auth) : t;
    }
    return target == null && wrapper == null ? "token targets" : t + " and token targets";
  }

  /**
   * Parses and checks a configuration: every key read strictly from {@code properties} (a typo is
   * an error naming the key, never a silent default), missing keys from the {@code Config} defaults.
   */
  static RelaySettings of(RelayComponent.Config c, Map<String, ?> properties, String pid, Supplier<WebContent> bundled)
      throws InvalidConfigException {
    ConfigKeys keys = new ConfigKeys(properties);
    String listenText = keys.text("listen", c::listen);
    HostPort listen;
    try {
      listen = HostPort.parseListen(listenText);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("listen", keys.has("listen") ? listenText : null, e.getMessage());
    }
    TokenTargets tokens = TokenTargets.of(keys.text("tokens", c::tokens), keys.text("token.file", c::token_file), pid);
    String authText = keys.text("auth", c::auth);
    List<String> auth = new ArrayList<>();
    for (String m : authText.split(",")) {
      String method = m.trim().toLowerCase(Locale.ROOT);
      if (method.isEmpty() || method.equals("none")) {
        continue;
      }
      if (!AUTH_METHODS.contains(method)) {
        throw new InvalidConfigException("auth", authText, "names '" + m.trim() + "', not one of " + String.join(", ", AUTH_METHODS)
            + " (empty: no authentication)");
      }
      if (!auth.contains(method)) {
        auth.add(method);
      }
    }
    // tokens and links name their own targets: such a proxy needs none of its own
    boolean proofsName = auth.contains("jwt") || auth.contains("link");
    HostPort target = null;
    String wrapper = null;
    String targetText = keys.text("target", c::target);
    String t = targetText.trim();
    if (t.startsWith(WRAPPER_PREFIX)) {
      wrapper = t.substring(WRAPPER_PREFIX.length()).trim();
      if (!wrapper.matches("[A-Za-z0-9._-]+")) {
        throw new InvalidConfigException("target", targetText, "needs a wrapper name of letters, digits, '.', '_' or '-' after wrapper:");
      }
    } else if (!t.isEmpty() || (tokens == null && !proofsName)) {
      try {
        target = HostPort.parseTarget(t);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException("target", targetText, e.getMessage() + " (or wrapper:NAME, or set tokens / token.file)");
      }
    }
    String originsText = keys.text("allowed.origins", c::allowed_origins);
    OriginPolicy origins;
    try {
      origins = OriginPolicy.parse(originsText);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("allowed.origins", originsText, e.getMessage());
    }
    int maxConnections = keys.integer("max.connections", 1, 1_000_000, c::max_connections);
    long idleTimeout = keys.number("idle.timeout", 0, MAX_SECONDS, c::idle_timeout);
    long heartbeat = keys.number("heartbeat", 0, MAX_SECONDS, c::heartbeat);
    int maxPending = keys.integer("max.pending", 1, 1_000_000, c::max_pending);
    int maxFailures = keys.integer("auth.max.failures", 1, 1_000_000, c::auth_max_failures);
    boolean sslOnly = keys.flag("ssl.only", c::ssl_only);
    boolean debugReasons = keys.flag("debug.reasons", c::debug_reasons);
    String hostsText = keys.text("allowed.hosts", c::allowed_hosts);
    HostPolicy hosts;
    try {
      // with an explicit allowed.origins a rebound page's origin is refused anyway; allowed.hosts still applies if set
      boolean check = originsText.isBlank() || !hostsText.isBlank();
      hosts = HostPolicy.parse(check ? hostsText : "*", listen);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("allowed.hosts", hostsText, e.getMessage());
    }
    String framesText = keys.text("frame.ancestors", c::frame_ancestors);
    FrameAncestors frames;
    try {
      frames = FrameAncestors.parse(framesText);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("frame.ancestors", framesText, e.getMessage());
    }
    TlsSettings tls = TlsSettings.of(keys.text("cert", c::cert), keys.text("key", c::key), sslOnly,
        keys.text("ca", c::ca), keys.flag("verify.client", c::verify_client));
    if (auth.contains("cert") && (tls == null || !tls.asksClients())) {
      throw new InvalidConfigException("auth", authText, "names cert, which needs TLS with client certificates (cert and ca)");
    }
    return new RelaySettings(listen, target, wrapper, tokens, web(keys.text("web", c::web), bundled), origins,
        tls, maxConnections, idleTimeout, heartbeat, hosts, frames, maxPending, maxFailures, debugReasons, null,
        List.copyOf(auth), TargetPassword.of(keys.text("target.password.file", c::target_password_file),
            keys.text("target.password", c::target_password)), keys.flag("view.only", c::view_only),
        recordDir(keys.text("record", c::record)), keys.flag("record.input", c::record_input),
        keys.number("record.max.age", 0, 100 * 365, c::record_max_age), keys.number("record.max.bytes", 0, Long.MAX_VALUE, c::record_max_bytes),
        blankToNull(keys.text("target.username", c::target_username)));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** {@code record}: a directory that exists or can be made, and is writable; null when empty. */
  private static Path recordDir(String value) throws InvalidConfigException {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      return null;
    }
    Path dir = Path.of(v);
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new InvalidConfigException("record", value, "cannot be made: " + e.getMessage());
    }
    if (!Files.isWritable(dir)) {
      throw new InvalidConfigException("record", value, "is not a writable directory");
    }
    return dir;
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
