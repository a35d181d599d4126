package org.novnc.proxy.relay.internal;

import java.util.Map;
import org.novnc.proxy.codec.CodecPolicy;
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

    @AttributeDefinition(name = "Target",
        description = "Where each session connects: host:port of the VNC server (or any TCP service), "
            + "e.g. localhost:5901. A change applies to new sessions; open sessions continue.")
    String target();

    @AttributeDefinition(name = "Max connections",
        description = "Most concurrent WebSocket sessions on this proxy; more are refused with HTTP 503.")
    int max_connections() default 1000;

    @AttributeDefinition(name = "Idle timeout (s)",
        description = "Close a session after this many seconds with no traffic in either direction; 0 never does.")
    long idle_timeout() default 0;
  }

  private final String pid;
  private final RelayListener listener;

  @Activate
  public RelayComponent(@Reference EventLoops loops, @Reference CodecPolicy codec, Config config,
      Map<String, Object> properties) {
    pid = String.valueOf(properties.getOrDefault("service.pid", PID));
    listener = new RelayListener(pid, loops, codec);
    apply(config);
  }

  @Modified
  void modified(Config config) {
    apply(config);
  }

  @Deactivate
  void deactivate() {
    listener.stop();
  }

  private void apply(Config config) {
    RelaySettings settings;
    try {
      settings = RelaySettings.of(config);
    } catch (RelaySettings.InvalidConfigException e) {
      LOG.error("{}: {}; this proxy does not start", pid, e.getMessage());
      listener.stop();
      return;
    }
    listener.apply(settings);
  }
}
