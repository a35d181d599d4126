package org.novnc.proxy.relay.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Request paths made safe for file lookup: percent-decoded, dot segments refused, nothing that
 * could name a file outside the web root. The result is relative, with forward slashes only.
 */
final class WebPath {
  private WebPath() {}

  /** Why a request path was refused; the message is safe to show to the client. */
  static final class BadPathException extends Exception {
    private static final long serialVersionUID = 1L;

    BadPathException(String message) {
      super(message);
    }
  }

  /**
   * The relative path a request URI names: query and fragment dropped, percent-escapes decoded
   * (UTF-8), empty and {@code .} segments dropped, a trailing slash kept as a trailing slash.
   *
   * @throws BadPathException for {@code ..} segments (raw or encoded), backslashes, NUL or other
   *     control characters, malformed escapes or invalid UTF-8
   */
  static String normalise(String uri) throws BadPathException {
    String raw = uri;
    int cut = indexOfAny(raw, '?', '#');
    if (cut >= 0) {
      raw = raw.substring(0, cut);
    }
    if (raw.startsWith("http://") || raw.startsWith("https://")) {
      int slash = raw.indexOf('/', raw.indexOf("//") + 2);
      raw = slash < 0 ? "/" : raw.substring(slash);
    }
    if (!raw.startsWith("/")) {
      throw new BadPathException("the path must start with /");
    }
    String decoded = decode(raw);
    List<String> segments = new ArrayList<>();
    for (String segment : decoded.split("/", -1)) {
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (c == '\\' || c < 0x20 || c == 0x7f) {
          throw new BadPathException("the path contains a backslash or a control character");
        }
      }
      if (segment.equals("..")) {
        throw new BadPathException("the path contains '..'");
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        segments.add(segment);
      }
    }
    String joined = String.join("/", segments);
    return decoded.endsWith("/") && !joined.isEmpty() ? joined + "/" : joined;
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }

  private static String decode(String s) throws BadPathException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
        bytes.writeBytes(s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new BadPathException("the path has a malformed %-escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new BadPathException("the path has a malformed %-escape");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new BadPathException("the path is not valid UTF-8");
    }
  }
}
