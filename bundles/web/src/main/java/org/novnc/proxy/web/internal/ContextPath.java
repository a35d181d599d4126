package org.novnc.proxy.web.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the web client lives on Karaf's HTTP port: {@code /} or a path of one or more segments such
 * as {@code /novnc} or {@code /tools/vnc}, checked before anything is registered.
 *
 * @param value {@code /} or {@code /segment[/segment...]}, without a trailing slash
 */
record ContextPath(String value) {
  /** URL-safe characters only (RFC 3986 "unreserved"), so the path needs no escaping anywhere. */
  private static final Pattern SEGMENT_CHARS = Pattern.compile("[A-Za-z0-9._~-]+");
  private static final Pattern BAD_CHAR = Pattern.compile("[^A-Za-z0-9._~/-]");

  static final ContextPath ROOT = new ContextPath("/");

  /** The path {@code text} names, or an exception whose message says what is wrong with it. */
  static ContextPath parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("is empty: it must start with '/' (e.g. /novnc, or / for the root)");
    }
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("must start with '/' (e.g. /novnc)");
    }
    if (text.equals("/")) {
      return ROOT;
    }
    Matcher bad = BAD_CHAR.matcher(text);
    if (bad.find()) {
      char c = text.charAt(bad.start());
      String what = Character.isWhitespace(c) ? "a space" : Character.isISOControl(c)
          ? String.format("control character U+%04X", (int) c) : "'" + c + "'";
      throw new IllegalArgumentException("contains " + what + ": only letters, digits and - . _ ~ between slashes");
    }
    if (text.endsWith("/")) {
      throw new IllegalArgumentException("must not end with '/' (only / itself may)");
    }
    for (String segment : text.substring(1).split("/", -1)) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException("has an empty segment ('//')");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("has a '" + segment + "' segment");
      }
      if (!SEGMENT_CHARS.matcher(segment).matches()) {
        throw new IllegalArgumentException("has an invalid segment '" + segment + "'");
      }
    }
    return new ContextPath(text);
  }

  boolean isRoot() {
    return value.equals("/");
  }

  /**
   * The servlet pattern that serves this path: {@code /novnc/*} (which also matches {@code /novnc}
   * itself); at the root the default servlet {@code /}, so other web applications on the port keep
   * their own paths.
   */
  String servletPattern() {
    return isRoot() ? "/" : value + "/*";
  }

  /**
   * What follows this path in a request path ({@code servletPath + pathInfo}): {@code ""} for the
   * path itself ({@code /novnc}), {@code "/"} for {@code /novnc/}, {@code "/core/rfb.js"} ...;
   * null when the request path is not under this one.
   */
  String remainder(String requestPath) {
    if (isRoot()) {
      return requestPath.startsWith("/") ? requestPath : null;
    }
    if (!requestPath.startsWith(value)) {
      return null;
    }
    String rest = requestPath.substring(value.length());
    return rest.isEmpty() || rest.startsWith("/") ? rest : null;
  }

  /** The last segment, for a redirect relative to this path itself ({@code novnc} for {@code /tools/novnc}). */
  String lastSegment() {
    return value.substring(value.lastIndexOf('/') + 1);
  }

  @Override
  public String toString() {
    return value;
  }
}
