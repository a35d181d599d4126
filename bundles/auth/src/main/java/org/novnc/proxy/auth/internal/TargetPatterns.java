package org.novnc.proxy.auth.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The relay key {@code allowed.targets}: where tokens and links may send sessions. A comma list of
 * {@code hostpattern:ports} and {@code unix:/glob} patterns. A host pattern is a CIDR range
 * ({@code 10.0.0.0/8}, {@code [fd00::]/8}), a name or address with {@code *} globs
 * ({@code *.vm.example.org}); ports are {@code *}, one port or a range ({@code 5900-5999}). Names
 * are never resolved: a CIDR range matches targets written as addresses only, so a name that
 * resolves into the range does not slip through, nor one made to resolve somewhere else. Empty:
 * only the targets the configuration names itself.
 */
final class TargetPatterns {
  private final List<Predicate<Target>> patterns;
  private final Predicate<String> named;

  private TargetPatterns(List<Predicate<Target>> patterns, Predicate<String> named) {
    this.patterns = patterns;
    this.named = named;
  }

  /**
   * @param text the key's value
   * @param named the configuration's own targets, which are always allowed
   * @throws IllegalArgumentException naming the pattern that cannot be read
   */
  static TargetPatterns parse(String text, Predicate<String> named) {
    List<Predicate<Target>> list = new ArrayList<>();
    for (String part : text == null ? new String[0] : text.split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        list.add(pattern(p));
      }
    }
    return new TargetPatterns(List.copyOf(list), named);
  }

  /** Whether sessions may go to {@code target} ({@code host:port} or {@code unix:/path}). */
  boolean allows(String target) {
    if (target == null) {
      return false;
    }
    if (named.test(target)) {
      return true;
    }
    Target t = Target.parse(target);
    if (t == null) {
      return false;
    }
    for (Predicate<Target> p : patterns) {
      if (p.test(t)) {
        return true;
      }
    }
    return false;
  }

  private static Predicate<Target> pattern(String p) {
    if (p.equals("*")) {
      return t -> true;
    }
    if (p.startsWith("unix:")) {
      String path = p.substring(5).trim();
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("has a pattern '" + p + "' without an absolute path after unix:");
      }
      Pattern glob = glob(path, true);
      return t -> t.path != null && !t.path.contains("/../") && glob.matcher(t.path).matches();
    }
    int colon = p.lastIndexOf(':');
    if (colon <= 0 || (p.startsWith("[") && p.endsWith("]"))) {
      throw new IllegalArgumentException("has a pattern '" + p + "' that is not host:ports (e.g. 10.0.0.0/8:5900-5999)");
    }
    String host = p.substring(0, colon).trim();
    String ports = p.substring(colon + 1).trim();
    int[] range = ports(p, ports);
    Predicate<String> hostMatch = host(p, host);
    return t -> t.path == null && t.port >= range[0] && t.port <= range[1] && hostMatch.test(t.host);
  }

  private static int[] ports(String p, String ports) {
    if (ports.equals("*")) {
      return new int[] {1, 65535};
    }
    try {
      int dash = ports.indexOf('-');
      int low = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash).trim());
      int high = dash < 0 ? low : Integer.parseInt(ports.substring(dash + 1).trim());
      if (low >= 1 && high <= 65535 && low <= high) {
        return new int[] {low, high};
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("has a pattern '" + p + "' whose ports '" + ports + "' are not *, a port or a range low-high");
  }

  private static Predicate<String> host(String p, String host) {
    int slash = host.indexOf('/');
    if (slash > 0) {
      String addr = unbracket(host.substring(0, slash));
      int bits;
      byte[] network;
      try {
        bits = Integer.parseInt(host.substring(slash + 1));
        if (!isAddress(addr)) {
          throw new IllegalArgumentException();
        }
        network = InetAddress.getByName(addr).getAddress();
      } catch (IllegalArgumentException | UnknownHostException e) {
        throw new IllegalArgumentException("has a pattern '" + p + "' whose range '" + host + "' is not address/bits");
      }
      if (bits < 0 || bits > network.length * 8) {
        throw new IllegalArgumentException("has a pattern '" + p + "' whose range '" + host + "' has more bits than its address");
      }
      BigInteger mask = BigInteger.ONE.shiftLeft(network.length * 8).subtract(BigInteger.ONE)
          .xor(BigInteger.ONE.shiftLeft(network.length * 8 - bits).subtract(BigInteger.ONE));
      BigInteger net = new BigInteger(1, network).and(mask);
      int length = network.length;
      return h -> {
        byte[] a = literal(h);
        return a != null && a.length == length && new BigInteger(1, a).and(mask).equals(net);
      };
    }
    String h = unbracket(host).toLowerCase(Locale.ROOT);
    if (h.isEmpty() || !h.matches("[a-z0-9.*:_%-]+")) {
      throw new IllegalArgumentException("has a pattern '" + p + "' with an invalid host '" + host + "'");
    }
    if (isAddress(h)) {
      byte[] exact = literal(h);
      return t -> java.util.Arrays.equals(exact, literal(t));
    }
    Pattern glob = glob(h, false);
    return t -> glob.matcher(t.toLowerCase(Locale.ROOT)).matches();
  }

  /** {@code *} matches any run of characters except {@code /} in paths (one directory level) and {@code :} in hosts. */
  private static Pattern glob(String g, boolean path) {
    String any = path ? "[^/]*" : "[^:]*";
    String[] pieces = g.split("\\*", -1);
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pieces.length; i++) {
      if (i > 0) {
        re.append(any);
      }
      re.append(Pattern.quote(pieces[i]));
    }
    return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
  }

  private static String unbracket(String h) {
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private static boolean isAddress(String h) {
    return h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || (h.contains(":") && h.matches("[0-9a-fA-F:.]+"));
  }

  /** The bytes of an address literal, or null for a name (names are never resolved). */
  private static byte[] literal(String h) {
    String a = unbracket(h);
    if (!isAddress(a)) {
      return null;
    }
    try {
      return InetAddress.getByName(a).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** A parsed target. */
  private record Target(String host, int port, String path) {
    static Target parse(String value) {
      String v = value.trim();
      if (v.startsWith("unix:")) {
        String path = v.substring(5).trim();
        return path.startsWith("/") && !path.contains("\0") ? new Target(null, 0, path) : null;
      }
      int colon = v.lastIndexOf(':');
      if (colon <= 0) {
        return null;
      }
      String host = unbracket(v.substring(0, colon));
      if (host.isEmpty() || (host.contains(":") && !v.startsWith("["))) {
        return null;
      }
      try {
        int port = Integer.parseInt(v.substring(colon + 1));
        return port >= 1 && port <= 65535 ? new Target(host, port, null) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
