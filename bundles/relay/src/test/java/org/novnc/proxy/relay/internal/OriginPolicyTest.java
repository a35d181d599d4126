package org.novnc.proxy.relay.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OriginPolicyTest {
  @Test
  void defaultAllowsTheSameHostOnAnyPortOnly() {
    OriginPolicy p = OriginPolicy.parse("");
    assertTrue(p.allows("http://vnc.example.com:8181", "vnc.example.com:6080"), "page from Karaf's port");
    assertTrue(p.allows("https://VNC.example.com", "vnc.example.com:6080"), "case-insensitive");
    assertTrue(p.allows("http://[::1]:8181", "[::1]:6080"), "IPv6");
    assertTrue(p.allows(null, "vnc.example.com:6080"), "not a browser page");
    assertFalse(p.allows("https://evil.example.net", "vnc.example.com:6080"), "cross-site");
    assertFalse(p.allows("null", "vnc.example.com:6080"), "opaque origin");
    assertFalse(p.allows("http://vnc.example.com.evil.net", "vnc.example.com:6080"), "suffix trick");
  }

  @Test
  void starAllowsAll() {
    assertTrue(OriginPolicy.parse("*").allows("https://evil.example.net", "vnc.example.com"));
  }

  @Test
  void listAllowsOriginsAndHostNames() {
    OriginPolicy p = OriginPolicy.parse("https://portal.example.com:8443, intranet.example.com");
    assertTrue(p.allows("https://portal.example.com:8443", "vnc:6080"));
    assertFalse(p.allows("http://portal.example.com:8443", "vnc:6080"), "scheme matters for a full origin");
    assertTrue(p.allows("http://intranet.example.com:9000", "vnc:6080"), "a host name allows any scheme and port");
    assertFalse(p.allows("http://vnc:8181", "vnc:6080"), "a list replaces the same-host default");
  }

  @Test
  void defaultPortsMatchOriginsWithout() {
    assertTrue(OriginPolicy.parse("https://portal.example.com").allows("https://portal.example.com:443", "vnc"));
  }

  @Test
  void rejectsGarbage() {
    assertThrows(IllegalArgumentException.class, () -> OriginPolicy.parse("https://, x"));
  }
}
