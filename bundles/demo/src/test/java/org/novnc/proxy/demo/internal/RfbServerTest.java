package org.novnc.proxy.demo.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RFB server end to end over loopback TCP, against {@link RfbTestClient}: handshakes of every
 * version and security type, full and incremental updates in each encoding, input that changes the
 * desktop, CopyRect window moves and resizing. The clock is fixed, so the desktop only changes when
 * a test makes it.
 */
class RfbServerTest {
  private static final Clock FIXED = Clock.fixed(Instant.parse("2024-05-14T12:34:56Z"), ZoneOffset.UTC);
  private DemoServer server;

  private int start(String password) {
    server = new DemoServer("test", FIXED);
    server.apply(new DemoSettings("127.0.0.1", 0, 640, 400, password, "demo under test"));
    assertNotNull(server.boundAddress(), "listening");
    return server.boundAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private Desktop desktop() {
    return server.desktop();
  }

  private Frame snapshot() throws Exception {
    return desktop().snapshot().get(5, TimeUnit.SECONDS);
  }

  @Test
  void handshakeWithoutPasswordGivesServerInit() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      assertEquals(640, c.width);
      assertEquals(400, c.height);
      assertEquals("demo under test", c.name);
      await().atMost(Duration.ofSeconds(5)).until(() -> desktop().snapshot().get().width() == 640
          && countOnDesktop() == 1);
    }
  }

  private int countOnDesktop() throws Exception {
    java.util.concurrent.CompletableFuture<Integer> n = new java.util.concurrent.CompletableFuture<>();
    desktop().execute(() -> n.complete(desktop().sessionCount()));
    return n.get(5, TimeUnit.SECONDS);
  }

  @Test
  void vncAuthenticationWithTheRightPassword() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start("s3cret"))) {
      c.handshake("s3cret");
      assertEquals(640, c.width);
    }
  }

  @Test
  void vncAuthenticationWithAWrongPasswordFailsWithAReason() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start("s3cret"))) {
      c.readVersion();
      c.sendVersion("RFB 003.008\n");
      assertEquals(1, c.in.readUnsignedByte());
      assertEquals(2, c.in.readUnsignedByte());
      c.out.writeByte(2);
      c.answerChallenge("wrong");
      assertEquals(1, c.in.readInt(), "SecurityResult failed");
      assertTrue(c.readString().contains("Authentication failed"));
      assertThrows(EOFException.class, c.in::readByte, "then the server closes");
    }
  }

  @Test
  void choosingASecurityTypeNotOfferedFails() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.readVersion();
      c.sendVersion("RFB 003.008\n");
      c.in.readUnsignedByte();
      c.in.readUnsignedByte();
      c.out.writeByte(2);
      c.out.flush();
      assertEquals(1, c.in.readInt());
      assertTrue(c.readString().contains("not offered"));
    }
  }

  @Test
  void version33IsToldTheSecurityTypeAsAWord() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start("pw"))) {
      c.readVersion();
      c.sendVersion("RFB 003.003\n");
      assertEquals(2, c.in.readInt(), "VNC Authentication, chosen by the server");
      c.answerChallenge("pw");
      assertEquals(0, c.in.readInt());
      c.init();
      assertEquals(640, c.width);
    }
  }

  @Test
  void version37WithNoneHasNoSecurityResult() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.readVersion();
      c.sendVersion("RFB 003.007\n");
      assertEquals(1, c.in.readUnsignedByte());
      assertEquals(1, c.in.readUnsignedByte());
      c.out.writeByte(1);
      c.out.flush();
      c.init(); // straight to ServerInit
      assertEquals(400, c.height);
    }
  }

  @Test
  void notAnRfbClientIsClosed() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.readVersion();
      c.sendVersion("GET / HTTP/1.\n");
      assertThrows(EOFException.class, c.in::readByte);
    }
  }

  @ParameterizedTest(name = "encoding {0}")
  @ValueSource(ints = {RfbProtocol.ENC_RAW, RfbProtocol.ENC_HEXTILE, RfbProtocol.ENC_ZRLE, RfbProtocol.ENC_TIGHT})
  void fullFrameEqualsTheDesktop(int encoding) throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      c.setEncodings(encoding, RfbProtocol.PSEUDO_CURSOR);
      c.requestUpdate(false);
      List<int[]> rects = c.readUpdate();
      assertTrue(rects.stream().anyMatch(r -> r[4] == encoding), "pixel data in the chosen encoding");
      assertNotNull(c.decoder.cursor, "the cursor came along");
      c.catchUp(desktop()); // the connection badge may have changed since
      assertTrue(c.shows(snapshot()));
    }
  }

  @Test
  void rgb565WithZrle() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      c.setPixelFormat(PixelFormat.rgb565(true));
      c.setEncodings(RfbProtocol.ENC_ZRLE);
      c.requestUpdate(false);
      c.readUpdate();
      c.catchUp(desktop());
      assertTrue(c.shows(snapshot()));
    }
  }

  @Test
  void drawingWithTheLeftButtonArrivesIncrementally() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      c.setEncodings(RfbProtocol.ENC_TIGHT, RfbProtocol.ENC_RAW);
      c.requestUpdate(false);
      c.readUpdate();
      c.catchUp(desktop());
      Rect area = desktop().layout().canvasArea();
      int x = area.x() + 30;
      int y = area.y() + 40;
      Frame before = snapshot();
      c.pointer(1, x, y);
      for (int i = 1; i <= 10; i++) {
        c.pointer(1, x + i * 8, y + i * 3);
      }
      c.pointer(0, x + 80, y + 30);
      int mid = (y + 15) * before.width() + x + 40;
      await().atMost(Duration.ofSeconds(5)).until(() -> snapshot().pixels()[mid] != before.pixels()[mid]);
      int incremental = 0;
      for (int i = 0; i < 20 && !c.shows(snapshot()); i++) {
        c.requestUpdate(true);
        List<int[]> rects = c.readUpdate();
        assertTrue(rects.stream().allMatch(r -> area.contains(new Rect(r[0], r[1], r[2], r[3]))),
            "only the canvas was sent");
        incremental++;
      }
      assertTrue(incremental > 0);
      assertTrue(c.shows(snapshot()), "the stroke is on the viewer's screen");
      assertTrue(c.shows(desktop().renderAfresh().get(5, TimeUnit.SECONDS)), "repainted all it should have");
      assertNotEquals(before.pixels()[mid], c.decoder.fb[mid]);
    }
  }

  @Test
  void typingChangesTheTextArea() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      c.setEncodings(RfbProtocol.ENC_HEXTILE);
      c.requestUpdate(false);
      c.readUpdate();
      c.catchUp(desktop());
      Rect text = desktop().layout().textArea();
      Frame before = snapshot();
      c.type('h', 'e', 'l', 'l', 'o', Keysyms.RETURN, 'x', Keysyms.BACKSPACE, 'w', 0x01000000 | 0x20ac);
      c.cutText("clipboard text is ignored politely");
      await().atMost(Duration.ofSeconds(5)).until(() -> differsIn(before, snapshot(), text));
      c.catchUp(desktop());
      assertTrue(differsIn(before, framebufferOf(c), text), "the typed text reached the viewer");
      assertTrue(c.shows(desktop().renderAfresh().get(5, TimeUnit.SECONDS)), "repainted all it should have");
    }
  }

  private static Frame framebufferOf(RfbTestClient c) {
    int[] rgb = new int[c.decoder.fb.length];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = c.decoder.pf.toRgb(c.decoder.fb[i]);
    }
    return new Frame(rgb, c.decoder.width, c.decoder.height);
  }

  private static boolean differsIn(Frame a, Frame b, Rect r) {
    for (int y = r.y(); y < r.bottom(); y++) {
      for (int x = r.x(); x < r.right(); x++) {
        if (a.rgb(x, y) != b.rgb(x, y)) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void draggingTheWindowIsSentAsCopyRect() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      c.setEncodings(RfbProtocol.ENC_COPY_RECT, RfbProtocol.ENC_ZRLE);
      c.requestUpdate(false);
      c.readUpdate();
      c.catchUp(desktop());
      Rect window = desktop().window();
      int gx = window.x() + window.w() / 2;
      int gy = window.y() + 10;
      c.pointer(1, gx, gy);
      c.pointer(1, gx - 60, gy - 40);
      c.pointer(1, gx - 130, gy - 90);
      c.pointer(0, gx - 130, gy - 90);
      await().atMost(Duration.ofSeconds(5)).until(() -> desktop().window().x() == window.x() - 130);
      c.catchUp(desktop());
      assertTrue(c.decoder.copies > 0, "the move came as a copy");
      assertEquals(window.translate(-130, -90), desktop().window());
    }
  }

  /** As noVNC does: an update after every step of the drag, each move a copy plus what it uncovered. */
  @Test
  void aSlowDragUpdatedAtEveryStepLeavesNoTrail() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      c.setEncodings(RfbProtocol.ENC_COPY_RECT, RfbProtocol.ENC_HEXTILE);
      c.requestUpdate(false);
      c.readUpdate();
      c.catchUp(desktop());
      Rect window = desktop().window();
      int gx = window.x() + 40;
      int gy = window.y() + 12;
      c.pointer(1, gx, gy);
      for (int i = 1; i <= 12; i++) {
        int step = i;
        c.pointer(1, gx - 7 * i, gy - 5 * i + (i % 3));
        await().atMost(Duration.ofSeconds(5)).until(() -> desktop().window().x() == window.x() - 7 * step);
        c.catchUp(desktop());
      }
      c.pointer(0, gx - 84, gy - 60);
      assertTrue(c.decoder.copies >= 12, "every step was a copy: " + c.decoder.copies);
      assertTrue(c.shows(snapshot()));
      assertTrue(c.shows(desktop().renderAfresh().get(5, TimeUnit.SECONDS)), "no trail left behind");
    }
  }

  @Test
  void twoViewersShareTheCanvas() throws Exception {
    int port = start(null);
    try (RfbTestClient a = new RfbTestClient(port); RfbTestClient b = new RfbTestClient(port)) {
      a.handshake(null);
      b.handshake(null);
      b.setEncodings(RfbProtocol.ENC_ZRLE);
      b.requestUpdate(false);
      b.readUpdate();
      b.catchUp(desktop());
      await().atMost(Duration.ofSeconds(5)).until(() -> countOnDesktop() == 2);
      Rect area = desktop().layout().canvasArea();
      a.pointer(1, area.x() + 10, area.y() + 10);
      a.pointer(1, area.x() + 60, area.y() + 60);
      a.pointer(0, area.x() + 60, area.y() + 60);
      Frame before = framebufferOf(b);
      await().atMost(Duration.ofSeconds(5)).until(() -> differsIn(before, snapshot(), area));
      b.catchUp(desktop());
      assertTrue(differsIn(before, framebufferOf(b), area), "b sees a's drawing");
    }
  }

  @Test
  void setDesktopSizeResizesAndIsAnswered() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      c.setEncodings(RfbProtocol.ENC_ZRLE, RfbProtocol.PSEUDO_EXTENDED_DESKTOP_SIZE, RfbProtocol.PSEUDO_DESKTOP_SIZE);
      c.requestUpdate(false);
      List<int[]> first = c.readUpdate();
      assertEquals(1, first.size(), "the layout comes alone, before any pixels");
      assertArrayEquals(new int[] {0, 0, 640, 400, RfbProtocol.PSEUDO_EXTENDED_DESKTOP_SIZE}, first.get(0));
      Screen screen = c.decoder.sizeScreens.get(0).get(0);
      c.readUpdate(); // the pixels
      c.catchUp(desktop());

      Screen asked = new Screen(screen.id(), 0, 0, 800, 500, screen.flags());
      c.setDesktopSize(800, 500, asked);
      List<int[]> answer = c.readUpdate();
      assertArrayEquals(new int[] {1, 0, 800, 500, RfbProtocol.PSEUDO_EXTENDED_DESKTOP_SIZE}, answer.get(0),
          "reason 1 (this client), status 0");
      assertEquals(List.of(asked), c.decoder.sizeScreens.get(c.decoder.sizeScreens.size() - 1));
      c.readUpdate(); // the new framebuffer, sent without being asked again
      c.catchUp(desktop());
      assertTrue(c.shows(snapshot()));
      assertEquals(800, snapshot().width());

      c.setDesktopSize(100, 50, new Screen(screen.id(), 0, 0, 100, 50, 0));
      c.requestUpdate(true);
      List<int[]> refused = c.readUpdate();
      assertEquals(RfbProtocol.EDS_STATUS_INVALID_LAYOUT, refused.get(0)[1], "too small: invalid layout");
      assertEquals(800, snapshot().width(), "unchanged");
    }
  }

  @Test
  void geometryChangeReachesDesktopSizeViewers() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      c.setEncodings(RfbProtocol.ENC_HEXTILE, RfbProtocol.PSEUDO_DESKTOP_SIZE, RfbProtocol.PSEUDO_DESKTOP_NAME);
      c.requestUpdate(false);
      c.readUpdate();
      c.catchUp(desktop());
      server.apply(new DemoSettings("127.0.0.1", server.boundAddress().getPort(), 720, 450, null, "renamed"));
      c.requestUpdate(true);
      List<int[]> resize = c.readUpdate();
      assertArrayEquals(new int[] {0, 0, 720, 450, RfbProtocol.PSEUDO_DESKTOP_SIZE}, resize.get(0));
      assertEquals(1, resize.size(), "DesktopSize comes alone");
      c.catchUp(desktop());
      assertTrue(c.shows(snapshot()));
      assertEquals("renamed", c.decoder.name, "DesktopName followed the configuration");
    }
  }

  /** A clock the test moves. */
  static final class SettableClock extends Clock {
    volatile Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void theClockTicksAndOnlyTheChangedDigitIsSent() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2024-05-14T12:34:56Z"));
    server = new DemoServer("test", clock);
    server.apply(new DemoSettings("127.0.0.1", 0, 640, 400, null, "clock"));
    try (RfbTestClient c = new RfbTestClient(server.boundAddress().getPort())) {
      c.handshake(null);
      c.setEncodings(RfbProtocol.ENC_RAW);
      c.requestUpdate(false);
      c.readUpdate();
      c.catchUp(desktop());
      Rect lastDigit = desktop().layout().clockChar(7);
      Frame before = snapshot();
      clock.now = clock.now.plusSeconds(1);
      await().atMost(Duration.ofSeconds(3)).until(() -> differsIn(before, snapshot(), lastDigit));
      c.requestUpdate(true);
      List<int[]> rects = c.readUpdate();
      assertTrue(rects.stream().allMatch(r -> lastDigit.contains(new Rect(r[0], r[1], r[2], r[3]))),
          "only the seconds' last digit changed");
      assertTrue(c.shows(desktop().renderAfresh().get(5, TimeUnit.SECONDS)));
    }
  }

  @Test
  void handshakeAndMessagesOneByteAtATime() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start("pw"))) {
      c.readVersion();
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      for (byte b : "RFB 003.008\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
        c.out.write(b);
        c.out.flush();
      }
      assertEquals(1, c.in.readUnsignedByte());
      assertEquals(2, c.in.readUnsignedByte());
      c.out.write(2);
      c.out.flush();
      byte[] challenge = new byte[16];
      c.in.readFully(challenge);
      for (byte b : VncAuth.encrypt(VncAuth.passwordBytes("pw"), challenge)) {
        c.out.write(b);
        c.out.flush();
      }
      assertEquals(0, c.in.readInt());
      c.init();
      // SetEncodings (Raw) and a full FramebufferUpdateRequest, a byte at a time
      java.io.DataOutputStream d = new java.io.DataOutputStream(bytes);
      d.writeByte(2);
      d.writeByte(0);
      d.writeShort(1);
      d.writeInt(0);
      d.writeByte(3);
      d.writeByte(0);
      d.writeShort(0);
      d.writeShort(0);
      d.writeShort(640);
      d.writeShort(400);
      for (byte b : bytes.toByteArray()) {
        c.out.write(b);
        c.out.flush();
      }
      c.readUpdate();
      c.catchUp(desktop());
    }
  }

  /** A viewer that asks and asks but does not read gets a few updates, not one per request. */
  @Test
  void aViewerThatDoesNotReadIsNotQueuedFor() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      c.setEncodings(RfbProtocol.ENC_RAW); // 1 MB per full frame
      for (int i = 0; i < 200; i++) {
        c.requestUpdate(false);
      }
      Thread.sleep(500); // the server writes what the socket takes, then holds back
      int updates = 0;
      c.socket.setSoTimeout(1000);
      try {
        for (int i = 0; i < 200; i++) {
          c.readUpdate();
          updates++;
        }
      } catch (java.net.SocketTimeoutException quiet) {
        // no more: the requests were merged
      }
      assertTrue(updates >= 1 && updates < 40, updates + " updates for 200 requests");
      assertTrue(c.shows(snapshot()));
    }
  }

  @Test
  void colourMapFormatIsRefusedByClosing() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      c.setPixelFormat(new PixelFormat(8, 8, false, false, 0, 0, 0, 0, 0, 0));
      assertThrows(IOException.class, () -> {
        for (int i = 0; i < 1000; i++) {
          c.in.readByte();
        }
      });
    }
  }

  @Test
  void noUpdateWithoutARequest() throws Exception {
    try (RfbTestClient c = new RfbTestClient(start(null))) {
      c.handshake(null);
      c.setEncodings(RfbProtocol.ENC_RAW);
      Rect area = desktop().layout().canvasArea();
      c.pointer(1, area.x() + 5, area.y() + 5);
      c.pointer(0, area.x() + 5, area.y() + 5);
      c.socket.setSoTimeout(300);
      assertThrows(java.net.SocketTimeoutException.class, c.in::readByte, "nothing unasked for");
      assertFalse(c.socket.isClosed());
    }
  }
}
