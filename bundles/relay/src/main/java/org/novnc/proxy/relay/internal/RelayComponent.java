package org.novnc.proxy.relay.internal;

import java.util.Map;
import org.novnc.proxy.codec.config.InvalidConfigException;
import org.novnc.proxy.codec.CodecPolicy;
import org.novnc.proxy.relay.TargetEndpoint;
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
        description = "Unknown tokens a client address may try per minute; further attempts get HTTP 429 until "
            + "the minute is over.")
    int auth_max_failures() default 5;

    @AttributeDefinition(name = "Detailed close reasons", required = false,
        description = "true: close reasons sent to browsers name the target (host:port) and the exact error; "
            + "false: they say only what happened (the log always has the details).")
    boolean debug_reasons() default false;

    @AttributeDefinition(name = "Idle timeout (s)",
        description = "Close a session after this many seconds with no traffic in either direction; 0 never does.")
    long idle_timeout() default 0;

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
  /** The bundled web client, when the web bundle is there. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  private volatile WebContent webContent;

  @Activate
  public RelayComponent(@Reference EventLoops loops, @Reference CodecPolicy codec, Config config,
      Map<String, Object> properties, BundleContext context) {
    this.pid = String.valueOf(properties.getOrDefault("service.pid", PID));
    this.context = context;
    this.listener = new RelayListener(pid, loops, codec);
    apply(config, properties);
  }

  @Modified
  void modified(Config config, Map<String, Object> properties) {
    apply(config, properties);
  }

  @Deactivate
  synchronized void deactivate() {
    closeEndpoints();
    listener.stop();
  }

  private synchronized void apply(Config config, Map<String, Object> properties) {
    RelaySettings next;
    try {
      next = RelaySettings.of(config, properties, pid, () -> webContent);
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
      return;
    }
    closeEndpoints();
    settings = next;
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
