package org.novnc.proxy.wrapper.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Loopback ports: a free one to move a command to, and whether the command listens there yet. */
final class LoopbackPorts {
  static final String IPV4 = "127.0.0.1";
  static final String IPV6 = "::1";
  private static final Path TCP4 = Path.of("/proc/net/tcp");
  private static final Path TCP6 = Path.of("/proc/net/tcp6");
  /** TCP_LISTEN in the "st" column of /proc/net/tcp (include/net/tcp_states.h). */
  private static final String LISTEN = "0A";
  /** {@code ::ffff:0:0/96} as /proc/net/tcp6 prints it (four 32-bit words in host order). */
  private static final String V4_MAPPED_PREFIX = "0000000000000000FFFF0000";

  private LoopbackPorts() {}

  /** A port free on 127.0.0.1 at the moment of asking. */
  static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(IPV4))) {
      return s.getLocalPort();
    }
  }

  /**
   * Where something listens on {@code port}: {@code 127.0.0.1} if an IPv4 socket does (or an IPv6
   * socket bound to an IPv4-mapped address, as Java's are), else {@code ::1} if an IPv6 socket does
   * (rebind.so moves every IPv6 bind to {@code [::1]}), else empty.
   *
   * <p>Read from {@code /proc/net/tcp*} rather than by connecting: a probe connection would be a
   * real client to the command (inetd would spawn a telnetd for it, a VNC server would log it).
   * Without {@code /proc}, a connection to 127.0.0.1 is the fallback.
   */
  static Optional<String> listeningHost(int port) {
    try {
      if (!listeners(TCP4, port).isEmpty()) {
        return Optional.of(IPV4);
      }
      List<String> v6 = Files.exists(TCP6) ? listeners(TCP6, port) : List.of();
      if (v6.stream().anyMatch(a -> a.startsWith(V4_MAPPED_PREFIX))) {
        return Optional.of(IPV4);
      }
      return v6.isEmpty() ? Optional.empty() : Optional.of(IPV6);
    } catch (IOException e) {
      return connects(port) ? Optional.of(IPV4) : Optional.empty();
    }
  }

  /** The local addresses (hex, as the table has them) of the sockets listening on {@code port}. */
  private static List<String> listeners(Path table, int port) throws IOException {
    return new ArrayList<>(listenerInodes(table, port).values());
  }

  /** Inode to local address (hex) of the sockets listening on {@code port}. */
  private static Map<Long, String> listenerInodes(Path table, int port) throws IOException {
    String wanted = String.format(":%04X", port);
    List<String> lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
    Map<Long, String> found = new HashMap<>();
    for (int i = 1; i < lines.size(); i++) { // line 0 is the header
      String[] f = lines.get(i).trim().split("\\s+");
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
      if (f.length > 9 && f[1].endsWith(wanted) && LISTEN.equals(f[3])) {
        found.put(Long.parseLong(f[9]), f[1].substring(0, f[1].length() - wanted.length()));
      }
    }
    return found;
  }

  /**
   * A socket listening on a moved port, found in the file table of one of the wrapper's processes:
   * only such a socket is the command's. {@code fd} is where it was found, so {@link #stillOwned}
   * is one {@code readlink}.
   */
  record Listener(String host, int port, long inode, long pid, int fd) {}

  /**
   * The socket listening on {@code port} that one of {@code owners} holds open, or empty. A socket
   * of any other process on that port (another user's, bound on the other address family, or
   * during a respawn) is never the command's endpoint.
   */
  static Optional<Listener> ownedListener(int port, Supplier<Collection<ProcessHandle>> owners) {
    Map<Long, String> sockets = new HashMap<>();
    try {
      listenerInodes(TCP4, port).forEach((inode, address) -> sockets.put(inode, IPV4));
      if (Files.exists(TCP6)) {
        listenerInodes(TCP6, port).forEach((inode, address) ->
            sockets.put(inode, address.startsWith(V4_MAPPED_PREFIX) ? IPV4 : IPV6));
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    if (sockets.isEmpty()) {
      return Optional.empty();
    }
    Listener best = null;
    for (ProcessHandle owner : owners.get()) { // only looked for when something listens
      Path fds = Path.of("/proc", Long.toString(owner.pid()), "fd");
      try (var entries = Files.newDirectoryStream(fds)) {
        for (Path fd : entries) {
          long inode = socketInode(fd);
          String host = sockets.get(inode);
          if (host != null && (best == null || IPV4.equals(host))) { // both families: 127.0.0.1, as before
            best = new Listener(host, port, inode, owner.pid(), Integer.parseInt(fd.getFileName().toString()));
          }
        }
      } catch (IOException | SecurityException | NumberFormatException e) {
        // the process is gone, or not ours to look into: it holds nothing of the command's
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether the process that held {@code listener} still holds that very socket (one readlink). */
  static boolean stillOwned(Listener listener) {
    return socketInode(Path.of("/proc", Long.toString(listener.pid()), "fd", Integer.toString(listener.fd())))
        == listener.inode();
  }

  /** The inode of the socket a {@code /proc/PID/fd/N} link points to ({@code socket:[inode]}), or -1. */
  private static long socketInode(Path fd) {
    try {
      String target = Files.readSymbolicLink(fd).toString();
      if (target.startsWith("socket:[") && target.endsWith("]")) {
        return Long.parseLong(target.substring(8, target.length() - 1));
      }
    } catch (IOException | SecurityException | NumberFormatException | UnsupportedOperationException e) {
      // closed meanwhile, or not a socket
    }
    return -1;
  }

  private static boolean connects(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getByName(IPV4), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
