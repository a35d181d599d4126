package org.novnc.proxy.relay.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.novnc.proxy.codec.config.InvalidConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Targets chosen by {@code ?token=NAME} (websockify's token plugin): from the relay key
 * {@code tokens} ({@code token1=host:port,token2=host:port}) and/or {@code token.file}
 * (websockify's {@code token: host:port} lines, {@code #} comments). The file is read again
 * whenever its modification time changes, so edits apply to the next connection. A target is only
 * ever one the configuration names: an unknown token gets nothing.
 */
final class TokenTargets {
  private static final Logger LOG = LoggerFactory.getLogger(TokenTargets.class);

  private final Map<String, HostPort> inline;
  private final Path file;
  private final String pid;
  private FileTime loadedAt;
  private Map<String, HostPort> fromFile = Map.of();
  /** The third field of token.file lines: the target's password, for the RFB layer. */
  private Map<String, char[]> passwords = Map.of();

  private TokenTargets(Map<String, HostPort> inline, Path file, String pid) {
    this.inline = inline;
    this.file = file;
    this.pid = pid;
  }

  /** Null when neither key is set (no token routing). */
  static TokenTargets of(String tokens, String tokenFile, String pid) throws InvalidConfigException {
    boolean hasInline = tokens != null && !tokens.isBlank();
    boolean hasFile = tokenFile != null && !tokenFile.isBlank();
    if (!hasInline && !hasFile) {
      return null;
    }
    Map<String, HostPort> inline = new HashMap<>();
    if (hasInline) {
      for (String entry : tokens.split(",")) {
        String e = entry.trim();
        int eq = e.indexOf('=');
        if (eq <= 0) {
          throw new InvalidConfigException("tokens", tokens, "has an entry '" + e + "' that is not token=host:port");
        }
        try {
          inline.put(e.substring(0, eq).trim(), HostPort.parseTarget(e.substring(eq + 1)));
        } catch (IllegalArgumentException ex) {
          throw new InvalidConfigException("tokens", tokens, "has an entry '" + e + "' whose target " + ex.getMessage());
        }
      }
    }
    Path file = null;
    if (hasFile) {
      file = Path.of(tokenFile.trim());
      if (!Files.isReadable(file)) {
        throw new InvalidConfigException("token.file", tokenFile, "cannot be read");
      }
    }
    TokenTargets t = new TokenTargets(Map.copyOf(inline), file, pid);
    t.reload();
    return t;
  }

  /** The target for {@code token}, or null when the configuration names none. */
  synchronized HostPort lookup(String token) {
    reload();
    HostPort target = inline.get(token);
    return target != null ? target : fromFile.get(token);
  }

  /** A copy of the password token.file gives {@code token}'s target, or null. */
  synchronized char[] password(String token) {
    char[] p = passwords.get(token);
    return p == null ? null : p.clone();
  }

  /** Whether {@code target} is the target of some token. */
  synchronized boolean contains(HostPort target) {
    reload();
    return inline.containsValue(target) || fromFile.containsValue(target);
  }

  private void reload() {
    if (file == null) {
      return;
    }
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (modified.equals(loadedAt)) {
        return;
      }
      Map<String, char[]> pw = new HashMap<>();
      fromFile = parse(Files.readAllLines(file), pw);
      passwords.values().forEach(p -> java.util.Arrays.fill(p, '\0'));
      passwords = Map.copyOf(pw);
      loadedAt = modified;
      LOG.info("{}: token.file {}: {} tokens", pid, file, fromFile.size());
    } catch (IOException e) {
      LOG.warn("{}: token.file = '{}' cannot be read ({}); keeping the {} tokens read before", pid, file, e.getMessage(), fromFile.size());
    }
  }

  /** {@code token: target [password]} lines; passwords go to {@code pw}. */
  private Map<String, HostPort> parse(List<String> lines, Map<String, char[]> pw) {
    Map<String, HostPort> map = new HashMap<>();
    int n = 0;
    for (String line : lines) {
      n++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int colon = l.indexOf(':');
      try {
        if (colon <= 0) {
          throw new IllegalArgumentException("is not 'token: host:port'");
        }
        String token = l.substring(0, colon).trim();
        String[] rest = l.substring(colon + 1).trim().split("\\s+", 2);
        map.put(token, HostPort.parseTarget(rest[0]));
        if (rest.length == 2) {
          pw.put(token, rest[1].toCharArray());
        }
      } catch (IllegalArgumentException e) {
        // the line may hold a password: only its number and the token are logged
        LOG.warn("{}: token.file {} line {} (token '{}') {}; line skipped", pid, file, n, colon > 0 ? l.substring(0, colon).trim() : "?",
            e.getMessage());
      }
    }
    return Map.copyOf(map);
  }
}
