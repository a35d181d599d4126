package org.novnc.proxy.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A VNC viewer made of a plain socket, for the protocol tests. Every read times out after 5 s. */
final class RfbTestClient implements Closeable {
  final Socket socket;
  final DataInputStream in;
  final DataOutputStream out;
  int width;
  int height;
  String name;
  RfbDecoder decoder;

  RfbTestClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(5000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    out = new DataOutputStream(socket.getOutputStream());
  }

  String readVersion() throws IOException {
    byte[] v = new byte[12];
    in.readFully(v);
    return new String(v, StandardCharsets.US_ASCII);
  }

  void sendVersion(String version) throws IOException {
    out.write(version.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  String readString() throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** 3.8 handshake up to ServerInit: None when {@code password} is null, else VNC Authentication. */
  void handshake(String password) throws IOException {
    assertEquals("RFB 003.008\n", readVersion());
    sendVersion("RFB 003.008\n");
    int count = in.readUnsignedByte();
    assertEquals(1, count, "one security type offered");
    int type = in.readUnsignedByte();
    assertEquals(password == null ? 1 : 2, type);
    out.writeByte(type);
    out.flush();
    if (type == 2) {
      answerChallenge(password);
    }
    assertEquals(0, in.readInt(), "SecurityResult OK");
    init();
  }

  void answerChallenge(String password) throws IOException {
    byte[] challenge = new byte[16];
    in.readFully(challenge);
    out.write(VncAuth.encrypt(VncAuth.passwordBytes(password), challenge));
    out.flush();
  }

  /** ClientInit (shared) and ServerInit. */
  void init() throws IOException {
    out.writeByte(1);
    out.flush();
    width = in.readUnsignedShort();
    height = in.readUnsignedShort();
    byte[] format = new byte[16];
    in.readFully(format);
    name = readString();
    decoder = new RfbDecoder(PixelFormat.SERVER, width, height);
  }

  void setPixelFormat(PixelFormat pf) throws IOException {
    out.writeByte(0);
    out.write(new byte[3]);
    io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer(16);
    pf.write(b);
    out.write(io.netty.buffer.ByteBufUtil.getBytes(b));
    b.release();
    out.flush();
    RfbDecoder old = decoder;
    decoder = new RfbDecoder(pf, old.width, old.height);
  }

  void setEncodings(int... encodings) throws IOException {
    out.writeByte(2);
    out.writeByte(0);
    out.writeShort(encodings.length);
    for (int e : encodings) {
      out.writeInt(e);
    }
    out.flush();
  }

  void requestUpdate(boolean incremental) throws IOException {
    out.writeByte(3);
    out.writeByte(incremental ? 1 : 0);
    out.writeShort(0);
    out.writeShort(0);
    out.writeShort(decoder.width);
    out.writeShort(decoder.height);
    out.flush();
  }

  void pointer(int buttons, int x, int y) throws IOException {
    out.writeByte(5);
    out.writeByte(buttons);
    out.writeShort(x);
    out.writeShort(y);
    out.flush();
  }

  void key(boolean down, int keysym) throws IOException {
    out.writeByte(4);
    out.writeByte(down ? 1 : 0);
    out.writeShort(0);
    out.writeInt(keysym);
    out.flush();
  }

  void type(int... keysyms) throws IOException {
    for (int k : keysyms) {
      key(true, k);
      key(false, k);
    }
  }

  void setDesktopSize(int w, int h, Screen... screens) throws IOException {
    out.writeByte(251);
    out.writeByte(0);
    out.writeShort(w);
    out.writeShort(h);
    out.writeByte(screens.length);
    out.writeByte(0);
    for (Screen s : screens) {
      out.writeInt(s.id());
      out.writeShort(s.x());
      out.writeShort(s.y());
      out.writeShort(s.width());
      out.writeShort(s.height());
      out.writeInt(s.flags());
    }
    out.flush();
  }

  void cutText(String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    out.writeByte(6);
    out.write(new byte[3]);
    out.writeInt(b.length);
    out.write(b);
    out.flush();
  }

  List<int[]> readUpdate() throws IOException {
    return decoder.readUpdate(in);
  }

  /** Whether this viewer's framebuffer shows exactly {@code frame} (in its pixel format). */
  boolean shows(Frame frame) {
    if (frame.width() != decoder.width || frame.height() != decoder.height) {
      return false;
    }
    for (int y = 0; y < frame.height(); y++) {
      for (int x = 0; x < frame.width(); x++) {
        if (decoder.get(x, y) != decoder.pf.fromRgb(frame.rgb(x, y))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Asks for incremental updates until this viewer shows what the desktop shows. A difference means
   * the server owes an update, so each request is answered; bounded in count and time.
   */
  void catchUp(Desktop desktop) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (int i = 0; i < 50 && System.nanoTime() < deadline; i++) {
      if (shows(desktop.snapshot().get(5, TimeUnit.SECONDS))) {
        return;
      }
      requestUpdate(true);
      readUpdate();
    }
    fail("the viewer never caught up with the desktop");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
