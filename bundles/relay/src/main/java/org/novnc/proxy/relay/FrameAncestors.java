package org.novnc.proxy.relay;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Who may show the client's pages in a frame (keys {@code frame.ancestors} of the relay and web
 * PIDs), against clickjacking: a page of another site framing {@code vnc.html} invisibly and
 * making the user click into a live desktop. The default sends {@code X-Frame-Options: DENY} and
 * {@code Content-Security-Policy: frame-ancestors 'self'} (browsers that know CSP obey it and allow
 * same-origin embedding; older ones refuse every frame). A configured value is a list of CSP
 * sources ({@code https://portal.example.com}, {@code 'self'}), sent as {@code frame-ancestors}
 * without X-Frame-Options; {@code *} allows any site and sends neither header.
 */
public final class FrameAncestors {
  /** The default: same-origin frames only. */
  public static final FrameAncestors SELF = new FrameAncestors(null);

  private final Map<String, String> headers;

  private FrameAncestors(String sources) {
    Map<String, String> h = new LinkedHashMap<>();
    if (sources == null) {
      h.put("X-Frame-Options", "DENY");
      h.put("Content-Security-Policy", "frame-ancestors 'self'");
    } else if (!sources.equals("*")) {
      h.put("Content-Security-Policy", "frame-ancestors " + sources);
    }
    this.headers = Map.copyOf(h);
  }

  /**
   * Parses a {@code frame.ancestors} value: empty is {@link #SELF}.
   *
   * @throws IllegalArgumentException naming the entry that is not a CSP source
   */
  public static FrameAncestors parse(String value) {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      return SELF;
    }
    if (v.equals("*")) {
      return new FrameAncestors("*");
    }
    StringBuilder sources = new StringBuilder();
    for (String entry : v.split("[\\s,]+")) {
      String e = entry.toLowerCase(Locale.ROOT);
      boolean keyword = e.equals("'self'") || e.equals("'none'");
      if (!keyword && !e.matches("(https?://)?(\\*\\.)?[a-z0-9.-]+(:(\\d{1,5}|\\*))?/?")) {
        throw new IllegalArgumentException("has an invalid entry '" + entry
            + "'; expected *, 'self', 'none' or origins such as https://portal.example.com");
      }
      sources.append(sources.length() == 0 ? "" : " ").append(e);
    }
    return new FrameAncestors(sources.toString());
  }

  /** The response headers to send with every HTML page (possibly none). */
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public String toString() {
    return headers.isEmpty() ? "*" : headers.toString();
  }
}
