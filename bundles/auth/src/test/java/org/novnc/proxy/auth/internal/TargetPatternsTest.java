package org.novnc.proxy.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TargetPatternsTest {
  private static TargetPatterns of(String text) {
    return TargetPatterns.parse(text, t -> t.equals("vnc.internal:5901"));
  }

  @Test
  void emptyAllowsOnlyTheConfigurationsOwnTargets() {
    TargetPatterns p = of("");
    assertTrue(p.allows("vnc.internal:5901"));
    assertFalse(p.allows("vnc.internal:5902"));
    assertFalse(p.allows("127.0.0.1:22"));
    assertFalse(p.allows(null));
  }

  @Test
  void cidrRangesMatchAddressesOnlyNeverNames() {
    TargetPatterns p = of("10.0.0.0/8:5900-5999");
    assertTrue(p.allows("10.1.2.3:5900"));
    assertTrue(p.allows("10.255.255.255:5999"));
    assertFalse(p.allows("10.1.2.3:6000"), "port outside the range");
    assertFalse(p.allows("11.0.0.1:5900"));
    assertFalse(p.allows("localhost:5900"), "a name is never resolved into a range");
    assertFalse(p.allows("10.1.2.3.evil.example:5900"));
  }

  @Test
  void ipv6Ranges() {
    TargetPatterns p = of("[fd00::]/8:*");
    assertTrue(p.allows("[fd12::1]:5900"));
    assertFalse(p.allows("[fe80::1]:5900"));
    assertFalse(p.allows("10.0.0.1:5900"));
  }

  @Test
  void globsOnNamesAreCaseInsensitiveAndStayInTheDomain() {
    TargetPatterns p = of("*.vm.example.org:5900-5999");
    assertTrue(p.allows("a.vm.example.org:5901"));
    assertTrue(p.allows("A.B.VM.Example.org:5901"));
    assertFalse(p.allows("vm.example.org.evil.com:5901"));
    assertFalse(p.allows("a.vm.example.org:22"));
  }

  @Test
  void exactAddressesAndAnyPort() {
    TargetPatterns p = of("127.0.0.1:*");
    assertTrue(p.allows("127.0.0.1:22"));
    assertFalse(p.allows("127.0.0.2:22"));
  }

  @Test
  void unixSocketGlobsStayInOneDirectory() {
    TargetPatterns p = of("unix:/run/vnc/*");
    assertTrue(p.allows("unix:/run/vnc/display1.sock"));
    assertFalse(p.allows("unix:/run/vnc/../docker.sock"));
    assertFalse(p.allows("unix:/run/vnc/sub/x.sock"));
    assertFalse(p.allows("unix:/run/docker.sock"));
    assertFalse(p.allows("10.0.0.1:5900"));
  }

  @Test
  void starAloneAllowsAnything() {
    assertTrue(of("*").allows("anything.example:1"));
  }

  @Test
  void badPatternsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of("10.0.0.0/8"));
    assertTrue(e.getMessage().contains("'10.0.0.0/8'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> of("host:59xx"));
    assertTrue(e.getMessage().contains("59xx"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> of("10.0.0.0/40:5900"));
    assertTrue(e.getMessage().contains("bits"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> of("unix:run/x"));
    assertTrue(e.getMessage().contains("absolute"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> of("host:6000-5900"));
    e = assertThrows(IllegalArgumentException.class, () -> of("desk?.example.org:5900"));
    assertEquals("has a pattern 'desk?.example.org:5900' with an invalid host 'desk?.example.org'", e.getMessage());
  }
}
