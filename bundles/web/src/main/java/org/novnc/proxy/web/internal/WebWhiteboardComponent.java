package org.novnc.proxy.web.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.servlet.Servlet;
import org.novnc.proxy.codec.config.ConfigKeys;
import org.novnc.proxy.codec.config.InvalidConfigException;
import org.novnc.proxy.relay.AccessPolicy;
import org.novnc.proxy.relay.FrameAncestors;
import org.novnc.proxy.relay.UserAuthenticator;
import org.novnc.proxy.relay.WebContent;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web client on Karaf's HTTP port: one named servlet registered with the HTTP Whiteboard under
 * {@code context.path}. A new path re-registers at once (the old one then answers 404). An invalid
 * path is one log line naming the PID, key and value, and nothing is served on the HTTP port until
 * it is fixed; the {@link WebContent} service (the relay's ports) is not affected either way.
 *
 * <p>The servlet is registered in code rather than as a DS service with whiteboard property types
 * because its pattern is derived from {@code context.path} and must be checked before the whiteboard
 * sees it. Waiting for {@link HttpServiceRuntime} keeps this component (and the servlet API, which
 * this bundle imports optionally) out of the way when Karaf has no HTTP service.
 */
@Component(configurationPid = WebWhiteboardComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {})
@Designate(ocd = WebWhiteboardComponent.Config.class)
public final class WebWhiteboardComponent {
  static final String PID = "org.novnc.proxy.web";
  /** Whiteboard servlets without a name collide silently (Pax Web 8): this one always has one. */
  static final String SERVLET_NAME = "org.novnc.proxy.web";
  private static final Logger LOG = LoggerFactory.getLogger(WebWhiteboardComponent.class);

  @ObjectClassDefinition(
      name = "novnc-proxy web client",
      description = "Serves the HTML5 VNC client (vnc.html, vnc_auto.html) on Karaf's HTTP port (8181 by default).")
  public @interface Config {
    @AttributeDefinition(name = "Context path",
        description = "Path of the web client on Karaf's HTTP port: /novnc serves http://host:8181/novnc/vnc.html. "
            + "Starts with '/', no trailing '/', letters, digits and - . _ ~ between slashes; '/' alone serves it at "
            + "the root. A change applies at once.")
    String context_path() default "/novnc";

    @AttributeDefinition(name = "Frame ancestors", required = false,
        description = "Sites that may show the client's pages in a frame (CSP frame-ancestors sources, e.g. "
            + "https://portal.example.com). Empty: same-origin frames only (X-Frame-Options: DENY and "
            + "frame-ancestors 'self'); *: any site. A change applies at once.")
    String frame_ancestors() default "";

    @AttributeDefinition(name = "Login realm", required = false,
        description = "The JAAS realm that login.html's logins on the HTTP port are checked against (POST <context>/login). "
            + "The session cookie it sets is good for every relay of this host with auth = login, the same realm and "
            + "the same cookie key.")
    String auth_realm() default "karaf";

    @AttributeDefinition(name = "Roles that may log in", required = false,
        description = "A user needs one of these roles (or of auth.viewonly.roles) to log in here; each relay checks its own "
            + "auth.roles again.")
    String auth_roles() default "admin,novnc";

    @AttributeDefinition(name = "View-only roles", required = false,
        description = "Roles that may log in for view-only sessions.")
    String auth_viewonly_roles() default "viewer";

    @AttributeDefinition(name = "Login session (s)", required = false,
        description = "How long a login from this port lasts (seconds; default 8 hours).")
    long auth_session_timeout() default 28800;

    @AttributeDefinition(name = "Cookie key file", required = false,
        description = "The key file that signs the login cookie; empty: the installation's key (as relays use by default).")
    String auth_key_file() default "";

    @AttributeDefinition(name = "Failures before throttling", required = false,
        description = "Failed logins a client address may make per minute here; then HTTP 429 until the minute is over.")
    int auth_max_failures() default 5;
  }

  private final BundleContext context;
  private final WebContent content;
  private ServiceRegistration<Servlet> registration;
  private ContextPath registered;
  private FrameAncestors frames = FrameAncestors.SELF;
  private WebContentServlet servlet;
  private final LoginServlet login = new LoginServlet(() -> this.loginPolicy);
  private volatile UserAuthenticator authenticator;
  private volatile AccessPolicy loginPolicy;
  private Map<String, Object> properties = Map.of();

  @Activate
  public WebWhiteboardComponent(@Reference(name = "runtime") HttpServiceRuntime runtime,
      @Reference(name = "content", target = "(component.name=org.novnc.proxy.web.internal.BundleWebContent)") WebContent content,
      Config config, Map<String, Object> properties, BundleContext context) {
    this.context = context;
    this.content = content;
    this.properties = properties;
    apply(config);
    refreshLogin();
  }

  @Modified
  void modified(Config config, Map<String, Object> properties) {
    synchronized (this) {
      this.properties = properties;
    }
    apply(config);
    refreshLogin();
  }

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindAuthenticator(UserAuthenticator a) {
    authenticator = a;
    refreshLogin();
  }

  void unbindAuthenticator(UserAuthenticator a) {
    if (authenticator == a) {
      authenticator = null;
      refreshLogin();
    }
  }

  /** The login of the HTTP port: the auth bundle's policy for this configuration's auth keys, or none. */
  private synchronized void refreshLogin() {
    UserAuthenticator a = authenticator;
    AccessPolicy old = loginPolicy;
    AccessPolicy next = null;
    if (a != null) {
      try {
        ConfigKeys keys = new ConfigKeys(properties);
        login.maxFailures(keys.integer("auth.max.failures", 1, 1_000_000, () -> 5));
        next = a.policy(PID, List.of("login"), properties, t -> false);
      } catch (InvalidConfigException e) {
        LOG.error("{}: {}; logins on the HTTP port are refused until this is fixed", PID, e.getMessage());
      }
    }
    loginPolicy = next;
    if (old != null && old != next) {
      old.close();
    }
  }

  @Deactivate
  synchronized void deactivate() {
    unregister();
    if (loginPolicy != null) {
      loginPolicy.close();
      loginPolicy = null;
    }
  }

  private synchronized void apply(Config config) {
    try {
      frames = FrameAncestors.parse(config.frame_ancestors());
    } catch (IllegalArgumentException e) {
      LOG.error("{}: frame.ancestors = '{}' {}; using the default (same-origin frames only)", PID,
          config.frame_ancestors(), e.getMessage());
      frames = FrameAncestors.SELF;
    }
    if (servlet != null) {
      servlet.frames(frames);
    }
    ContextPath path;
    try {
      path = ContextPath.parse(config.context_path());
    } catch (IllegalArgumentException e) {
      LOG.error("{}: context.path = '{}' {}; the web client is not served on the HTTP port until this is fixed",
          PID, config.context_path(), e.getMessage());
      unregister();
      return;
    }
    if (registration != null && path.equals(registered)) {
      return;
    }
    unregister(); // the whiteboard would see two servlets of the same name otherwise
    String index = BundleWebContent.indexName(name -> content.find(name) != null);
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, SERVLET_NAME);
    properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, path.servletPattern());
    properties.put(Constants.SERVICE_DESCRIPTION, "novnc-proxy web client at " + path);
    servlet = new WebContentServlet(content, path, index, frames, login);
    registration = context.registerService(Servlet.class, servlet, properties);
    registered = path;
    LOG.info("{}: web client served at {} on the HTTP port ({} opens the client)", PID, path,
        path.isRoot() ? "/" + index : path + "/" + index);
  }

  private void unregister() {
    if (registration != null) {
      ServiceRegistration<Servlet> r = registration;
      registration = null;
      registered = null;
      servlet = null;
      try {
        r.unregister();
      } catch (IllegalStateException e) {
        // already gone with the bundle stopping
      }
    }
  }
}
