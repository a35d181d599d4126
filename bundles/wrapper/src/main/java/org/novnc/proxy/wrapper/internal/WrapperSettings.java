package org.novnc.proxy.wrapper.internal;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.novnc.proxy.codec.config.ConfigKeys;
import org.novnc.proxy.codec.config.InvalidConfigException;

/**
 * One wrapper's configuration, parsed and checked: the typed form of {@link WrapperComponent.Config}
 * plus the {@code env.*} keys, which a typed config cannot name.
 *
 * @param name what relays refer to as {@code wrapper:NAME}
 * @param command the command as configured (for log lines and the service property)
 * @param argv the command split into words
 * @param port the port the command binds, which rebind.so moves
 * @param mode what happens when the command exits
 * @param respawnLimit most respawns within {@code respawnWindow}
 * @param respawnWindow the sliding window of the respawn limit
 * @param environment extra environment variables ({@code env.FOO = bar} gives {@code FOO=bar})
 * @param directory working directory of the command
 * @param stderrLevel the level the command's stderr lines are logged at
 */
record WrapperSettings(String name, String command, List<String> argv, int port, Mode mode, int respawnLimit,
    Duration respawnWindow, Map<String, String> environment, Path directory, OutputLogger.Level stderrLevel) {

  /** What happens when the command exits. */
  enum Mode {
    /** The target stays: for commands that daemonise (vncserver) and leave a server behind. */
    IGNORE,
    /** The target goes away, and relays that follow it stop listening. */
    EXIT,
    /** The command is started again, within the respawn limit; past it, as {@link #EXIT}. */
    RESPAWN;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String ENV_PREFIX = "env.";
  /** Same rule as the relay's {@code wrapper:NAME}. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * Parses and checks a configuration, every key read strictly from {@code properties}.
   *
   * @param c the typed configuration (its defaults serve for missing keys)
   * @param properties all configuration properties
   * @param defaultDirectory working directory when {@code directory} is not set
   */
  static WrapperSettings of(WrapperComponent.Config c, Map<String, Object> properties, Path defaultDirectory)
      throws InvalidConfigException {
    ConfigKeys keys = new ConfigKeys(properties);
    String name = keys.text("name", c::name).trim();
    if (!NAME.matcher(name).matches()) {
      throw new InvalidConfigException("name", keys.raw("name"),
          "is not a name of letters, digits, '.', '_' or '-' (relays refer to it as target = wrapper:NAME)");
    }
    String command = keys.text("command", c::command);
    List<String> argv;
    try {
      argv = CommandLine.split(keys.has("command") ? command : null);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("command", keys.raw("command"), e.getMessage());
    }
    if (!keys.has("port")) {
      throw new InvalidConfigException("port", null, "");
    }
    int port = keys.integer("port", 1, 65535, c::port);
    Mode mode = keys.choice("mode", Mode.class, c::mode);
    int limit = keys.integer("respawn.limit", 0, 1000, c::respawn_limit);
    int window = keys.integer("respawn.window", 1, 86_400, c::respawn_window);
    OutputLogger.Level stderrLevel = keys.choice("stderr.level", OutputLogger.Level.class, c::stderr_level);
    return new WrapperSettings(name, command.trim(), argv, port, mode, limit, Duration.ofSeconds(window),
        environment(properties), directory(keys.text("directory", c::directory), defaultDirectory), stderrLevel);
  }

  private static Map<String, String> environment(Map<String, Object> properties) throws InvalidConfigException {
    Map<String, String> env = new TreeMap<>();
    for (Map.Entry<String, Object> e : properties.entrySet()) {
      if (!e.getKey().startsWith(ENV_PREFIX)) {
        continue;
      }
      String var = e.getKey().substring(ENV_PREFIX.length());
      if (!ENV_NAME.matcher(var).matches()) {
        throw new InvalidConfigException(e.getKey(), e.getValue(),
            "does not name an environment variable (letters, digits and '_', not starting with a digit)");
      }
      if (var.startsWith("REBIND_") || var.startsWith(ProcessMarker.RESERVED_PREFIX)) {
        throw new InvalidConfigException(e.getKey(), e.getValue(), "sets a variable the wrapper sets itself");
      }
      if (!(e.getValue() instanceof String)) {
        throw new InvalidConfigException(e.getKey(), e.getValue(), "is not a single text value");
      }
      env.put(var, (String) e.getValue());
    }
    return Map.copyOf(env);
  }

  private static Path directory(String configured, Path defaultDirectory) throws InvalidConfigException {
    if (configured == null || configured.isBlank()) {
      return defaultDirectory;
    }
    Path dir;
    try {
      dir = Path.of(configured.trim());
    } catch (InvalidPathException e) {
      throw new InvalidConfigException("directory", configured, "is not a path");
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidConfigException("directory", configured, "is not an existing directory");
    }
    return dir;
  }
}
