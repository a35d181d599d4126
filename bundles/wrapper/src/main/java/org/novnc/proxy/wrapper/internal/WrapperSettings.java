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

  /** A key whose value cannot work: names the key, the value and what is wrong with it. */
  static final class InvalidConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidConfigException(String key, Object value, String problem) {
      super(value == null ? key + " is required" : key + " = '" + value + "' " + problem);
    }
  }

  /**
   * Parses and checks a configuration.
   *
   * @param c the typed configuration
   * @param properties all configuration properties (for {@code env.*} and the raw text of bad numbers)
   * @param defaultDirectory working directory when {@code directory} is not set
   */
  static WrapperSettings of(WrapperComponent.Config c, Map<String, Object> properties, Path defaultDirectory)
      throws InvalidConfigException {
    String name = c.name() == null ? "" : c.name().trim();
    if (!NAME.matcher(name).matches()) {
      throw new InvalidConfigException("name", c.name(),
          "is not a name of letters, digits, '.', '_' or '-' (relays refer to it as target = wrapper:NAME)");
    }
    List<String> argv;
    try {
      argv = CommandLine.split(c.command());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("command", c.command(), e.getMessage());
    }
    int port = intValue(properties, "port", c::port, "is not a port number (1-65535)");
    if (port < 1 || port > 65535) {
      throw new InvalidConfigException("port", properties.get("port"), "is not a port number (1-65535)");
    }
    Mode mode = oneOf(Mode.class, "mode", c.mode(), "is not one of ignore, exit, respawn");
    int limit = intValue(properties, "respawn.limit", c::respawn_limit, "is not a number of respawns (0 or more)");
    if (limit < 0) {
      throw new InvalidConfigException("respawn.limit", properties.get("respawn.limit"), "is not a number of respawns (0 or more)");
    }
    int window = intValue(properties, "respawn.window", c::respawn_window, "is not a number of seconds (1 or more)");
    if (window < 1) {
      throw new InvalidConfigException("respawn.window", properties.get("respawn.window"), "is not a number of seconds (1 or more)");
    }
    OutputLogger.Level stderrLevel = oneOf(OutputLogger.Level.class, "stderr.level", c.stderr_level(),
        "is not one of error, warn, info, debug");
    return new WrapperSettings(name, c.command().trim(), argv, port, mode, limit, Duration.ofSeconds(window),
        environment(properties), directory(c.directory(), defaultDirectory), stderrLevel);
  }

  private interface IntSource {
    int get();
  }

  /** A typed int; SCR throws when the method is called if the text was not a number. */
  private static int intValue(Map<String, Object> properties, String key, IntSource typed, String problem)
      throws InvalidConfigException {
    try {
      return typed.get();
    } catch (RuntimeException e) {
      throw new InvalidConfigException(key, properties.get(key), problem);
    }
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

  /** The constant of {@code type} named by {@code value}, in any case. */
  private static <E extends Enum<E>> E oneOf(Class<E> type, String key, String value, String problem)
      throws InvalidConfigException {
    try {
      return Enum.valueOf(type, (value == null ? "" : value.trim()).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(key, value, problem);
    }
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
