package org.novnc.proxy.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.novnc.proxy.codec.config.InvalidConfigException;

/** A relay configuration as Config Admin hands it over: text from .cfg files and config:property-set. */
class RelaySettingsTest {
  /** A Config as SCR builds it: the annotation's defaults (the values themselves come from the properties). */
  private static final RelayComponent.Config DEFAULTS = (RelayComponent.Config) Proxy.newProxyInstance(
      RelayComponent.Config.class.getClassLoader(), new Class<?>[] {RelayComponent.Config.class},
      (proxy, method, args) -> method.getDefaultValue());

  private static RelaySettings parse(String... kv) throws InvalidConfigException {
    Map<String, Object> props = new HashMap<>(Map.of("listen", "127.0.0.1:6080", "target", "localhost:5901"));
    for (int i = 0; i < kv.length; i += 2) {
      props.put(kv[i], kv[i + 1]);
    }
    return RelaySettings.of(DEFAULTS, props, "org.novnc.proxy.relay~t", () -> null);
  }

  @Test
  void textValuesOfEveryTypedKey() throws Exception {
    RelaySettings s = parse("max.connections", "20", "idle.timeout", " 30 ", "heartbeat", "15", "max.pending", "64",
        "auth.max.failures", "3", "debug.reasons", "TRUE");
    assertEquals(20, s.maxConnections());
    assertEquals(30, s.idleTimeoutSeconds());
    assertEquals(15, s.heartbeatSeconds());
    assertEquals(64, s.maxPending());
    assertEquals(3, s.maxFailures());
    assertTrue(s.debugReasons());
  }

  @Test
  void theDefaultsWithoutKeys() throws Exception {
    RelaySettings s = parse();
    assertEquals(1000, s.maxConnections());
    assertEquals(RelaySettings.DEFAULT_MAX_PENDING, s.maxPending());
    assertFalse(s.debugReasons());
  }

  @Test
  void typosAreOneMessageNamingKeyValueAndWhatWasExpected() {
    Map<String, String> expected = Map.of(
        "max.connections", "max.connections = 'lots' is not a whole number from 1 to 1000000",
        "idle.timeout", "idle.timeout = 'lots' is not a whole number from 0 to 31536000",
        "heartbeat", "heartbeat = 'lots' is not a whole number from 0 to 31536000",
        "max.pending", "max.pending = 'lots' is not a whole number from 1 to 1000000",
        "auth.max.failures", "auth.max.failures = 'lots' is not a whole number from 1 to 1000000",
        "debug.reasons", "debug.reasons = 'lots' is neither true nor false",
        "ssl.only", "ssl.only = 'lots' is neither true nor false");
    expected.forEach((key, message) -> {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parse(key, "lots"), key);
      assertEquals(message, e.getMessage());
    });
  }

  @Test
  void sslOnlyYesIsNotQuietlyFalse() {
    // SCR would have turned "yes" into false: a proxy meant to be TLS-only would serve plain text
    assertThrows(InvalidConfigException.class, () -> parse("ssl.only", "yes"));
  }
}
