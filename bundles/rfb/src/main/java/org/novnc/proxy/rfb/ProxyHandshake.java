package org.novnc.proxy.rfb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The RFB handshake with the proxy in the middle (RFC 6143 section 7.1 and 7.3.1): towards the
 * server the proxy is the client and answers its security itself (VNC Authentication with the
 * password it holds, or None); towards the browser it is a server that offers security type None
 * only. Neither the password nor the DES response ever goes towards the browser. A server that
 * refuses gets the browser a failure carrying the server's reason. It ends once the browser's
 * ClientInit has gone to the server (its shared flag forced on when asked) and the server's
 * ServerInit to the browser; the bytes after that are the sessions's, passed through.
 *
 * <p>Non-blocking and resumable at any byte: {@link #fromServer} and {@link #fromClient} take what
 * has arrived, keep partial messages, and return how many bytes they consumed (the rest, after the
 * end of the handshake, belongs to the session).
 */
public final class ProxyHandshake {
  /** Where the handshake writes. */
  public interface Output {
    void toServer(byte[] bytes);

    void toClient(byte[] bytes);
  }

  private static final int NONE = 1;
  private static final int VNC_AUTH = 2;
  private static final int VENCRYPT = 19;
  private static final int VENCRYPT_PLAIN = 256;
  private static final int MAX_REASON = 64 * 1024;
  private static final int MAX_NAME = 64 * 1024;

  private enum Server { VERSION, TYPES_33, TYPE_COUNT, TYPES, REASON_LENGTH, REASON, CHALLENGE, RESULT, RESULT_REASON_LENGTH,
    RESULT_REASON, VENCRYPT_VERSION, VENCRYPT_ACK, VENCRYPT_COUNT, VENCRYPT_SUBTYPES, AUTHENTICATED, SERVER_INIT, SERVER_INIT_NAME,
    DONE, FAILED }

  private enum Client { VERSION, WAITING, CHOICE, CLIENT_INIT, DONE }

  private final byte[] password;
  /** For VeNCrypt Plain: the user name and the whole password (not cut to VNC's 8 bytes), UTF-8. */
  private final byte[] plainUser;
  private final byte[] plainPassword;
  private final boolean forceShared;
  private final Output out;
  private Server server = Server.VERSION;
  private Client client = Client.VERSION;
  private int serverMinor;
  private int clientMinor;
  private final Accumulator fromServer = new Accumulator();
  private final Accumulator fromClient = new Accumulator();
  private int typeCount;
  private int reasonLength;
  private String failure;
  private boolean failureSent;
  private byte[] serverInitHead;
  private byte[] serverInit;
  private final List<Integer> offered = new ArrayList<>();

  /**
   * @param password the password for VNC Authentication, or null (only None can then be answered);
   *     copied and cleared by {@link #close()}
   * @param forceShared whether the ClientInit sent to the server always asks to share the desktop
   *     (a view-only viewer never disconnects others)
   */
  public ProxyHandshake(char[] password, boolean forceShared, Output out) {
    this(null, password, forceShared, out);
  }

  /**
   * @param username for VeNCrypt Plain (with {@code password}), or null: only None and VNC
   *     Authentication can then be answered
   */
  public ProxyHandshake(String username, char[] password, boolean forceShared, Output out) {
    this.password = password == null ? null : VncAuth.passwordBytes(password);
    this.plainUser = username == null || password == null ? null : username.getBytes(StandardCharsets.UTF_8);
    this.plainPassword = plainUser == null ? null : utf8(password);
    this.forceShared = forceShared;
    this.out = out;
  }

  private static byte[] utf8(char[] chars) {
    java.nio.ByteBuffer b = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    if (b.hasArray()) {
      Arrays.fill(b.array(), (byte) 0);
    }
    return bytes;
  }

  /** Sends the proxy's ProtocolVersion to the browser; call once, when the session starts. */
  public void start() {
    out.toClient(version(8));
  }

  /** Whether the handshake is over: the rest of both streams belongs to the session. */
  public boolean done() {
    return server == Server.DONE && client == Client.DONE;
  }

  /** Why the server's side failed (the browser has been told, or will be), or null. */
  public String failure() {
    return failure;
  }

  /** Whether the browser has been told of the failure: the session can end. */
  public boolean failureSent() {
    return failureSent;
  }

  /** Clears the password. */
  public void close() {
    if (password != null) {
      Arrays.fill(password, (byte) 0);
    }
    if (plainPassword != null) {
      Arrays.fill(plainPassword, (byte) 0);
    }
  }

  /** Takes bytes from the server; returns how many were part of the handshake. */
  public int fromServer(ByteBuffer buf) throws RfbException {
    int start = buf.position();
    int pos = start;
    while (pos < buf.limit() && server != Server.DONE && server != Server.FAILED) {
      int need = serverNeed();
      if (need == 0) {
        throw new RfbException("the server sent data before the viewer's ClientInit");
      }
      pos += fromServer.take(buf, pos, need);
      if (fromServer.size() == need) {
        serverMessage(fromServer.drain());
      }
    }
    return pos - start;
  }

  /** Takes bytes from the browser; returns how many were part of the handshake. */
  public int fromClient(ByteBuffer buf) throws RfbException {
    int start = buf.position();
    int pos = start;
    while (pos < buf.limit() && client != Client.DONE) {
      int need = clientNeed();
      if (need == 0) {
        throw new RfbException("the viewer sent data before the handshake asked for it");
      }
      pos += fromClient.take(buf, pos, need);
      if (fromClient.size() == need) {
        clientMessage(fromClient.drain());
      }
    }
    return pos - start;
  }

  private int serverNeed() {
    return switch (server) {
      case VERSION -> 12;
      case TYPES_33, RESULT, REASON_LENGTH, RESULT_REASON_LENGTH -> 4;
      case TYPE_COUNT -> 1;
      case TYPES -> typeCount;
      case REASON, RESULT_REASON -> reasonLength;
      case CHALLENGE -> VncAuth.CHALLENGE_LENGTH;
      case SERVER_INIT -> 24;
      case VENCRYPT_VERSION -> 2;
      case VENCRYPT_ACK, VENCRYPT_COUNT -> 1;
      case VENCRYPT_SUBTYPES -> 4 * typeCount;
      case SERVER_INIT_NAME -> reasonLength;
      default -> 0;
    };
  }

  private int clientNeed() {
    return switch (client) {
      case VERSION -> 12;
      case CHOICE, CLIENT_INIT -> 1;
      default -> 0;
    };
  }

  private void serverMessage(byte[] m) throws RfbException {
    switch (server) {
      case VERSION -> {
        serverMinor = minor(m, "server");
        out.toServer(version(serverMinor));
        server = serverMinor == 3 ? Server.TYPES_33 : Server.TYPE_COUNT;
      }
      case TYPES_33 -> {
        int type = u32(m, 0);
        if (type == 0) {
          server = Server.REASON_LENGTH;
        } else {
          security(type);
        }
      }
      case TYPE_COUNT -> {
        typeCount = m[0] & 0xFF;
        server = typeCount == 0 ? Server.REASON_LENGTH : Server.TYPES;
      }
      case TYPES -> {
        for (byte b : m) {
          offered.add(b & 0xFF);
        }
        int chosen = password != null && offered.contains(VNC_AUTH) ? VNC_AUTH
            : plainUser != null && offered.contains(VENCRYPT) ? VENCRYPT
            : offered.contains(NONE) ? NONE : -1;
        if (chosen < 0) {
          fail("the server offers security types " + offered + "; the proxy answers None (1), VNC Authentication (2) and "
              + "VeNCrypt Plain (19)" + (offered.contains(VNC_AUTH) && password == null ? " and holds no password for it (target.password.file)"
              : offered.contains(VENCRYPT) && plainUser == null ? " and holds no user name and password for it (target.username)" : ""));
          return;
        }
        out.toServer(new byte[] {(byte) chosen});
        security(chosen);
      }
      case REASON_LENGTH, RESULT_REASON_LENGTH -> {
        reasonLength = u32(m, 0);
        if (reasonLength < 0 || reasonLength > MAX_REASON) {
          throw new RfbException("the server's reason is " + reasonLength + " bytes long");
        }
        server = server == Server.REASON_LENGTH ? Server.REASON : Server.RESULT_REASON;
        if (reasonLength == 0) {
          fail("the server refused: (no reason given)");
        }
      }
      case REASON, RESULT_REASON -> fail("the server refused: " + new String(m, StandardCharsets.UTF_8));
      case VENCRYPT_VERSION -> {
        if (m[0] != 0 || (m[1] & 0xFF) < 2) {
          fail("the server speaks VeNCrypt " + m[0] + "." + m[1] + "; the proxy speaks 0.2");
          return;
        }
        out.toServer(new byte[] {0, 2});
        server = Server.VENCRYPT_ACK;
      }
      case VENCRYPT_ACK -> {
        if (m[0] != 0) {
          fail("the server refused VeNCrypt 0.2");
          return;
        }
        server = Server.VENCRYPT_COUNT;
      }
      case VENCRYPT_COUNT -> {
        typeCount = m[0] & 0xFF;
        if (typeCount == 0) {
          fail("the server offers no VeNCrypt subtype");
          return;
        }
        server = Server.VENCRYPT_SUBTYPES;
      }
      case VENCRYPT_SUBTYPES -> {
        List<Integer> subtypes = new ArrayList<>();
        for (int i = 0; i < typeCount; i++) {
          subtypes.add(u32(m, 4 * i));
        }
        if (!subtypes.contains(VENCRYPT_PLAIN)) {
          fail("the server offers VeNCrypt subtypes " + subtypes + "; the proxy answers Plain (256) only (TLS to servers is to come)");
          return;
        }
        out.toServer(u32(VENCRYPT_PLAIN));
        out.toServer(concat(concat(u32(plainUser.length), u32(plainPassword.length)), concat(plainUser, plainPassword)));
        server = Server.RESULT;
      }
      case CHALLENGE -> {
        byte[] response = VncAuth.response(password, m);
        out.toServer(response);
        server = Server.RESULT;
      }
      case RESULT -> {
        if (u32(m, 0) == 0) {
          authenticated();
        } else if (serverMinor >= 8) {
          server = Server.RESULT_REASON_LENGTH;
        } else {
          fail("the server refused the proxy's authentication");
        }
      }
      case SERVER_INIT -> {
        reasonLength = u32(m, 20);
        if (reasonLength < 0 || reasonLength > MAX_NAME) {
          throw new RfbException("the server's desktop name is " + reasonLength + " bytes long");
        }
        serverInitHead = m;
        server = Server.SERVER_INIT_NAME;
        if (reasonLength == 0) {
          serverInit(new byte[0]);
        }
      }
      case SERVER_INIT_NAME -> serverInit(m);
      default -> throw new IllegalStateException(server.name());
    }
  }

  private void serverInit(byte[] name) {
    byte[] all = Arrays.copyOf(serverInitHead, 24 + name.length);
    System.arraycopy(name, 0, all, 24, name.length);
    serverInit = all;
    out.toClient(all);
    server = Server.DONE;
  }

  /** The server's ServerInit as passed to the browser (geometry, pixel format, name), or null before it. */
  public byte[] serverInit() {
    return serverInit == null ? null : serverInit.clone();
  }

  private void security(int type) throws RfbException {
    if (type == VENCRYPT) {
      server = Server.VENCRYPT_VERSION;
      return;
    }
    if (type == VNC_AUTH) {
      if (password == null) {
        fail("the server asks for VNC Authentication and the proxy holds no password for it (target.password.file)");
        return;
      }
      server = Server.CHALLENGE;
    } else if (type == NONE) {
      if (serverMinor >= 8) {
        server = Server.RESULT; // 3.8 sends a SecurityResult after None too
      } else {
        authenticated();
      }
    } else {
      fail("the server chose security type " + type + ", which the proxy cannot answer");
    }
  }

  private void authenticated() {
    server = Server.AUTHENTICATED;
    offerClient();
  }

  private void fail(String why) {
    failure = why;
    server = Server.FAILED;
    offerClient();
  }

  private void clientMessage(byte[] m) throws RfbException {
    switch (client) {
      case VERSION -> {
        clientMinor = minor(m, "viewer");
        client = Client.WAITING;
        offerClient();
      }
      case CHOICE -> {
        if ((m[0] & 0xFF) != NONE) {
          throw new RfbException("the viewer chose security type " + (m[0] & 0xFF) + "; the proxy offered None (1) only");
        }
        if (failure != null) {
          out.toClient(concat(u32(1), reason(failure)));
          failureSent = true;
          client = Client.DONE;
          return;
        }
        if (clientMinor >= 8) {
          out.toClient(u32(0));
        }
        client = Client.CLIENT_INIT;
      }
      case CLIENT_INIT -> {
        out.toServer(new byte[] {forceShared ? 1 : m[0]});
        server = Server.SERVER_INIT;
        client = Client.DONE;
      }
      default -> throw new IllegalStateException(client.name());
    }
  }

  /** Once the viewer has said its version and the server's side is decided, the viewer is offered None (or told the failure). */
  private void offerClient() {
    if (client != Client.WAITING || (server != Server.AUTHENTICATED && server != Server.FAILED)) {
      return;
    }
    if (clientMinor == 3) {
      if (failure != null) {
        out.toClient(concat(u32(0), reason(failure)));
        failureSent = true;
        client = Client.DONE;
      } else {
        out.toClient(u32(NONE));
        client = Client.CLIENT_INIT;
      }
    } else if (failure != null && clientMinor == 7) {
      out.toClient(concat(new byte[] {0}, reason(failure)));
      failureSent = true;
      client = Client.DONE;
    } else {
      out.toClient(new byte[] {1, NONE});
      client = Client.CHOICE;
    }
  }

  /** 3, 7 or 8 from a ProtocolVersion message; later versions are spoken as 3.8, as RFC 6143 says. */
  private static int minor(byte[] m, String who) throws RfbException {
    String v = new String(m, StandardCharsets.US_ASCII);
    if (!v.matches("RFB \\d{3}\\.\\d{3}\n")) {
      throw new RfbException("the " + who + " sent no RFB ProtocolVersion");
    }
    int major = Integer.parseInt(v.substring(4, 7));
    int minor = Integer.parseInt(v.substring(8, 11));
    if (major < 3 || (major == 3 && minor < 3)) {
      throw new RfbException("the " + who + " speaks RFB " + major + "." + minor + ", older than 3.3");
    }
    if (major > 3 || minor >= 8) {
      return 8;
    }
    return minor >= 7 ? 7 : 3; // 3.4 to 3.6 (e.g. UltraVNC's 3.4) are 3.3
  }

  private static byte[] version(int minor) {
    return ("RFB 003.00" + minor + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] reason(String text) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    return concat(u32(t.length), t);
  }

  private static byte[] u32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  private static int u32(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** The bytes of one message as they arrive. */
  private static final class Accumulator {
    private byte[] bytes = new byte[32];
    private int size;

    /** Copies up to {@code need - size} bytes from {@code buf} at {@code pos}; returns how many. */
    int take(ByteBuffer buf, int pos, int need) {
      int n = Math.min(need - size, buf.limit() - pos);
      if (size + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
      }
      for (int i = 0; i < n; i++) {
        bytes[size + i] = buf.get(pos + i);
      }
      size += n;
      return n;
    }

    int size() {
      return size;
    }

    byte[] drain() {
      byte[] m = Arrays.copyOf(bytes, size);
      Arrays.fill(bytes, 0, size, (byte) 0); // a challenge or a reason: nothing kept
      size = 0;
      return m;
    }
  }
}
