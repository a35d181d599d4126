package org.novnc.proxy.relay.internal;

import java.util.Map;
import org.novnc.proxy.codec.config.InvalidConfigException;
import org.novnc.proxy.codec.CodecPolicy;
import org.novnc.proxy.relay.AccessPolicy;
import org.novnc.proxy.relay.TargetEndpoint;
import org.novnc.proxy.relay.UserAuthenticator;
import org.osgi.service.event.EventAdmin;
import org.novnc.proxy.relay.WebContent;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket-to-TCP proxy per factory configuration of {@code org.novnc.proxy.relay}.
 * Changes apply live: a new target serves new sessions while open ones continue, a new listen
 * address rebinds, a deleted configuration closes the listener and its sessions (close 1001).
 * A configuration that cannot work is one log line naming the PID, key and value; the proxy then
 * does not listen, and nothing else is disturbed.
 */
@Component(configurationPid = RelayComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = RelayComponent.Config.class, factory = true)
public final class RelayComponent {
  static final String PID = "org.novnc.proxy.relay";
  private static final Logger LOG = LoggerFactory.getLogger(RelayComponent.class);

  @ObjectClassDefinition(
      name = "novnc-proxy relay",
      description = "A WebSocket-to-TCP proxy (what websockify does): browsers connect with WebSocket to "
          + "'listen', bytes go to and from 'target'. One configuration per proxy.")
  public @interface Config {
    @AttributeDefinition(name = "Listen",
        description = "Where the proxy listens: [host:]port, e.g. 6080 (every interface) or 127.0.0.1:6080.")
    String listen();

    @AttributeDefinition(name = "Target", required = false,
        description = "Where each session connects: host:port of the VNC server (or any TCP service), "
            + "e.g. localhost:5901; unix:/path of a Unix domain socket (Xvnc -rfbunixpath); "
            + "or wrapper:NAME for the command run by the org.novnc.proxy.wrapper "
            + "configuration named NAME (the proxy listens while that command runs). A change applies to "
            + "new sessions; open sessions continue.")
    String target() default "";

    @AttributeDefinition(name = "Web", required = false,
        description = "Also serve web pages on this port, like websockify --web: true serves the bundled "
            + "web client (http://host:port/vnc.html), a directory path serves that directory, false or empty "
            + "serves WebSockets only. The WebSocket endpoint answers on any path either way.")
    String web() default "";

    @AttributeDefinition(name = "Certificate (PEM)", required = false,
        description = "Path of a PEM file with the certificate chain, and the private key too unless 'key' "
            + "is set (openssl req -new -x509 -days 365 -nodes -out self.pem -keyout self.pem). Enables "
            + "wss:// and https:// on this port; a changed file is picked up without restart.")
    String cert() default "";

    @AttributeDefinition(name = "Private key (PEM)", required = false,
        description = "Path of the private key (RSA or EC, PKCS#1 or PKCS#8, unencrypted) when it is not in "
            + "the certificate file.")
    String key() default "";

    @AttributeDefinition(name = "TLS only", required = false,
        description = "Refuse plain ws:// and http:// connections; without it one port serves both TLS and "
            + "plain connections.")
    boolean ssl_only() default false;

    @AttributeDefinition(name = "Allowed origins", required = false,
        description = "Pages allowed to open WebSockets here (against cross-site WebSocket hijacking). Empty: "
            + "pages from the same host the browser connects to (any port); *: any page; otherwise a "
            + "comma-separated list of origins (https://example.com:8443) or host names.")
    String allowed_origins() default "";

    @AttributeDefinition(name = "Allowed hosts", required = false,
        description = "Names this proxy answers to in the Host header, against DNS rebinding (a hostile site whose "
            + "name is made to point at this machine). Always allowed: localhost and loopback addresses, this "
            + "machine's host names and addresses, the listen address. Add the names browsers use to reach it "
            + "(proxy.example.com, *.example.com); * turns the check off. Checked when allowed.origins is empty "
            + "or when this is set.")
    String allowed_hosts() default "";

    @AttributeDefinition(name = "Frame ancestors", required = false,
        description = "Sites that may show this port's pages in a frame (CSP frame-ancestors sources, e.g. "
            + "https://portal.example.com). Empty: same-origin frames only (X-Frame-Options: DENY and "
            + "frame-ancestors 'self'); *: any site.")
    String frame_ancestors() default "";

    @AttributeDefinition(name = "Tokens", required = false,
        description = "Targets chosen by ?token=NAME on the WebSocket URL: token1=host:port,token2=unix:/path. "
            + "With tokens (or a token file) set, a missing or unknown token is refused.")
    String tokens() default "";

    @AttributeDefinition(name = "Token file", required = false,
        description = "A file of 'token: host:port' (or 'token: unix:/path') lines (websockify's token plugin format, # comments); "
            + "edits apply to the next connection.")
    String token_file() default "";

    @AttributeDefinition(name = "Max connections",
        description = "Most concurrent WebSocket sessions on this proxy; more are refused with HTTP 503.")
    int max_connections() default 1000;

    @AttributeDefinition(name = "Max pending connections",
        description = "Most connections that have not completed a WebSocket handshake (including page requests); "
            + "beyond it the oldest is dropped, so idle connections cannot lock out a real browser.")
    int max_pending() default RelaySettings.DEFAULT_MAX_PENDING;

    @AttributeDefinition(name = "Failures before throttling",
        description = "Failed attempts (unknown tokens, wrong passwords, bad signed tokens) a client address may make "
            + "per minute; further attempts get HTTP 429 until the minute is over.")
    int auth_max_failures() default 5;

    @AttributeDefinition(name = "Detailed close reasons", required = false,
        description = "true: close reasons sent to browsers name the target (host:port) and the exact error; "
            + "false: they say only what happened (the log always has the details).")
    boolean debug_reasons() default false;

    @AttributeDefinition(name = "Idle timeout (s)",
        description = "Close a session after this many seconds with no traffic in either direction; 0 never does.")
    long idle_timeout() default 0;

    @AttributeDefinition(name = "Authentication", required = false,
        description = "Who may open sessions: a comma list of accepted methods. Empty (the default): anyone the "
            + "origin check lets in. login: a user and password of a Karaf JAAS realm (login page, signed session "
            + "cookie, or HTTP Basic from non-browser clients); jwt: a signed token in ?token=; link: a one-time "
            + "link issued by another bundle (ConsoleLinks); cert: a TLS client certificate (needs cert and ca). "
            + "Needs the novnc-proxy auth bundle; without it such a proxy refuses every session (503).")
    String auth() default "";

    @AttributeDefinition(name = "Login realm", required = false,
        description = "The JAAS realm that checks user names and passwords for auth = login (karaf: etc/users.properties "
            + "and whatever Karaf's realm is configured with).")
    String auth_realm() default "karaf";

    @AttributeDefinition(name = "Roles that may connect", required = false,
        description = "A logged-in user (or a certificate's CN, see allowed.clients) needs one of these roles (comma list) "
            + "for a full session.")
    String auth_roles() default "admin,novnc";

    @AttributeDefinition(name = "View-only roles", required = false,
        description = "Users with one of these roles (and none of auth.roles) get view-only sessions.")
    String auth_viewonly_roles() default "viewer";

    @AttributeDefinition(name = "Login session (s)", required = false,
        description = "How long a login lasts: the session cookie expires after this many seconds (default 8 hours).")
    long auth_session_timeout() default 28800;

    @AttributeDefinition(name = "Cookie key file", required = false,
        description = "A file of at least 32 bytes whose content signs login cookies (HMAC-SHA256). Empty: a key generated "
            + "once per installation under Karaf's data directory. Proxies with the same key share logins.")
    String auth_key_file() default "";

    @AttributeDefinition(name = "JWT key", required = false,
        description = "For auth = jwt: a file holding the key that verifies tokens: an HS256 secret (the raw bytes, at "
            + "least 32), an RSA or EC public key or certificate (PEM), or a JWK set (JSON).")
    String jwt_key() default "";

    @AttributeDefinition(name = "JWT issuer", required = false,
        description = "When set, a token's iss claim must be exactly this.")
    String jwt_issuer() default "";

    @AttributeDefinition(name = "JWT audience", required = false,
        description = "When set, a token's aud claim must contain this.")
    String jwt_audience() default "";

    @AttributeDefinition(name = "JWT decryption key", required = false,
        description = "A file holding the key that decrypts encrypted tokens (JWE): a 32-byte secret for dir/A256GCM, or "
            + "an RSA private key (PEM) for RSA-OAEP-256. Encrypted tokens may carry a password claim.")
    String jwt_decrypt_key() default "";

    @AttributeDefinition(name = "Allowed targets", required = false,
        description = "Where tokens and links may send sessions: comma list of host:port patterns with * globs, CIDR "
            + "ranges and port ranges (10.0.0.0/8:5900-5999, *.vm.example.org:5900-5999, unix:/run/vnc/*). Empty: only "
            + "the targets this configuration names itself (target, tokens, token.file).")
    String allowed_targets() default "";

    @AttributeDefinition(name = "Client CA (PEM)", required = false,
        description = "A PEM bundle of the authorities whose client certificates are accepted on TLS; with it, clients "
            + "are asked for a certificate (auth = cert makes its CN the user).")
    String ca() default "";

    @AttributeDefinition(name = "Require client certificate", required = false,
        description = "true: a TLS connection without a client certificate signed by ca fails its handshake.")
    boolean verify_client() default false;

    @AttributeDefinition(name = "Allowed client names", required = false,
        description = "For auth = cert: the certificate CNs that may connect (comma list). Empty: any certificate signed by ca.")
    String allowed_clients() default "";

    @AttributeDefinition(name = "Public URL", required = false,
        description = "The URL browsers use to reach this proxy's pages (e.g. https://vnc.example.org:6080/), for one-time "
            + "links. Empty: this machine's host name and the listen port, when the proxy serves web pages.")
    String public_url() default "";

    @AttributeDefinition(name = "Target password file", required = false,
        description = "A file whose first line is the VNC server's password: the proxy answers the server's VNC "
            + "Authentication itself and the browser sees no authentication (its users never learn the password). "
            + "Read for each new session.")
    String target_password_file() default "";

    @AttributeDefinition(name = "Target user name", required = false,
        description = "The user name the proxy gives a server that asks for VeNCrypt Plain (with the password of "
            + "target.password.file); without it such a server is answered only if it also offers another type.")
    String target_username() default "";

    @AttributeDefinition(name = "Target password (discouraged)", required = false,
        description = "The VNC server's password in the configuration itself, for tests; prefer target.password.file "
            + "(configurations are readable by every Karaf administrator).")
    String target_password() default "";

    @AttributeDefinition(name = "View only", required = false,
        description = "true: every session is view-only: the proxy drops keyboard, pointer, clipboard, resize and "
            + "power messages and asks the server to share the desktop. Sessions can also be view-only by role, "
            + "token or link.")
    boolean view_only() default false;

    @AttributeDefinition(name = "Record", required = false,
        description = "A directory: every session is recorded as it happens to DIR/<proxy>/<yyyy-mm-dd>/<start>-<user>-<id>.nvprec "
            + "(the server's stream from ServerInit on with millisecond times; never credentials). A slow or full disk never "
            + "stalls a session: its recording is marked incomplete.")
    String record() default "";

    @AttributeDefinition(name = "Record input", required = false,
        description = "true: recordings also hold the viewer's keyboard, pointer and clipboard messages.")
    boolean record_input() default false;

    @AttributeDefinition(name = "Keep recordings (days)", required = false,
        description = "Recordings older than this many days are removed (checked every 10 minutes and after each recording); "
            + "0 keeps them.")
    long record_max_age() default 0;

    @AttributeDefinition(name = "Recordings size limit (bytes)", required = false,
        description = "This proxy's recordings together stay under this many bytes: the oldest are removed first (never one "
            + "being written); 0: no limit.")
    long record_max_bytes() default 0;

    @AttributeDefinition(name = "Heartbeat (s)",
        description = "Send a WebSocket ping every this many seconds; a browser that answers nothing for two "
            + "intervals (a closed laptop, a cut link) is dropped with close 1001 and its target connection "
            + "closed. 0 sends none.")
    long heartbeat() default 30;
  }

  private final String pid;
  private final BundleContext context;
  private final RelayListener listener;
  private RelaySettings settings;
  private ServiceTracker<TargetEndpoint, TargetEndpoint> endpoints;
  private Config config;
  private Map<String, Object> properties;
  /** Decides access for proxies with {@code auth}, when the auth bundle is there. */
  private volatile UserAuthenticator authenticator;
  /** Where session and refusal events go, when EventAdmin is there. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  private volatile EventAdmin eventAdmin;
  /** The bundled web client, when the web bundle is there. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  private volatile WebContent webContent;

  @Activate
  public RelayComponent(@Reference EventLoops loops, @Reference CodecPolicy codec, Config config,
      Map<String, Object> properties, BundleContext context) {
    this.pid = String.valueOf(properties.getOrDefault("service.pid", PID));
    this.context = context;
    this.listener = new RelayListener(pid, loops, codec, new Audit(pid, () -> eventAdmin));
    apply(config, properties);
  }

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindAuthenticator(UserAuthenticator a) {
    authenticator = a;
    refreshPolicy();
  }

  void unbindAuthenticator(UserAuthenticator a) {
    if (authenticator == a) {
      authenticator = null;
      refreshPolicy();
    }
  }

  /** The authenticator came or went: the running configuration asks the new one (or none). */
  private synchronized void refreshPolicy() {
    if (settings != null && !settings.auth().isEmpty()) {
      try {
        listener.policy(policy(settings, properties));
      } catch (InvalidConfigException e) {
        LOG.error("{}: {}; sessions are refused until this is fixed", pid, e.getMessage());
        listener.policy(null);
      }
    }
  }

  /** The access policy of {@code s}, or null without {@code auth} or without an authenticator. */
  private AccessPolicy policy(RelaySettings s, Map<String, Object> props) throws InvalidConfigException {
    UserAuthenticator a = authenticator;
    if (s.auth().isEmpty() || a == null) {
      if (!s.auth().isEmpty()) {
        // normal for a moment at boot; an upgrade refused meanwhile is a warning of its own
        LOG.info("{}: auth = {} waits for the authentication service (bundle org.novnc.proxy.auth); sessions are refused until it runs",
            pid, String.join(",", s.auth()));
      }
      return null;
    }
    return a.policy(pid, s.auth(), props, t -> {
      RelaySettings current = listener.settings();
      return current != null && current.namesTarget(t);
    });
  }

  @Modified
  void modified(Config config, Map<String, Object> properties) {
    apply(config, properties);
  }

  @Deactivate
  synchronized void deactivate() {
    settings = null; // an authenticator leaving after this has nothing to update
    closeEndpoints();
    listener.stop();
    listener.policy(null);
  }

  private synchronized void apply(Config config, Map<String, Object> properties) {
    RelaySettings next;
    AccessPolicy policy;
    try {
      next = RelaySettings.of(config, properties, pid, () -> webContent);
      policy = policy(next, properties);
    } catch (InvalidConfigException e) {
      if (settings != null) {
        // A typo in a live change must not take down a working proxy and its sessions.
        LOG.error("{}: {}; keeping the previous configuration (listen {}, target {}) until this is fixed",
            pid, e.getMessage(), settings.listen(), settings.targetText());
        return;
      }
      LOG.error("{}: {}; this proxy does not start", pid, e.getMessage());
      closeEndpoints();
      listener.stop();
      listener.policy(null);
      return;
    }
    closeEndpoints();
    settings = next;
    this.config = config;
    this.properties = properties;
    listener.policy(policy);
    if (settings.wrapper() == null) {
      listener.apply(settings);
    } else {
      followEndpoint(settings.wrapper());
    }
  }

  /** Tracks the {@link TargetEndpoint} named by {@code wrapper:NAME}: listen while one exists. */
  private void followEndpoint(String name) {
    String filter = "(&(" + Constants.OBJECTCLASS + "=" + TargetEndpoint.class.getName() + ")("
        + TargetEndpoint.NAME_PROPERTY + "=" + name + "))";
    try {
      endpoints = new ServiceTracker<>(context, context.createFilter(filter), new EndpointChanges());
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException("filter " + filter, e); // the name was checked: cannot happen
    }
    endpoints.open();
    if (endpoints.getService() == null) {
      endpointChanged(null);
    }
  }

  /** Sessions go to {@code endpoint} from now on; null: none left, stop listening. */
  private synchronized void endpointChanged(TargetEndpoint endpoint) {
    if (settings == null || settings.wrapper() == null) {
      return;
    }
    if (endpoint == null) {
      if (listener.boundAddress() != null) {
        LOG.info("{}: wrapper {} has no endpoint any more; the proxy stops listening", pid, settings.wrapper());
      } else {
        LOG.info("{}: waiting for wrapper {} before listening", pid, settings.wrapper());
      }
      listener.stop();
      return;
    }
    listener.apply(settings.withTarget(endpoint));
  }

  private void closeEndpoints() {
    if (endpoints != null) {
      ServiceTracker<TargetEndpoint, TargetEndpoint> t = endpoints;
      endpoints = null;
      t.close();
    }
  }

  /** The newest endpoint wins; when it goes, the best remaining one (normally there is one). */
  private final class EndpointChanges implements ServiceTrackerCustomizer<TargetEndpoint, TargetEndpoint> {
    @Override
    public TargetEndpoint addingService(ServiceReference<TargetEndpoint> reference) {
      TargetEndpoint endpoint = context.getService(reference);
      endpointChanged(endpoint);
      return endpoint;
    }

    @Override
    public void modifiedService(ServiceReference<TargetEndpoint> reference, TargetEndpoint endpoint) {
      endpointChanged(endpoint);
    }

    @Override
    public void removedService(ServiceReference<TargetEndpoint> reference, TargetEndpoint endpoint) {
      context.ungetService(reference);
      ServiceTracker<TargetEndpoint, TargetEndpoint> t = endpoints;
      if (t != null) { // null: the tracker is being closed by a reconfiguration, not an endpoint gone
        endpointChanged(t.getService());
      }
    }
  }
}
