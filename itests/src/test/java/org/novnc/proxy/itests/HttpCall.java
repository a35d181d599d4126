package org.novnc.proxy.itests;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One plain HTTP/1.1 request to a relay port on loopback and its answer (head and Content-Length body). */
public final class HttpCall {
  public final int status;
  public final String head;
  public final String body;

  private HttpCall(int status, String head, String body) {
    this.status = status;
    this.head = head;
    this.body = body;
  }

  /** The value of header {@code name} in the answer, or null. */
  public String header(String name) {
    Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ": *([^\r\n]*)").matcher(head);
    return m.find() ? m.group(1) : null;
  }

  public static HttpCall get(int port, String path, String extraHeaders) throws IOException {
    return send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + extraHeaders + "Connection: close\r\n\r\n");
  }

  /** A form POST ({@code application/x-www-form-urlencoded}). */
  public static HttpCall post(int port, String path, String form, String extraHeaders) throws IOException {
    byte[] body = form.getBytes(StandardCharsets.UTF_8);
    return send(port, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + extraHeaders
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n" + form);
  }

  private static HttpCall send(int port, String request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      DataInputStream in = new DataInputStream(s.getInputStream());
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.readUnsignedByte());
      }
      String h = head.toString();
      Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
      byte[] body;
      if (m.find()) {
        body = new byte[Integer.parseInt(m.group(1))];
        in.readFully(body);
      } else {
        body = readAll(in);
      }
      return new HttpCall(Integer.parseInt(h.substring(9, 12)), h, new String(body, StandardCharsets.UTF_8));
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return head.toLowerCase(Locale.ROOT).startsWith("http") ? head + body : body;
  }
}
