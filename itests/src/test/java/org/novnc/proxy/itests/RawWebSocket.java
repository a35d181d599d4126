package org.novnc.proxy.itests;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A WebSocket client on a plain socket or a TLS socket that trusts any certificate (the tests'
 * certificates are self-signed), for what the JDK client cannot show: the raw HTTP answer and
 * the TLS session.
 */
public final class RawWebSocket implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private String responseHead;
  /** Bytes of a frame that {@link #receiveBytes} read beyond what was asked. */
  private byte[] leftover = new byte[0];

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    this.in = new DataInputStream(socket.getInputStream());
  }

  public static RawWebSocket plain(int port) throws IOException {
    return new RawWebSocket(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  public static RawWebSocket tls(int port) throws Exception {
    return tls(port, null);
  }

  /** TLS presenting the client certificate of {@code keys} (null: none); any server certificate is trusted. */
  public static RawWebSocket tls(int port, javax.net.ssl.KeyManager[] keys) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keys, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(10_000);
    s.startHandshake();
    return new RawWebSocket(s);
  }

  public SSLSocket tlsSocket() {
    return (SSLSocket) socket;
  }

  /** Sends the upgrade request; returns the status code of the answer (101 when accepted). */
  public int handshake(String path, String origin) throws IOException {
    return handshake(path, origin, "");
  }

  /** The upgrade with more header lines ({@code "Cookie: a=b\r\n"}); returns the status code of the answer. */
  public int handshake(String path, String origin, String extraHeaders) throws IOException {
    String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + socket.getPort() + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n") + extraHeaders + "\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
    }
    responseHead = head.toString();
    return Integer.parseInt(responseHead.substring(9, 12));
  }

  public String responseHead() {
    return responseHead;
  }

  /** The body of a refused upgrade (its Content-Length bytes). */
  public String responseBody() throws IOException {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(responseHead);
    byte[] body = new byte[m.find() ? Integer.parseInt(m.group(1)) : 0];
    in.readFully(body);
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Sends one masked binary frame (mask key 0x01020304) of a short payload. */
  public void send(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
    if (payload.length > 125) {
      throw new IllegalArgumentException("short payloads only");
    }
    byte[] mask = {1, 2, 3, 4};
    byte[] frame = new byte[6 + payload.length];
    frame[0] = (byte) 0x82;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    socket.getOutputStream().write(frame);
  }

  /** Sends one masked binary frame of any length (mask key 0x01020304). */
  public void sendBinary(byte[] payload) throws IOException {
    java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream(payload.length + 14);
    frame.write(0x82);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift));
      }
    }
    byte[] mask = {1, 2, 3, 4};
    frame.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    socket.getOutputStream().write(frame.toByteArray());
  }

  /** Reads until the proxy closes the connection; returns the code of its close frame, or -1 if none came. */
  public int awaitClose() throws IOException {
    while (true) {
      int op;
      try {
        op = in.readUnsignedByte();
      } catch (java.io.EOFException e) {
        return -1;
      }
      int len = in.readUnsignedByte() & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = (int) in.readLong();
      }
      byte[] payload = new byte[len];
      in.readFully(payload);
      if ((op & 0x0f) == 0x8) {
        return len >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
      }
    }
  }

  /** Reads binary frames until {@code n} payload bytes have arrived; returns exactly those (the rest waits for the next call). */
  public byte[] receiveBytes(int n) throws IOException {
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    got.write(leftover, 0, leftover.length);
    leftover = new byte[0];
    while (got.size() < n) {
      int op = in.readUnsignedByte();
      int len = in.readUnsignedByte() & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = (int) in.readLong();
      }
      byte[] payload = new byte[len];
      in.readFully(payload);
      if ((op & 0x0f) == 0x8) {
        throw new IOException("closed by the proxy after " + got.size() + " bytes: " + new String(payload, 2, Math.max(0, len - 2), StandardCharsets.UTF_8));
      }
      got.write(payload, 0, len);
    }
    byte[] all = got.toByteArray();
    leftover = java.util.Arrays.copyOfRange(all, n, all.length); // the rest of the last frame, for the next call
    return java.util.Arrays.copyOf(all, n);
  }

  /** Reads binary frames until {@code n} payload bytes have arrived. */
  public String receive(int n) throws IOException {
    StringBuilder got = new StringBuilder();
    while (got.length() < n) {
      int op = in.readUnsignedByte();
      int len = in.readUnsignedByte() & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      }
      byte[] payload = new byte[len];
      in.readFully(payload);
      if ((op & 0x0f) == 0x8) {
        throw new IOException("closed by the proxy after '" + got + "'");
      }
      got.append(new String(payload, StandardCharsets.US_ASCII));
    }
    return got.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
