package org.novnc.proxy.codec.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.novnc.proxy.codec.CodecPolicy;
import org.novnc.proxy.codec.CodecSettings;
import org.novnc.proxy.codec.config.ConfigKeys;
import org.novnc.proxy.codec.config.InvalidConfigException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the {@link CodecSettings} of PID {@code org.novnc.proxy.codec}; without a
 * configuration, the defaults. Changing the configuration is cheap and safe, so it is applied in
 * place: open sessions keep the settings they started with, new ones get the new settings.
 *
 * <p>An invalid value never takes the service away: that key falls back to its default, one
 * error line is logged per refused key, and {@link #configurationError()} says the same. (The
 * codec's own classes stay free of logging; only this component logs.)
 */
@Component(
    configurationPid = CodecPolicyComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    service = CodecPolicy.class)
@Designate(ocd = CodecPolicyComponent.Config.class)
public final class CodecPolicyComponent implements CodecPolicy {
  static final String PID = "org.novnc.proxy.codec";
  private static final Logger LOG = LoggerFactory.getLogger(CodecPolicyComponent.class);

  @ObjectClassDefinition(
      name = "noVNC proxy WebSocket codec",
      description =
          "Limits and subprotocols of the WebSocket side of every noVNC proxy. Changes apply to"
              + " connections opened afterwards; open connections keep their settings. An invalid"
              + " value is ignored and its default used instead.")
  public @interface Config {

    @AttributeDefinition(
        name = "Maximum frame size",
        description =
            "Largest WebSocket frame payload accepted from a browser, in bytes (default 16777216,"
                + " 16 MiB). A larger frame closes the connection with code 1009.")
    long max_frame_size() default 16L * 1024 * 1024;

    @AttributeDefinition(
        name = "Maximum message size",
        description =
            "Largest WebSocket message accepted from a browser, all its frames together, in bytes"
                + " (default 67108864, 64 MiB). A larger message closes the connection with code"
                + " 1009.")
    long max_message_size() default 64L * 1024 * 1024;

    @AttributeDefinition(
        name = "Subprotocols",
        description =
            "websockify subprotocols accepted, most preferred first: binary (raw bytes) and/or"
                + " base64 (text, for old browsers), comma separated. A browser that asks for"
                + " none gets binary. Default: binary,base64.")
    String[] subprotocols() default {"binary", "base64"};

    @AttributeDefinition(
        name = "Close timeout",
        description =
            "How long to wait for the browser's close frame after sending ours before dropping"
                + " the connection, in milliseconds (default 5000).")
    long close_timeout() default 5000;
  }

  private volatile CodecSettings settings;
  private volatile String configurationError;

  @Activate
  public CodecPolicyComponent(Config config, Map<String, Object> properties) {
    apply(config, properties);
  }

  @Modified
  void modified(Config config, Map<String, Object> properties) {
    apply(config, properties);
  }

  @Override
  public CodecSettings settings() {
    return settings;
  }

  /**
   * What was wrong with the last configuration, naming PID, keys and values, or null if nothing.
   */
  public String configurationError() {
    return configurationError;
  }

  private void apply(Config config, Map<String, Object> properties) {
    CodecSettings defaults = CodecSettings.DEFAULTS;
    ConfigKeys keys = new ConfigKeys(properties);
    List<String> errors = new ArrayList<>();
    long maxFrameSize =
        positive(keys, "max.frame.size", config::max_frame_size, defaults.maxFrameSize(), errors);
    long maxMessageSize =
        positive(keys, "max.message.size", config::max_message_size, defaults.maxMessageSize(), errors);
    long closeTimeout =
        positive(keys, "close.timeout", config::close_timeout, defaults.closeTimeoutMillis(), errors);
    List<String> subprotocols = subprotocols(keys, config, defaults, errors);
    configurationError = errors.isEmpty() ? null : String.join("; ", errors);
    errors.forEach(LOG::error);
    settings = new CodecSettings(maxFrameSize, maxMessageSize, subprotocols, closeTimeout);
  }

  /** Entries may hold several comma-separated names, as a .cfg file gives a single string. */
  private static List<String> subprotocols(
      ConfigKeys keys, Config config, CodecSettings defaults, List<String> errors) {
    String text;
    try {
      text = keys.text("subprotocols", () -> String.join(",", config.subprotocols()));
    } catch (InvalidConfigException e) {
      errors.add(refused(e, String.join(",", defaults.subprotocols())));
      return defaults.subprotocols();
    }
    List<String> names = new ArrayList<>();
    for (String name : text.split(",")) {
      if (!name.isBlank()) {
        names.add(name.trim());
      }
    }
    for (String name : names) {
      if (!name.equals("binary") && !name.equals("base64")) {
        InvalidConfigException e = new InvalidConfigException("subprotocols", String.join(",", names),
            "is not binary and/or base64");
        errors.add(refused(e, String.join(",", defaults.subprotocols())));
        return defaults.subprotocols();
      }
    }
    return names;
  }

  private static long positive(
      ConfigKeys keys, String key, LongSupplier configured, long fallback, List<String> errors) {
    try {
      return keys.number(key, 1, Long.MAX_VALUE, configured);
    } catch (InvalidConfigException e) {
      errors.add(refused(e, Long.toString(fallback)));
      return fallback;
    }
  }

  private static String refused(InvalidConfigException e, String fallback) {
    return PID + ": " + e.getMessage() + "; using " + fallback;
  }
}
