package org.novnc.proxy.wrapper.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import org.novnc.proxy.codec.config.InvalidConfigException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One wrapped command per factory configuration of {@code org.novnc.proxy.wrapper}: websockify's
 * wrap-command mode. The command runs with rebind.so preloaded, so its {@code bind()} to
 * {@code port} lands on a free loopback port instead; once something listens there, a
 * {@code TargetEndpoint} service named {@code NAME} is published for relays configured with
 * {@code target = wrapper:NAME} (which may then listen on {@code port} themselves).
 *
 * <p>The command's output goes to the log under {@code org.novnc.proxy.wrapper.NAME} (stdout at
 * INFO, stderr at WARN). Every process it starts carries {@code NOVNC_WRAPPER_ID=<uuid>} in its
 * environment; a deleted or changed configuration, or a stopped bundle, ends the command, its
 * descendants and every process so marked (daemons re-parented to init included): TERM, then KILL
 * after 5 s. A changed configuration restarts the command with the new settings (SCR deactivates
 * and reactivates the component).
 *
 * <p>A configuration that cannot work is one log line naming the PID, key and value; that wrapper
 * does not start, and nothing else is disturbed.
 */
@Component(configurationPid = WrapperComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = WrapperComponent.Config.class, factory = true)
public final class WrapperComponent {
  static final String PID = "org.novnc.proxy.wrapper";
  private static final Logger LOG = LoggerFactory.getLogger(WrapperComponent.class);

  @ObjectClassDefinition(
      name = "novnc-proxy wrapped command",
      description = "Runs a command (a VNC server, telnetd under inetd, ...) with its listening port moved to a "
          + "free loopback port, and offers that port to relays configured with target = wrapper:NAME, as "
          + "websockify's wrap mode does. One configuration per command. Extra environment variables: keys "
          + "env.NAME, e.g. env.DISPLAY = :1.")
  public @interface Config {
    @AttributeDefinition(name = "Name",
        description = "The name relays use to reach this command: target = wrapper:NAME. Letters, digits, '.', '_', '-'.")
    String name();

    @AttributeDefinition(name = "Command",
        description = "The program and its arguments, split into words like a shell does (quotes '...' and \"...\", "
            + "backslash escapes) but run without a shell: write sh -c '...' for pipes, redirections or variables. "
            + "E.g. vncserver :1, or /usr/sbin/inetutils-inetd -d /etc/novnc/telnet.conf")
    String command();

    @AttributeDefinition(name = "Port",
        description = "The TCP port the command listens on (e.g. 5901 for vncserver :1). Its bind() to this port is "
            + "moved to a free port on 127.0.0.1, so a relay can listen on this port instead.")
    int port();

    @AttributeDefinition(name = "When the command exits",
        description = "respawn: start it again, at most respawn.limit times within respawn.window seconds, then give "
            + "up; exit: remove the target (relays following it stop listening); ignore: keep the target, for "
            + "commands that start a server in the background and exit (vncserver).",
        options = {
            @Option(value = "respawn", label = "respawn"),
            @Option(value = "exit", label = "exit"),
            @Option(value = "ignore", label = "ignore")})
    String mode() default "respawn";

    @AttributeDefinition(name = "Respawn limit",
        description = "In respawn mode, the most restarts within respawn.window seconds; one more exit gives up. 0 never restarts.")
    int respawn_limit() default 3;

    @AttributeDefinition(name = "Respawn window (s)",
        description = "The sliding time window, in seconds, over which respawn.limit counts restarts.")
    int respawn_window() default 10;

    @AttributeDefinition(name = "Working directory",
        description = "Directory the command runs in; empty: Karaf's data directory (karaf.data), else the user's home.",
        required = false)
    String directory() default "";

    @AttributeDefinition(name = "Level of stderr lines",
        description = "The log level of the command's stderr lines: error, warn (default), info or debug "
            + "(e.g. info for inetutils-inetd -d, whose debug output is not a warning).")
    String stderr_level() default "warn";
  }

  private final CommandSupervisor supervisor;
  private final RebindLibrary library;

  @Activate
  public WrapperComponent(BundleContext context, Config config, Map<String, Object> properties) {
    String pid = String.valueOf(properties.getOrDefault("service.pid", PID));
    WrapperSettings settings;
    RebindLibrary lib = null;
    try {
      settings = WrapperSettings.of(config, properties, dataDirectory());
      lib = extractLibrary(context);
    } catch (InvalidConfigException e) {
      LOG.error("{}: {}; this wrapper does not start", pid, e.getMessage());
      settings = null;
    } catch (IOException e) {
      LOG.error("{}: cannot write rebind.so: {}; this wrapper does not start", pid, e.getMessage());
      settings = null;
    }
    library = lib;
    if (settings == null) {
      supervisor = null;
      return;
    }
    RespawnPolicy respawns = new RespawnPolicy(settings.respawnLimit(), settings.respawnWindow());
    ProcessMarker marker = ProcessMarker.create(pid, dataDirectory().toString());
    supervisor = new CommandSupervisor(pid, settings, lib.path(), marker,
        new TargetPublisher(context, pid, settings, marker), respawns, CommandSupervisor.Timing.DEFAULT);
    supervisor.start();
  }

  @Deactivate
  void deactivate() {
    if (supervisor != null) {
      supervisor.stop();
    }
    if (library != null) {
      try {
        library.close();
      } catch (IOException e) {
        LOG.warn("cannot delete the temporary {}: {}", library.path(), e.getMessage());
      }
    }
  }

  /** Karaf's data directory (karaf.data), else the user's home: the default working directory. */
  private static Path dataDirectory() {
    String data = System.getProperty("karaf.data");
    return Path.of(data != null && !data.isBlank() ? data : System.getProperty("user.home"));
  }

  private static RebindLibrary extractLibrary(BundleContext context) throws IOException {
    URL url = context.getBundle().getEntry(RebindLibrary.RESOURCE);
    if (url == null) {
      throw new IOException("the bundle has no " + RebindLibrary.RESOURCE);
    }
    File data = context.getDataFile("rebind.so");
    try (InputStream in = url.openStream()) {
      return RebindLibrary.extract(in, data == null ? null : data.toPath());
    }
  }
}
