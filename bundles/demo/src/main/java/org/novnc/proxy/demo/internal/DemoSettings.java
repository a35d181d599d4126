package org.novnc.proxy.demo.internal;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.novnc.proxy.codec.config.ConfigKeys;
import org.novnc.proxy.codec.config.InvalidConfigException;

/**
 * One demo desktop's configuration, parsed and checked: the typed form of {@link DemoComponent.Config}.
 *
 * @param bind the address the RFB listener binds (loopback by default)
 * @param port the TCP port; 0 picks a free one
 * @param width desktop width in pixels
 * @param height desktop height in pixels
 * @param password the VNC Authentication password, or null for security type None
 * @param name the desktop name sent in ServerInit
 */
record DemoSettings(String bind, int port, int width, int height, String password, String name) {
  static final int MIN_WIDTH = 320;
  static final int MIN_HEIGHT = 200;
  static final int MAX_WIDTH = 3840;
  static final int MAX_HEIGHT = 2400;
  private static final Pattern GEOMETRY = Pattern.compile("\\s*(\\d{1,5})\\s*[xX]\\s*(\\d{1,5})\\s*");

  /** Parses a configuration, every key read strictly from {@code raw} (the Config gives the defaults). */
  static DemoSettings of(DemoComponent.Config c, Map<String, ?> raw) throws InvalidConfigException {
    ConfigKeys keys = new ConfigKeys(raw);
    int port = keys.integer("port", 0, 65535, c::port);
    String bind = keys.text("bind", c::bind).trim();
    if (bind.isEmpty()) {
      throw new InvalidConfigException("bind", keys.raw("bind"), "is empty: give an address such as 127.0.0.1");
    }
    int[] size = geometry(keys.text("geometry", c::geometry));
    String password = keys.text("password", c::password);
    if (password.isEmpty()) {
      password = null;
    }
    String name = keys.text("name", c::name);
    return new DemoSettings(bind, port, size[0], size[1], password, name);
  }

  /** Parses WIDTHxHEIGHT within the supported range. */
  static int[] geometry(String value) throws InvalidConfigException {
    Matcher m = value == null ? null : GEOMETRY.matcher(value);
    if (m == null || !m.matches()) {
      throw new InvalidConfigException("geometry", value, "is not WIDTHxHEIGHT, e.g. 1280x800");
    }
    int w = Integer.parseInt(m.group(1));
    int h = Integer.parseInt(m.group(2));
    if (w < MIN_WIDTH || h < MIN_HEIGHT || w > MAX_WIDTH || h > MAX_HEIGHT) {
      throw new InvalidConfigException("geometry", value, "is out of range: from " + MIN_WIDTH + "x" + MIN_HEIGHT
          + " to " + MAX_WIDTH + "x" + MAX_HEIGHT);
    }
    return new int[] {w, h};
  }

  boolean sameListener(DemoSettings o) {
    return o != null && bind.equals(o.bind) && port == o.port;
  }

  @Override
  public String toString() {
    // never the password
    return width + "x" + height + " '" + name + "' on " + bind + ":" + port
        + (password == null ? " (no password)" : " (VNC Authentication)");
  }
}
