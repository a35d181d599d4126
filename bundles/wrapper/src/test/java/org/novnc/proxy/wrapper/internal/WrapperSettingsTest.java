package org.novnc.proxy.wrapper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration parsed into settings, and each bad value named with its key. */
class WrapperSettingsTest {
  @TempDir
  Path home;

  private String error(TestConfig c) {
    return assertThrows(org.novnc.proxy.codec.config.InvalidConfigException.class, () -> c.settings(home)).getMessage();
  }

  private static TestConfig good(String... more) {
    TestConfig c = new TestConfig("name", "vnc", "command", "vncserver :1", "port", "5901");
    for (int i = 0; i < more.length; i += 2) {
      c.props.put(more[i], more[i + 1]);
    }
    return c;
  }

  @Test
  void defaults() throws Exception {
    WrapperSettings s = good().settings(home);
    assertEquals("vnc", s.name());
    assertEquals(List.of("vncserver", ":1"), s.argv());
    assertEquals(5901, s.port());
    assertEquals(WrapperSettings.Mode.RESPAWN, s.mode());
    assertEquals(3, s.respawnLimit());
    assertEquals(Duration.ofSeconds(10), s.respawnWindow());
    assertEquals(Map.of(), s.environment());
    assertEquals(home, s.directory());
    assertEquals(OutputLogger.Level.WARN, s.stderrLevel());
  }

  @Test
  void everyKey() throws Exception {
    WrapperSettings s = good("mode", " Ignore ", "respawn.limit", "5", "respawn.window", "60",
        "env.DISPLAY", ":1", "env.LANG", "C.UTF-8", "directory", home.toString(), "other.key", "x",
        "stderr.level", " Info ").settings(Path.of("/"));
    assertEquals(OutputLogger.Level.INFO, s.stderrLevel());
    assertEquals(WrapperSettings.Mode.IGNORE, s.mode());
    assertEquals(5, s.respawnLimit());
    assertEquals(Duration.ofSeconds(60), s.respawnWindow());
    assertEquals(Map.of("DISPLAY", ":1", "LANG", "C.UTF-8"), s.environment());
    assertEquals(home, s.directory());
  }

  @Test
  void badValuesNameKeyAndValue() {
    assertEquals("name is required", error(new TestConfig("command", "x", "port", "1")));
    assertEquals("name = 'my vnc' is not a name of letters, digits, '.', '_' or '-' "
        + "(relays refer to it as target = wrapper:NAME)", error(good("name", "my vnc")));
    assertEquals("command = 'sh -c 'exit 1' has an unterminated single quote (opened at column 7)",
        error(good("command", "sh -c 'exit 1")));
    assertEquals("stderr.level = 'loud' is not one of error, warn, info, debug", error(good("stderr.level", "loud")));
    assertEquals("command is required", error(new TestConfig("name", "vnc", "port", "1")));
    assertEquals("command = ' ' is empty: give the program and its arguments, e.g. vncserver :1", error(good("command", " ")));
    assertEquals("port = 'notaport' is not a whole number from 1 to 65535", error(good("port", "notaport")));
    assertEquals("port = '65536' is not a whole number from 1 to 65535", error(good("port", "65536")));
    assertEquals("port is required", error(new TestConfig("name", "vnc", "command", "x")));
    assertEquals("mode = 'sometimes' is not one of ignore, exit, respawn", error(good("mode", "sometimes")));
    assertEquals("respawn.limit = '-1' is not a whole number from 0 to 1000", error(good("respawn.limit", "-1")));
    assertEquals("respawn.limit = 'x' is not a whole number from 0 to 1000", error(good("respawn.limit", "x")));
    assertEquals("respawn.window = '0' is not a whole number from 1 to 86400", error(good("respawn.window", "0")));
    assertEquals("env.1X = 'y' does not name an environment variable (letters, digits and '_', not starting with a digit)",
        error(good("env.1X", "y")));
    assertEquals("env.REBIND_PORT_NEW = '1' sets a variable the wrapper sets itself", error(good("env.REBIND_PORT_NEW", "1")));
    assertEquals("env.NOVNC_WRAPPER_ID = 'x' sets a variable the wrapper sets itself", error(good("env.NOVNC_WRAPPER_ID", "x")));
    assertEquals("env.NOVNC_WRAPPER_OWNER = 'x' sets a variable the wrapper sets itself", error(good("env.NOVNC_WRAPPER_OWNER", "x")));
    assertEquals("directory = '/no/such/dir' is not an existing directory", error(good("directory", "/no/such/dir")));
  }

  @Test
  void environmentOfTheCommand() throws Exception {
    WrapperSettings s = good("env.FOO", "bar", "env.LD_PRELOAD", "/lib/other.so").settings(home);
    Map<String, String> env = WrappedProcess.environment(Map.of("PATH", "/bin", "FOO", "old"), s,
        Path.of("/data/rebind.so"), 40123, new ProcessMarker("uuid-1", "org.novnc.proxy.wrapper~vnc@/karaf/data"));
    assertEquals("/bin", env.get("PATH"));
    assertEquals("bar", env.get("FOO"), "env.* wins over the inherited environment");
    assertEquals("/data/rebind.so /lib/other.so", env.get("LD_PRELOAD"), "rebind.so first, existing entries kept");
    assertEquals("5901", env.get("REBIND_PORT_OLD"));
    assertEquals("40123", env.get("REBIND_PORT_NEW"));
    assertEquals("5901", env.get("REBIND_OLD_PORT"));
    assertEquals("40123", env.get("REBIND_NEW_PORT"));
    assertEquals("uuid-1", env.get("NOVNC_WRAPPER_ID"));
    assertEquals("org.novnc.proxy.wrapper~vnc@/karaf/data", env.get("NOVNC_WRAPPER_OWNER"));

    Map<String, String> again = WrappedProcess.environment(Map.of("LD_PRELOAD", "/x.so:/data/rebind.so"), good().settings(home),
        Path.of("/data/rebind.so"), 40123, new ProcessMarker("uuid-1", "o"));
    assertEquals("/x.so:/data/rebind.so", again.get("LD_PRELOAD"), "already listed: left as it is");
    Map<String, String> none = WrappedProcess.environment(Map.of(), good().settings(home), Path.of("/data/rebind.so"), 1, new ProcessMarker("u", "o"));
    assertEquals("/data/rebind.so", none.get("LD_PRELOAD"));
  }
}
