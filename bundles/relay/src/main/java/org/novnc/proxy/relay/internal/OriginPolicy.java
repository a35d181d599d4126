package org.novnc.proxy.relay.internal;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which pages may open WebSockets to a proxy (relay key {@code allowed.origins}), against
 * cross-site WebSocket hijacking. Empty (the default): only pages from the host the browser
 * connects to (any port, so a page from Karaf's port 8181 reaches a relay on 6080); {@code *}:
 * any page; otherwise a comma-separated list of origins ({@code https://example.com:8443}) or
 * host names ({@code example.com}, any scheme and port). A request without an {@code Origin}
 * header does not come from a browser page and is allowed.
 */
record OriginPolicy(boolean any, List<String> entries) {
  static final OriginPolicy SAME_HOST = new OriginPolicy(false, List.of());

  static OriginPolicy parse(String value) {
    String v = value == null ? "" : value.trim();
    if (v.equals("*")) {
      return new OriginPolicy(true, List.of());
    }
    List<String> entries = v.isEmpty() ? List.of()
        : List.of(v.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
    for (String e : entries) {
      if (e.isEmpty() || e.contains(" ") || (e.contains("://") && host(e) == null)) {
        throw new IllegalArgumentException("has an invalid entry '" + e + "'; expected *, or origins such as https://host:port, or host names");
      }
    }
    return new OriginPolicy(false, entries);
  }

  /** Whether a handshake with this {@code Origin} and {@code Host} header is allowed. */
  boolean allows(String origin, String hostHeader) {
    if (any || origin == null) {
      return true;
    }
    String o = origin.trim().toLowerCase(Locale.ROOT);
    String originHost = host(o);
    if (originHost == null) {
      return false; // "null" (sandboxed pages, files) or garbage
    }
    if (entries.isEmpty()) {
      return originHost.equals(HostPolicy.hostOf(hostHeader));
    }
    for (String e : entries) {
      if (e.contains("://") ? e.equals(stripDefaultPort(o)) || e.equals(o) : e.equals(originHost)) {
        return true;
      }
    }
    return false;
  }

  /** The host of an origin ({@code scheme://host[:port]}), lower case, IPv6 without brackets. */
  private static String host(String origin) {
    try {
      URI uri = new URI(origin);
      String h = uri.getHost();
      if (uri.getScheme() == null || h == null) {
        return null;
      }
      return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private static String stripDefaultPort(String origin) {
    if (origin.startsWith("http://") && origin.endsWith(":80")) {
      return origin.substring(0, origin.length() - 3);
    }
    if (origin.startsWith("https://") && origin.endsWith(":443")) {
      return origin.substring(0, origin.length() - 4);
    }
    return origin;
  }
}
