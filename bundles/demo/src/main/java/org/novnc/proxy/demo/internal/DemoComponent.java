package org.novnc.proxy.demo.internal;

import java.time.Clock;
import java.util.Map;
import org.novnc.proxy.codec.config.InvalidConfigException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo desktop per factory configuration of {@code org.novnc.proxy.demo}: an RFB 3.8 server
 * with a clock, a shared drawing canvas, a text area and a window to drag, so that a first run shows
 * something live. Changes apply in place: name and password for new sessions, geometry by resizing
 * the desktop (clients are told), bind/port by rebinding the listener while sessions continue.
 * A configuration that cannot work is one log line naming the PID, key and value; that desktop then
 * does not start, and nothing else is disturbed.
 */
@Component(configurationPid = DemoComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = DemoComponent.Config.class, factory = true)
public final class DemoComponent {
  static final String PID = "org.novnc.proxy.demo";
  private static final Logger LOG = LoggerFactory.getLogger(DemoComponent.class);

  @ObjectClassDefinition(
      name = "novnc-proxy demo desktop",
      description = "A small VNC (RFB 3.8) server drawing a live demo desktop: a clock, a shared canvas, "
          + "a text area and a window to drag. Point a relay's target at it, or any VNC viewer.")
  public @interface Config {
    @AttributeDefinition(name = "Port",
        description = "TCP port the VNC server listens on. 5999 by default, to stay clear of a real "
            + "VNC server on 5900; 0 picks any free port.")
    int port() default 5999;

    @AttributeDefinition(name = "Bind address",
        description = "Address the VNC server listens on. 127.0.0.1 (loopback only) by default; "
            + "0.0.0.0 exposes the demo desktop to the network.")
    String bind() default "127.0.0.1";

    @AttributeDefinition(name = "Geometry",
        description = "Desktop size WIDTHxHEIGHT, from 320x200 to 3840x2400. A change resizes the desktop "
            + "and open viewers follow it.")
    String geometry() default "1280x800";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
        description = "When set, viewers must give this password (VNC Authentication; only the first 8 "
            + "characters count). Empty: no password. A change applies to new connections.")
    String password() default "";

    @AttributeDefinition(name = "Desktop name",
        description = "The name viewers show in their title bar. A change reaches open viewers that "
            + "support it.")
    String name() default "novnc-proxy demo";
  }

  private final String pid;
  private final DemoServer server;

  @Activate
  public DemoComponent(Config config, Map<String, Object> properties) {
    pid = String.valueOf(properties.getOrDefault("service.pid", PID));
    server = new DemoServer(pid, Clock.systemDefaultZone());
    apply(config, properties);
  }

  @Modified
  void modified(Config config, Map<String, Object> properties) {
    apply(config, properties);
  }

  @Deactivate
  void deactivate() {
    server.stop();
  }

  DemoServer server() {
    return server;
  }

  private void apply(Config config, Map<String, Object> properties) {
    DemoSettings settings;
    try {
      settings = DemoSettings.of(config, properties);
    } catch (InvalidConfigException e) {
      LOG.error("{}: {}; this demo desktop does not start", pid, e.getMessage());
      server.stop();
      return;
    }
    if (settings.password() != null && settings.password().length() > 8) {
      LOG.warn("{}: password is longer than 8 characters; VNC Authentication uses the first 8 only", pid);
    }
    server.apply(settings);
  }
}
