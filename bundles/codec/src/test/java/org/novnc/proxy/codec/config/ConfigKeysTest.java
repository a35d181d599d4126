package org.novnc.proxy.codec.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Strict reading of typed keys: what a .cfg file, config:property-set and code can hand over. */
class ConfigKeysTest {
  enum Mode { IGNORE, EXIT, RESPAWN }

  private static ConfigKeys keys(Object... kv) {
    java.util.Map<String, Object> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return new ConfigKeys(m);
  }

  @Test
  void numbersFromTextOrNumbersWithinTheirRange() throws Exception {
    assertEquals(12, keys("n", " 12 ").integer("n", 1, 100, () -> 5));
    assertEquals(12, keys("n", 12L).integer("n", 1, 100, () -> 5));
    assertEquals(5, keys().integer("n", 1, 100, () -> 5), "missing: the default");
    for (Object bad : List.of("lots", "12.5", "", "0x10", 1.5d, 0, 101, "99999999999999999999")) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> keys("n", bad).integer("n", 1, 100, () -> 5), String.valueOf(bad));
      assertEquals("n = '" + bad + "' is not a whole number from 1 to 100", e.getMessage());
      assertEquals("n", e.key());
    }
  }

  @Test
  void flagsAreTrueOrFalseNothingElse() throws Exception {
    assertTrue(keys("f", "TRUE").flag("f", () -> false));
    assertFalse(keys("f", " false").flag("f", () -> true));
    assertTrue(keys("f", Boolean.TRUE).flag("f", () -> false));
    assertTrue(keys().flag("f", () -> true));
    for (String bad : List.of("yes", "1", "on", "")) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> keys("f", bad).flag("f", () -> false));
      assertEquals("f = '" + bad + "' is neither true nor false", e.getMessage());
    }
  }

  @Test
  void choicesInAnyCase() throws Exception {
    assertEquals(Mode.RESPAWN, keys("mode", "Respawn").choice("mode", Mode.class, () -> "exit"));
    assertEquals(Mode.EXIT, keys().choice("mode", Mode.class, () -> "exit"));
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> keys("mode", "restart").choice("mode", Mode.class, () -> "exit"));
    assertEquals("mode = 'restart' is not one of ignore, exit, respawn", e.getMessage());
  }

  @Test
  void textJoinsListsAndRefusesOtherTypes() throws Exception {
    assertEquals("a,b", keys("t", new String[] {"a", "b"}).text("t", () -> ""));
    assertEquals("a,b", keys("t", List.of("a", "b")).text("t", () -> ""));
    assertEquals("x", keys().text("t", () -> "x"));
    assertThrows(InvalidConfigException.class, () -> keys("t", 5L).text("t", () -> ""));
    assertEquals("t is required", new InvalidConfigException("t", null, "").getMessage());
    assertTrue(keys("t", Map.of()).has("t"));
  }
}
