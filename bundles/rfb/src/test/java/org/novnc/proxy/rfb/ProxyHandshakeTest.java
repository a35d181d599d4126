package org.novnc.proxy.rfb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The handshake between a scripted server and a scripted viewer, fed whole and byte by byte. */
class ProxyHandshakeTest {
  private static final byte[] CHALLENGE = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
  private static final byte[] SERVER_INIT = concat(HexFormat.of().parseHex("0400030020180001" + "00ff00ff00ff1008" + "00000000"),
      u32(4), "desk".getBytes(StandardCharsets.US_ASCII));

  private final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
  private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();

  private ProxyHandshake handshake(String password, boolean shared) {
    return new ProxyHandshake(password == null ? null : password.toCharArray(), shared, new ProxyHandshake.Output() {
      @Override
      public void toServer(byte[] bytes) {
        toServer.writeBytes(bytes);
      }

      @Override
      public void toClient(byte[] bytes) {
        toClient.writeBytes(bytes);
      }
    });
  }

  static byte[] u32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Feeds {@code bytes} in pieces of at most {@code chunk}; returns what was left after the handshake. */
  private static byte[] feed(ProxyHandshake h, byte[] bytes, int chunk, boolean server) throws RfbException {
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    for (int at = 0; at < bytes.length; at += chunk) {
      ByteBuffer b = ByteBuffer.wrap(bytes, at, Math.min(chunk, bytes.length - at));
      int used = server ? h.fromServer(b) : h.fromClient(b);
      rest.write(bytes, at + used, b.remaining() - used);
    }
    return rest.toByteArray();
  }

  @Test
  void vncAuthenticationIsAnsweredByTheProxyAndTheViewerSeesNone() throws RfbException {
    for (int chunk : new int[] {1000, 1, 3, 7}) {
      toServer.reset();
      toClient.reset();
      ProxyHandshake h = handshake("s3cr3t!", false);
      h.start();
      feed(h, ascii("RFB 003.008\n"), chunk, true);
      feed(h, concat(new byte[] {2, 2, 1}), chunk, true); // VncAuth and None offered: VncAuth chosen (a password is held)
      feed(h, CHALLENGE, chunk, true);
      feed(h, ascii("RFB 003.008\n"), chunk, false);
      feed(h, u32(0), chunk, true); // SecurityResult OK
      feed(h, new byte[] {1}, chunk, false); // the viewer picks None
      feed(h, new byte[] {0}, chunk, false); // ClientInit, not shared
      byte[] after = feed(h, concat(SERVER_INIT, new byte[] {0, 0, 0, 1}), chunk, true);
      assertTrue(h.done());
      assertNull(h.failure());
      assertArrayEquals(new byte[] {0, 0, 0, 1}, after, "bytes after ServerInit are the session's");
      byte[] response = VncAuth.response(VncAuth.passwordBytes("s3cr3t!"), CHALLENGE);
      assertArrayEquals(concat(ascii("RFB 003.008\n"), new byte[] {2}, response, new byte[] {0}), toServer.toByteArray(), "chunk " + chunk);
      assertArrayEquals(concat(ascii("RFB 003.008\n"), new byte[] {1, 1}, u32(0), SERVER_INIT), toClient.toByteArray(), "chunk " + chunk);
      String seen = HexFormat.of().formatHex(toClient.toByteArray());
      assertFalse(seen.contains(HexFormat.of().formatHex(response)), "the DES response never goes to the viewer");
      assertFalse(new String(toClient.toByteArray(), StandardCharsets.ISO_8859_1).contains("s3cr3t"), "nor the password");
    }
  }

  @Test
  void aRefusalReachesTheViewerWithTheServersReason() throws RfbException {
    ProxyHandshake h = handshake("wrong", false);
    h.start();
    h.fromServer(ByteBuffer.wrap(concat(ascii("RFB 003.008\n"), new byte[] {1, 2}, CHALLENGE)));
    h.fromClient(ByteBuffer.wrap(ascii("RFB 003.008\n")));
    h.fromServer(ByteBuffer.wrap(concat(u32(1), u32(21), ascii("Authentication failed"))));
    assertEquals("the server refused: Authentication failed", h.failure());
    assertFalse(h.failureSent(), "the viewer has not chosen yet");
    h.fromClient(ByteBuffer.wrap(new byte[] {1}));
    assertTrue(h.failureSent());
    byte[] reason = ascii("the server refused: Authentication failed");
    assertArrayEquals(concat(ascii("RFB 003.008\n"), new byte[] {1, 1}, u32(1), u32(reason.length), reason), toClient.toByteArray());
  }

  @Test
  void withoutAPasswordOnlyNoneCanBeAnswered() throws RfbException {
    ProxyHandshake h = handshake(null, false);
    h.start();
    h.fromClient(ByteBuffer.wrap(ascii("RFB 003.008\n")));
    h.fromServer(ByteBuffer.wrap(concat(ascii("RFB 003.008\n"), new byte[] {1, 2})));
    assertTrue(h.failure().contains("holds no password"), h.failure());
  }

  @Test
  void anOldServerAndAnOldViewer() throws RfbException {
    ProxyHandshake h = handshake(null, true);
    h.start();
    h.fromServer(ByteBuffer.wrap(concat(ascii("RFB 003.003\n"), u32(1)))); // 3.3: the server decides: None
    h.fromClient(ByteBuffer.wrap(ascii("RFB 003.003\n")));
    h.fromClient(ByteBuffer.wrap(new byte[] {0})); // ClientInit: not shared, but forced
    h.fromServer(ByteBuffer.wrap(SERVER_INIT));
    assertTrue(h.done());
    assertArrayEquals(concat(ascii("RFB 003.003\n"), new byte[] {1}), toServer.toByteArray(), "shared forced on");
    assertArrayEquals(concat(ascii("RFB 003.008\n"), u32(1), SERVER_INIT), toClient.toByteArray());
  }

  @Test
  void aServerThatFailsAtOnceIsPassedOnToA37Viewer() throws RfbException {
    ProxyHandshake h = handshake(null, false);
    h.start();
    h.fromServer(ByteBuffer.wrap(concat(ascii("RFB 003.007\n"), new byte[] {0}, u32(8), ascii("too many"))));
    h.fromClient(ByteBuffer.wrap(ascii("RFB 003.007\n")));
    assertTrue(h.failureSent());
    byte[] reason = ascii("the server refused: too many");
    assertArrayEquals(concat(ascii("RFB 003.008\n"), new byte[] {0}, u32(reason.length), reason), toClient.toByteArray());
  }

  @Test
  void veNCryptPlainSendsTheUserAndTheWholePassword() throws RfbException {
    ProxyHandshake h = new ProxyHandshake("alice", "a-long-password".toCharArray(), false, new ProxyHandshake.Output() {
      @Override
      public void toServer(byte[] bytes) {
        toServer.writeBytes(bytes);
      }

      @Override
      public void toClient(byte[] bytes) {
        toClient.writeBytes(bytes);
      }
    });
    h.start();
    h.fromClient(ByteBuffer.wrap(ascii("RFB 003.008\n")));
    feed(h, concat(ascii("RFB 003.008\n"), new byte[] {1, 19}, new byte[] {0, 2}, new byte[] {0}, new byte[] {2}, u32(262), u32(256),
        u32(0)), 1, true);
    assertNull(h.failure());
    byte[] user = ascii("alice");
    byte[] pw = ascii("a-long-password");
    assertArrayEquals(concat(ascii("RFB 003.008\n"), new byte[] {19}, new byte[] {0, 2}, u32(256), u32(user.length), u32(pw.length), user, pw),
        toServer.toByteArray());
    assertArrayEquals(concat(ascii("RFB 003.008\n"), new byte[] {1, 1}), toClient.toByteArray(), "the viewer still sees None only");
  }

  @Test
  void veNCryptWithoutPlainIsRefusedWithTheSubtypes() throws RfbException {
    ProxyHandshake h = new ProxyHandshake("alice", "pw".toCharArray(), false, new ProxyHandshake.Output() {
      @Override
      public void toServer(byte[] bytes) {
      }

      @Override
      public void toClient(byte[] bytes) {
      }
    });
    h.start();
    h.fromServer(ByteBuffer.wrap(concat(ascii("RFB 003.008\n"), new byte[] {1, 19}, new byte[] {0, 2}, new byte[] {0}, new byte[] {1}, u32(262))));
    assertTrue(h.failure().contains("[262]"), h.failure());
  }

  @Test
  void protocolViolationsAreRefused() {
    ProxyHandshake h = handshake(null, false);
    h.start();
    assertThrows(RfbException.class, () -> h.fromServer(ByteBuffer.wrap(ascii("HTTP/1.1 200\n"))));
    ProxyHandshake g = handshake(null, false);
    assertThrows(RfbException.class, () -> g.fromClient(ByteBuffer.wrap(ascii("RFB 002.000\n"))));
    ProxyHandshake k = handshake(null, false);
    k.start();
    assertThrows(RfbException.class, () -> {
      k.fromClient(ByteBuffer.wrap(ascii("RFB 003.008\n")));
      k.fromServer(ByteBuffer.wrap(concat(ascii("RFB 003.008\n"), new byte[] {1, 1}, u32(0))));
      k.fromClient(ByteBuffer.wrap(new byte[] {2})); // VncAuth was not offered
    });
  }

  @Test
  void randomCutsGiveTheSameBytes() throws RfbException {
    Random r = new Random(7);
    byte[] server = concat(ascii("RFB 003.008\n"), new byte[] {3, 16, 2, 1}, CHALLENGE, u32(0));
    for (int i = 0; i < 200; i++) {
      toServer.reset();
      toClient.reset();
      ProxyHandshake h = handshake("pw", false);
      h.start();
      feed(h, ascii("RFB 003.008\n"), 1 + r.nextInt(12), false);
      feed(h, server, 1 + r.nextInt(30), true);
      feed(h, new byte[] {1, 1}, 1 + r.nextInt(2), false);
      feed(h, SERVER_INIT, 1 + r.nextInt(30), true);
      assertTrue(h.done());
      assertEquals(12 + 1 + 16 + 1, toServer.size());
      assertArrayEquals(concat(ascii("RFB 003.008\n"), new byte[] {1, 1}, u32(0), SERVER_INIT), toClient.toByteArray());
    }
  }
}
