package org.novnc.proxy.itests;

import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.CoreOptions.when;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/** The real novnc-proxy distribution, booted by Pax Exam, with free ports and this build's artifacts. */
public abstract class KarafTestSupport {
  static final String KARAF_VERSION = "4.4.10";
  private static final String DEMO_PORT = "itest.demo.port";
  private static final String DEMO_RELAY_PORT = "itest.demo.relay.port";

  /** Options for every test class; subclasses add their own. */
  public static Option[] baseOptions() {
    // the tarball this build just made (not whatever an earlier install left in ~/.m2)
    String distribution = new File(System.getProperty("distribution.file")).toURI().toString();
    String itestRepo = new File(System.getProperty("itest.repo", "target/itest-repo")).toURI().toString();
    String localRepo = System.getProperty("maven.local.repo", System.getProperty("user.home") + "/.m2/repository");
    boolean keep = Boolean.getBoolean("keepKaraf");
    String demoPort = String.valueOf(freePort());
    String demoRelayPort = String.valueOf(freePort());
    return new Option[] {
      karafDistributionConfiguration().frameworkUrl(distribution).karafVersion(KARAF_VERSION)
          .name("novnc-proxy").unpackDirectory(new File("target/exam")).useDeployFolder(false),
      when(keep).useOptions(keepRuntimeFolder()),
      configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
      logLevel(LogLevel.INFO),
      systemTimeout(60_000),
      editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
      // the shipped demo desktop and its relay, moved off 5999/6080 so tests never collide
      editConfigurationFilePut("etc/org.novnc.proxy.demo-default.cfg", "port", demoPort),
      editConfigurationFilePut("etc/org.novnc.proxy.relay-demo.cfg", "listen", "127.0.0.1:" + demoRelayPort),
      editConfigurationFilePut("etc/org.novnc.proxy.relay-demo.cfg", "target", "127.0.0.1:" + demoPort),
      systemProperty(DEMO_PORT).value(demoPort),
      systemProperty(DEMO_RELAY_PORT).value(demoRelayPort),
      editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(freePort())),
      editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(freePort())),
      editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(freePort())),
      editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1"),
      editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
      editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepo),
      editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
          itestRepo + "@id=itest@snapshots,file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots"),
      mavenBundle("org.hamcrest", "hamcrest", "2.2"),
      mavenBundle("org.awaitility", "awaitility", "4.3.0"),
      // Karaf 4.4's own Java 17 launch flags (bin/karaf), which Pax Exam does not add
      vmOptions(
          "--add-reads=java.xml=java.logging",
          "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
          "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + KARAF_VERSION + ".jar",
          "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + KARAF_VERSION + ".jar",
          "--add-opens", "java.base/java.security=ALL-UNNAMED",
          "--add-opens", "java.base/java.net=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang=ALL-UNNAMED",
          "--add-opens", "java.base/java.util=ALL-UNNAMED",
          "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
          "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
          "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
          "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
          "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
          "-classpath", "lib/jdk9plus/*:lib/boot/*"),
    };
  }

  /** Inside Karaf: where the shipped demo desktop listens. */
  public static int demoPort() {
    return Integer.getInteger(DEMO_PORT);
  }

  /** Inside Karaf: where the shipped demo relay listens. */
  public static int demoRelayPort() {
    return Integer.getInteger(DEMO_RELAY_PORT);
  }

  /** Whether something accepts connections on loopback {@code port}. */
  public static boolean listening(int port) {
    try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port free at the moment of asking (loopback). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  /** An X display number (60-98) with neither a socket nor a lock file, for an Xvnc a test starts. */
  public static int freeDisplay() {
    for (int display = 60; display < 99; display++) {
      if (!Files.exists(Path.of("/tmp/.X11-unix/X" + display)) && !Files.exists(Path.of("/tmp/.X" + display + "-lock"))) {
        return display;
      }
    }
    throw new IllegalStateException("no free X display in 60-98");
  }

  /** Karaf's own log file, for asserting what an operator would read. */
  public static String karafLog() throws IOException {
    Path log = Path.of(System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log"), "karaf.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
