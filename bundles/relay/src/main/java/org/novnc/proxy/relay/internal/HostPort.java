package org.novnc.proxy.relay.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A {@code [host:]port} or {@code host:port} value from a configuration, IPv6 hosts in brackets;
 * or, as a target, {@code unix:/path} (a Unix domain socket: {@code path} set, no host or port).
 */
record HostPort(String host, int port, String path) {
  static final String UNIX_PREFIX = "unix:";

  HostPort(String host, int port) {
    this(host, port, null);
  }

  /** Parses {@code [host:]port}; a missing host means every interface (websockify's behaviour). */
  static HostPort parseListen(String value) {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      throw new IllegalArgumentException("is empty; expected [host:]port such as 6080 or 127.0.0.1:6080");
    }
    int colon = v.lastIndexOf(':');
    if (colon < 0 || (v.startsWith("[") && v.endsWith("]"))) {
      return new HostPort(null, port(v, 0));
    }
    return new HostPort(host(v.substring(0, colon)), port(v.substring(colon + 1), 0));
  }

  /** Parses {@code host:port}, both required, or {@code unix:/absolute/path}. */
  static HostPort parseTarget(String value) {
    String v = value == null ? "" : value.trim();
    if (v.startsWith(UNIX_PREFIX)) {
      String path = v.substring(UNIX_PREFIX.length()).trim();
      if (!path.startsWith("/") || path.length() < 2 || path.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("needs an absolute socket path after unix:, e.g. unix:/run/vnc/display1.sock");
      }
      if (path.getBytes(StandardCharsets.UTF_8).length > 107) {
        throw new IllegalArgumentException("has a socket path longer than the 107 bytes Linux allows");
      }
      return new HostPort(null, 0, path);
    }
    int colon = v.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("is not host:port");
    }
    String host = host(v.substring(0, colon));
    if (host == null) {
      throw new IllegalArgumentException("has no host; expected host:port");
    }
    return new HostPort(host, port(v.substring(colon + 1), 1));
  }

  private static String host(String h) {
    String s = h.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    } else if (s.contains(":")) {
      throw new IllegalArgumentException("has an IPv6 host without brackets; write [" + s + "]:port");
    }
    if (s.isEmpty() || s.equals("*")) {
      return null;
    }
    if (!s.matches("[A-Za-z0-9._:%-]+")) {
      throw new IllegalArgumentException("has an invalid host '" + s + "'");
    }
    return s;
  }

  private static int port(String p, int min) {
    try {
      int port = Integer.parseInt(p.trim());
      if (port >= min && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("has an invalid port '" + p.trim() + "' (" + min + "-65535)");
  }

  InetSocketAddress bindAddress() {
    return host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  boolean unix() {
    return path != null;
  }

  @Override
  public String toString() {
    if (path != null) {
      return UNIX_PREFIX + path;
    }
    String h = host == null ? "*" : host.contains(":") ? "[" + host + "]" : host;
    return h + ":" + port;
  }
}
