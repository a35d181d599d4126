package org.novnc.proxy.relay.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Which Host headers a proxy answers to (DNS rebinding). */
class HostPolicyTest {
  private final HostPolicy defaults = HostPolicy.parse("", HostPort.parseListen("6080"));

  @Test
  void loopbackNamesAndAddressesWithAnyPort() {
    for (String host : new String[] {"localhost", "LOCALHOST:6080", "127.0.0.1:6080", "[::1]:6080", "localhost.", "[::1]"}) {
      assertTrue(defaults.allows(host), host);
    }
  }

  @Test
  void foreignNamesAreRefused() {
    for (String host : new String[] {"r.attacker.example:6080", "attacker.example", "localhost.attacker.example",
        "127.0.0.1.nip.io", "", ":6080", "[::1", "8.8.8.8"}) {
      assertFalse(defaults.allows(host), host);
    }
    assertFalse(defaults.allows(null), "a request without Host");
  }

  @Test
  void theMachinesOwnInterfaceAddressesAreAllowed() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        String literal = a.getHostAddress().replaceAll("%.*", "");
        assertTrue(defaults.allows(a instanceof java.net.Inet6Address ? "[" + literal + "]:6080" : literal + ":6080"), literal);
      }
    }
  }

  @Test
  void allowedHostsAddNamesAndSuffixesAndStarTurnsTheCheckOff() {
    HostPolicy p = HostPolicy.parse("proxy.example.com, *.vm.example.org", null);
    assertTrue(p.allows("proxy.example.com:443"));
    assertTrue(p.allows("Desk1.VM.example.org"));
    assertFalse(p.allows("vm.example.org.attacker.example"));
    assertFalse(p.allows("example.com"));
    assertTrue(HostPolicy.parse("*", null).allows("anything.example"));
    assertTrue(HostPolicy.parse("", HostPort.parseListen("192.0.2.7:6080")).allows("192.0.2.7:6080"), "the listen address");
  }

  @Test
  void invalidEntriesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> HostPolicy.parse("http://x.example", null));
    assertThrows(IllegalArgumentException.class, () -> HostPolicy.parse("a b", null));
    assertThrows(IllegalArgumentException.class, () -> HostPolicy.parse("*.", null));
  }
}
