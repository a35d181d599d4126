package org.novnc.proxy.relay.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.novnc.proxy.codec.config.InvalidConfigException;

/**
 * The password the proxy answers the VNC server's authentication with: the keys
 * {@code target.password.file} (read for each session, so a changed file applies to the next one;
 * its first line) or {@code target.password} (in the configuration itself: for tests, discouraged).
 * Never logged, never sent towards the browser.
 */
final class TargetPassword {
  private final Path file;
  private final char[] inline;

  private TargetPassword(Path file, char[] inline) {
    this.file = file;
    this.inline = inline;
  }

  /** Null when neither key is set. */
  static TargetPassword of(String file, String inline) throws InvalidConfigException {
    boolean hasFile = file != null && !file.isBlank();
    boolean hasInline = inline != null && !inline.isEmpty();
    if (hasFile && hasInline) {
      throw new InvalidConfigException("target.password", "(hidden)", "is set together with target.password.file; keep one");
    }
    if (hasFile) {
      Path p = Path.of(file.trim());
      if (!Files.isReadable(p)) {
        throw new InvalidConfigException("target.password.file", file, "cannot be read");
      }
      return new TargetPassword(p, null);
    }
    return hasInline ? new TargetPassword(null, inline.toCharArray()) : null;
  }

  /** A fresh copy of the password (the caller clears it). */
  char[] read() throws IOException {
    if (inline != null) {
      return inline.clone();
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      int end = 0;
      while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
        end++;
      }
      CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
      char[] password = new char[chars.remaining()];
      chars.get(password);
      if (chars.hasArray()) {
        Arrays.fill(chars.array(), '\0');
      }
      return password;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return file != null ? "file " + file : "(inline password)";
  }
}
