package org.novnc.proxy.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.novnc.proxy.codec.CodecSettings;

/**
 * Target host names are looked up off the event loop: a lookup that hangs (a slow DNS server, which
 * cannot be provoked on a loopback-only machine, so the lookup is the test's) holds up only its own
 * session, and a name that does not resolve closes with the reason.
 */
class TargetLookupTest {
  static {
    LeakCheck.install();
  }

  private final CountDownLatch dnsAnswers = new CountDownLatch(1);
  private final List<String> looked = new ArrayList<>();
  private EventLoops loops;
  private final List<RelayListener> listeners = new ArrayList<>();
  private final List<GreetingTarget> targets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    dnsAnswers.countDown();
    listeners.forEach(RelayListener::stop);
    for (GreetingTarget t : targets) {
      t.close();
    }
    if (loops != null) {
      loops.close();
    }
  }

  private InetAddress lookup(String host) throws UnknownHostException {
    synchronized (looked) {
      looked.add(host + " on " + Thread.currentThread().getName());
    }
    if (host.equals("slow.test")) {
      try {
        dnsAnswers.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return InetAddress.getLoopbackAddress();
    }
    throw new UnknownHostException(host);
  }

  private int relay(String target) {
    RelayListener l = new RelayListener("test", loops, () -> CodecSettings.DEFAULTS);
    listeners.add(l);
    l.apply(TestSettings.debug(TestSettings.relay(new HostPort("127.0.0.1", 0), HostPort.parseTarget(target), null, null, null,
        OriginPolicy.SAME_HOST, null, 10, 0, 0)));
    return l.boundAddress().getPort();
  }

  private int greeter(String greeting) throws IOException {
    GreetingTarget t = new GreetingTarget(greeting);
    targets.add(t);
    return t.address().port();
  }

  /** Opens a WebSocket; the future completes with the first bytes (as ASCII) or "closed CODE: REASON". */
  private static CompletableFuture<String> first(int port) {
    return WsProbe.open(URI.create("ws://127.0.0.1:" + port + "/websockify"), null, 1);
  }

  @Test
  void aHangingLookupHoldsUpOnlyItsOwnSession() throws Exception {
    loops = new EventLoops(1, true, this::lookup);  // one event loop: a blocked one would stop everything
    int slow = relay("slow.test:" + greeter("slow"));
    int fast = relay("127.0.0.1:" + greeter("fast"));
    CompletableFuture<String> waiting = first(slow);
    assertEquals("fast", first(fast).get(5, TimeUnit.SECONDS), "a session to an IP target while the lookup hangs");
    assertEquals("fast", first(fast).get(5, TimeUnit.SECONDS));
    assertFalse(waiting.isDone(), "the session whose target is being looked up waits");
    dnsAnswers.countDown();
    assertEquals("slow", waiting.get(5, TimeUnit.SECONDS));
    synchronized (looked) {
      assertEquals(1, looked.size(), "only the host name was looked up: " + looked);
      assertTrue(looked.get(0).startsWith("slow.test on novnc-relay-lookup"), looked.get(0));
    }
  }

  @Test
  void anUnknownHostClosesWithTheReason() throws Exception {
    loops = new EventLoops(1, true, this::lookup);
    int port = relay("nowhere.test:5900");
    assertEquals("closed 1014: target nowhere.test:5900 unreachable: unknown host", first(port).get(5, TimeUnit.SECONDS));
  }

  @Test
  void ipLiteralsAreNotLookedUp() {
    assertTrue(EventLoops.isIpLiteral("127.0.0.1"));
    assertTrue(EventLoops.isIpLiteral("::1"));
    assertTrue(EventLoops.isIpLiteral("fe80::1%eth0"));
    assertFalse(EventLoops.isIpLiteral("localhost"));
    assertFalse(EventLoops.isIpLiteral("10.0.0"));
    assertFalse(EventLoops.isIpLiteral("vnc1.example.org"));
  }
}
