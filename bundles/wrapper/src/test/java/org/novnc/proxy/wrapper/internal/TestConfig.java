package org.novnc.proxy.wrapper.internal;

import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link WrapperComponent.Config} as SCR would build it from configuration properties: typed
 * getters with the annotation's defaults, and a getter that throws when the text is not a number
 * (as Felix SCR does).
 */
@SuppressWarnings("all")
final class TestConfig implements WrapperComponent.Config {
  final Map<String, Object> props = new HashMap<>();

  TestConfig(String... keyValues) {
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
  }

  WrapperSettings settings(java.nio.file.Path defaultDirectory) throws org.novnc.proxy.codec.config.InvalidConfigException {
    return WrapperSettings.of(this, props, defaultDirectory);
  }

  private String text(String key, String def) {
    Object v = props.get(key);
    return v == null ? def : String.valueOf(v);
  }

  private int number(String key, int def) {
    Object v = props.get(key);
    return v == null ? def : Integer.parseInt(String.valueOf(v).trim());
  }

  @Override public String name() { return text("name", null); }
  @Override public String command() { return text("command", null); }
  @Override public int port() { return number("port", 0); }
  @Override public String mode() { return text("mode", "respawn"); }
  @Override public int respawn_limit() { return number("respawn.limit", 3); }
  @Override public int respawn_window() { return number("respawn.window", 10); }
  @Override public String directory() { return text("directory", ""); }
  @Override public String stderr_level() { return text("stderr.level", "warn"); }
  @Override public Class<? extends Annotation> annotationType() { return WrapperComponent.Config.class; }
}
