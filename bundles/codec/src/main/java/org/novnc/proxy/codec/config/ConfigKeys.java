package org.novnc.proxy.codec.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The typed keys of one configuration, read strictly from its properties. Declarative Services
 * converts a configuration for its {@code @interface Config} only when a method is called, and
 * loosely: {@code max.connections = lots} throws from deep inside the component,
 * {@code ssl.only = yes} silently becomes {@code false}. Here a value present in the properties
 * must be exactly of its type and in range, or the read throws {@link InvalidConfigException}
 * naming the key, the value and what was expected; a missing key takes its default, usually the
 * {@code Config} method itself ({@code c::max_connections}), so defaults stay in the annotations
 * that also describe the keys to {@code config:edit} and the web console.
 */
public final class ConfigKeys {
  private final Map<String, ?> properties;

  /** @param properties the configuration's properties, as the component received them */
  public ConfigKeys(Map<String, ?> properties) {
    this.properties = properties;
  }

  /** The raw value of {@code key}, or null. */
  public Object raw(String key) {
    return properties.get(key);
  }

  /** Whether {@code key} is present. */
  public boolean has(String key) {
    return properties.containsKey(key);
  }

  /** A whole number from {@code min} to {@code max}. */
  public long number(String key, long min, long max, LongSupplier fallback) throws InvalidConfigException {
    Object v = properties.get(key);
    if (v == null) {
      return fallback.getAsLong();
    }
    String expected = max == Long.MAX_VALUE || max == Integer.MAX_VALUE
        ? "is not a whole number of " + min + " or more" : "is not a whole number from " + min + " to " + max;
    long n;
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      n = ((Number) v).longValue();
    } else if (v instanceof String s && s.trim().matches("[+-]?\\d{1,18}")) {
      n = Long.parseLong(s.trim());
    } else {
      throw new InvalidConfigException(key, v, expected);
    }
    if (n < min || n > max) {
      throw new InvalidConfigException(key, v, expected);
    }
    return n;
  }

  /** A whole number from {@code min} to {@code max} that fits an int. */
  public int integer(String key, int min, int max, IntSupplier fallback) throws InvalidConfigException {
    return (int) number(key, min, max, fallback::getAsInt);
  }

  /** {@code true} or {@code false}, in any case; anything else ({@code yes}, {@code 1}) is refused. */
  public boolean flag(String key, BooleanSupplier fallback) throws InvalidConfigException {
    Object v = properties.get(key);
    if (v == null) {
      return fallback.getAsBoolean();
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v instanceof String str ? str.trim() : "";
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new InvalidConfigException(key, v, "is neither true nor false");
  }

  /** One of the constants of {@code type}, named in any case ({@code respawn} for {@code RESPAWN}). */
  public <E extends Enum<E>> E choice(String key, Class<E> type, Supplier<String> fallback)
      throws InvalidConfigException {
    Object v = properties.get(key);
    String name = v == null ? fallback.get() : v instanceof String s ? s.trim() : null;
    if (name != null) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(name)) {
          return e;
        }
      }
    }
    String[] names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    throw new InvalidConfigException(key, v == null ? name : v, "is not one of " + String.join(", ", names));
  }

  /** Text (a list is joined with commas, as a .cfg file and {@code config:property-append} differ). */
  public String text(String key, Supplier<String> fallback) throws InvalidConfigException {
    Object v = properties.get(key);
    if (v == null) {
      String d = fallback.get();
      return d == null ? "" : d;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof String[] a) {
      return String.join(",", a);
    }
    if (v instanceof java.util.Collection<?> c && c.stream().allMatch(String.class::isInstance)) {
      return String.join(",", c.stream().map(String.class::cast).toList());
    }
    throw new InvalidConfigException(key, v, "is not text");
  }

  /** A value as a log line shows it: arrays with their elements. */
  static String show(Object value) {
    if (value instanceof Object[] a) {
      return Arrays.toString(a);
    }
    return String.valueOf(value);
  }
}
