package org.novnc.proxy.codec;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's half of the opening handshake, RFC 6455 §4.2: decides whether a client's request
 * upgrades to a WebSocket, and which websockify subprotocol it speaks.
 *
 * <p>The request is checked in this fixed order; the first failure decides the answer:
 *
 * <ol>
 *   <li>the method is {@code GET}, else 405 with {@code Allow: GET};
 *   <li>the protocol is HTTP/1.1 or higher, else 400;
 *   <li>there is exactly one {@code Host} header, else 400;
 *   <li>the {@code Upgrade} tokens include {@code websocket}, any case, else 400;
 *   <li>the {@code Connection} tokens include {@code upgrade}, any case, else 400;
 *   <li>{@code Sec-WebSocket-Version} is 13, else 426 with {@code Sec-WebSocket-Version: 13};
 *       checked before the key so that a client of an older draft, which sends no such key, learns
 *       which version to speak;
 *   <li>there is exactly one {@code Sec-WebSocket-Key}, the base64 of 16 bytes, else 400;
 *   <li>if the client offers subprotocols, one of them is in {@link CodecSettings#subprotocols()},
 *       else 400.
 * </ol>
 *
 * <p>Token lists may be spread over several header lines, comma separated; tokens are trimmed.
 * Subprotocol names are compared exactly (RFC 7936); the server's preference order wins. A client
 * that offers none speaks {@code binary}, and the answer then names no subprotocol.
 */
public final class Handshake {
  private static final String WEBSOCKET_VERSION = "13";

  private Handshake() {}

  /** Evaluates {@code request} against RFC 6455 §4.2.1 and {@code settings}. */
  public static HandshakeResult evaluate(HandshakeRequest request, CodecSettings settings) {
    String method = request.method();
    if (!"GET".equals(method)) {
      return reject(405, "Method " + method + " not allowed, only GET", "Allow", "GET");
    }
    String version = request.protocolVersion();
    if (!isHttp11OrHigher(version)) {
      return badRequest("HTTP/1.1 or higher required, not " + version);
    }
    List<String> host = request.headers("Host");
    if (host.size() != 1) {
      return badRequest(host.isEmpty() ? "Host header missing" : "More than one Host header");
    }
    if (!containsIgnoreCase(tokens(request.headers("Upgrade")), "websocket")) {
      return badRequest("Upgrade header must contain websocket");
    }
    if (!containsIgnoreCase(tokens(request.headers("Connection")), "upgrade")) {
      return badRequest("Connection header must contain upgrade");
    }
    List<String> versions = request.headers("Sec-WebSocket-Version");
    if (versions.size() != 1 || !WEBSOCKET_VERSION.equals(versions.get(0).trim())) {
      String offered =
          versions.isEmpty() ? "missing" : String.join(", ", versions) + " not supported";
      return reject(
          426,
          "Sec-WebSocket-Version " + offered + ", 13 required",
          "Sec-WebSocket-Version",
          WEBSOCKET_VERSION);
    }
    List<String> keys = request.headers("Sec-WebSocket-Key");
    if (keys.size() != 1) {
      return badRequest(
          keys.isEmpty() ? "Sec-WebSocket-Key header missing" : "More than one Sec-WebSocket-Key");
    }
    String key = keys.get(0).trim();
    if (!isNonce(key)) {
      return badRequest("Sec-WebSocket-Key must be 16 bytes of base64");
    }
    List<String> offered = tokens(request.headers("Sec-WebSocket-Protocol"));
    String subprotocol = offered.isEmpty() ? CodecSettings.BINARY : choose(offered, settings);
    if (subprotocol == null) {
      return badRequest(
          "No supported subprotocol offered: "
              + String.join(", ", offered)
              + "; supported: "
              + String.join(", ", settings.subprotocols()));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Upgrade", "websocket");
    headers.put("Connection", "Upgrade");
    headers.put("Sec-WebSocket-Accept", WebSocketProtocol.acceptKey(key));
    if (!offered.isEmpty()) {
      headers.put("Sec-WebSocket-Protocol", subprotocol);
    }
    return new HandshakeResult(101, "Switching Protocols", headers, subprotocol);
  }

  /** The first of the server's subprotocols that the client offered, or null. */
  private static String choose(List<String> offered, CodecSettings settings) {
    for (String supported : settings.subprotocols()) {
      if (offered.contains(supported)) {
        return supported;
      }
    }
    return null;
  }

  /** {@code HTTP/major.minor} with (major, minor) at least (1, 1). */
  private static boolean isHttp11OrHigher(String version) {
    if (version == null || !version.startsWith("HTTP/")) {
      return false;
    }
    String[] numbers = version.substring("HTTP/".length()).split("\\.", -1);
    try {
      int major = Integer.parseInt(numbers[0]);
      int minor = numbers.length > 1 ? Integer.parseInt(numbers[1]) : 0;
      return numbers.length <= 2 && (major > 1 || (major == 1 && minor >= 1));
    } catch (NumberFormatException e) {
      return false; // not a version at all: as bad as HTTP/1.0
    }
  }

  /** RFC 6455 §4.1: a randomly selected 16-byte value that has been base64-encoded. */
  private static boolean isNonce(String key) {
    if (key.length() != 24) {
      return false; // 16 bytes make 22 characters and "==": unpadded keys are not accepted
    }
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false; // a character outside the base64 alphabet
    }
  }

  /** The comma-separated tokens of all header lines, trimmed, empty ones dropped. */
  private static List<String> tokens(List<String> lines) {
    List<String> tokens = new ArrayList<>();
    for (String line : lines) {
      for (String token : line.split(",")) {
        String trimmed = token.trim();
        if (!trimmed.isEmpty()) {
          tokens.add(trimmed);
        }
      }
    }
    return tokens;
  }

  private static boolean containsIgnoreCase(List<String> tokens, String wanted) {
    for (String token : tokens) {
      if (token.equalsIgnoreCase(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static HandshakeResult badRequest(String reason) {
    return new HandshakeResult(400, reason, Map.of(), null);
  }

  private static HandshakeResult reject(int status, String reason, String header, String value) {
    return new HandshakeResult(status, reason, Map.of(header, value), null);
  }
}
