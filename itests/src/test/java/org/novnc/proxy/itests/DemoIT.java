package org.novnc.proxy.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The distribution's demo desktop and its relay, as shipped (on ports moved for the test). */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DemoIT {
  @Inject
  private FeaturesService features;

  @Configuration
  public Option[] config() {
    return options(KarafTestSupport.baseOptions());
  }

  @Test
  public void demoDesktopSpeaksRfb38AndNeedsNoPassword() throws Exception {
    assertTrue(features.isInstalled(features.getFeature("novnc-proxy-demo")));
    int port = KarafTestSupport.demoPort();
    await().atMost(Duration.ofSeconds(10)).until(() -> KarafTestSupport.listening(port));
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] version = new byte[12];
      in.readFully(version);
      assertEquals("RFB 003.008\n", new String(version, StandardCharsets.US_ASCII));
      s.getOutputStream().write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
      int count = in.readUnsignedByte();
      assertTrue("security types offered", count > 0);
      byte[] types = new byte[count];
      in.readFully(types);
      assertEquals("None", 1, types[0]);
      s.getOutputStream().write(1);
      assertEquals("SecurityResult OK", 0, in.readInt());
      s.getOutputStream().write(1); // ClientInit: shared
      int width = in.readUnsignedShort();
      int height = in.readUnsignedShort();
      assertEquals(1280, width);
      assertEquals(800, height);
    }
  }

  @Test
  public void shippedRelayReachesTheDemoDesktop() throws Exception {
    int port = KarafTestSupport.demoRelayPort();
    await().atMost(Duration.ofSeconds(10)).until(() -> KarafTestSupport.listening(port));
    try (RawWebSocket ws = RawWebSocket.plain(port)) {
      assertEquals(101, ws.handshake("/websockify", null));
      assertEquals("RFB 003.008\n", ws.receive(12));
    }
  }
}
