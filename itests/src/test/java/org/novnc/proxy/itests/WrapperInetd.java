package org.novnc.proxy.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An inetutils-inetd configuration in a temporary directory serving one program on
 * {@code 127.0.0.1:port} (inetd is how telnetd listens), and the commands that run it.
 */
public final class WrapperInetd implements AutoCloseable {
  public static final String INETD = "/usr/sbin/inetutils-inetd";
  public static final String TELNETD = "/usr/sbin/telnetd";

  private final Path dir;
  private final Path conf;

  /** Serves {@code server args...} (inetd's server path and argv, argv[0] first) on 127.0.0.1:port. */
  public WrapperInetd(int port, String server, String... argv) throws IOException {
    dir = Files.createTempDirectory("novnc-wrapper-it");
    conf = dir.resolve("inetd.conf");
    Files.writeString(conf, "127.0.0.1:" + port + " stream tcp nowait " + System.getProperty("user.name") + " "
        + server + " " + String.join(" ", argv) + "\n");
  }

  /** telnetd on 127.0.0.1:port, sending its option negotiation at once. */
  public static WrapperInetd telnetd(int port) throws IOException {
    return new WrapperInetd(port, TELNETD, "telnetd", "-h");
  }

  /** inetd in the foreground (debug mode): the command's process is inetd. */
  public String foreground() {
    return INETD + " -d -p " + dir.resolve("inetd.pid") + " " + conf;
  }

  /** inetd as a daemon: the command's process forks the server and exits. */
  public String daemon() {
    return INETD + " -p " + dir.resolve("inetd.pid") + " " + conf;
  }

  /** Text found in the command line of every inetd started from this configuration. */
  public String configPath() {
    return conf.toString();
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
