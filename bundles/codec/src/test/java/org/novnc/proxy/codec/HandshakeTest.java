package org.novnc.proxy.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server's opening handshake, RFC 6455 §4.2.1 and §4.2.2. */
class HandshakeTest {
  /** The key of RFC 6455 §1.3 and its accept value. */
  private static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  @Test
  void rfcAcceptKey() {
    assertEquals(RFC_ACCEPT, WebSocketProtocol.acceptKey(RFC_KEY));
  }

  @Test
  void rfcExampleIsAccepted() {
    HandshakeResult result = evaluate(Request.valid());
    assertTrue(result.accepted());
    assertEquals(101, result.status());
    assertEquals("Switching Protocols", result.reason());
    assertEquals("binary", result.subprotocol());
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("Upgrade", "websocket");
    expected.put("Connection", "Upgrade");
    expected.put("Sec-WebSocket-Accept", RFC_ACCEPT);
    assertEquals(List.copyOf(expected.entrySet()), List.copyOf(result.headers().entrySet()));
    assertThrows(UnsupportedOperationException.class, () -> result.headers().put("X", "y"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"POST", "HEAD", "get"})
  void onlyGet(String method) {
    Request request = Request.valid();
    request.method = method;
    assertRejected(request, 405, "Method " + method + " not allowed, only GET");
    assertEquals(Map.of("Allow", "GET"), evaluate(request).headers());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"HTTP/1.0", "HTTP/0.9", "HTTP/1", "HTTP/x.y", "SPDY/3", ""})
  void http11OrHigher(String version) {
    Request request = Request.valid();
    request.version = version;
    assertRejected(request, 400, "HTTP/1.1 or higher required, not " + version);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"HTTP/1.1", "HTTP/1.2", "HTTP/2.0"})
  void laterHttpVersions(String version) {
    Request request = Request.valid();
    request.version = version;
    assertTrue(evaluate(request).accepted());
  }

  @Test
  void hostIsRequiredOnce() {
    assertRejected(Request.valid().without("Host"), 400, "Host header missing");
    assertRejected(Request.valid().header("host", "b"), 400, "More than one Host header");
  }

  @Test
  void upgradeTokens() {
    String reason = "Upgrade header must contain websocket";
    assertRejected(Request.valid().without("Upgrade"), 400, reason);
    assertRejected(Request.valid().replace("Upgrade", "websockets"), 400, reason);
    assertRejected(Request.valid().replace("Upgrade", "h2c"), 400, reason);
    assertTrue(evaluate(Request.valid().replace("Upgrade", "WebSocket")).accepted());
    assertTrue(evaluate(Request.valid().replace("Upgrade", "h2c ,  websocket ")).accepted());
    assertTrue(evaluate(Request.valid().replace("Upgrade", "h2c").header("upgrade", "websocket"))
        .accepted());
  }

  @Test
  void connectionTokens() {
    String reason = "Connection header must contain upgrade";
    assertRejected(Request.valid().without("Connection"), 400, reason);
    assertRejected(Request.valid().replace("Connection", "keep-alive"), 400, reason);
    assertRejected(Request.valid().replace("Connection", "upgraded"), 400, reason);
    assertTrue(evaluate(Request.valid().replace("Connection", "keep-alive, Upgrade")).accepted());
    assertTrue(evaluate(Request.valid().replace("Connection", "UPGRADE")).accepted());
    Request twoLines = Request.valid().replace("Connection", "keep-alive");
    assertTrue(evaluate(twoLines.header("CONNECTION", "upgrade")).accepted());
  }

  @Test
  void version13Only() {
    assertRejected(
        Request.valid().without("Sec-WebSocket-Version"),
        426,
        "Sec-WebSocket-Version missing, 13 required");
    assertRejected(
        Request.valid().replace("Sec-WebSocket-Version", "8"),
        426,
        "Sec-WebSocket-Version 8 not supported, 13 required");
    assertRejected(
        Request.valid().header("Sec-WebSocket-Version", "8"),
        426,
        "Sec-WebSocket-Version 13, 8 not supported, 13 required");
    HandshakeResult result = evaluate(Request.valid().replace("Sec-WebSocket-Version", "7"));
    assertEquals(Map.of("Sec-WebSocket-Version", "13"), result.headers());
    assertTrue(evaluate(Request.valid().replace("Sec-WebSocket-Version", " 13 ")).accepted());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "AAAAAAAAAAAAAAAAAAAA", // 15 bytes
        "AAAAAAAAAAAAAAAAAAAAAA", // 16 bytes, unpadded
        "AAAAAAAAAAAAAAAAAAAAAAA=", // 17 bytes
        "AAAAAAAAAAAAAAAAAAAAAAAA", // 18 bytes
        "AAAAAAAAAAAAAAAAAAAA-_==", // URL-safe alphabet
        "AAAAAAAAAAAA AAAAAAAAA==", // space inside
        "",
      })
  void keyMustBe16BytesOfBase64(String key) {
    assertRejected(
        Request.valid().replace("Sec-WebSocket-Key", key),
        400,
        "Sec-WebSocket-Key must be 16 bytes of base64");
  }

  @Test
  void keyIsRequiredOnce() {
    assertRejected(
        Request.valid().without("Sec-WebSocket-Key"), 400, "Sec-WebSocket-Key header missing");
    assertRejected(
        Request.valid().header("Sec-WebSocket-Key", RFC_KEY),
        400,
        "More than one Sec-WebSocket-Key");
  }

  @Test
  void keyIsTrimmed() {
    HandshakeResult result = evaluate(Request.valid().replace("Sec-WebSocket-Key", " " + RFC_KEY));
    assertEquals(RFC_ACCEPT, result.headers().get("Sec-WebSocket-Accept"));
  }

  @Test
  void subprotocolOffered() {
    HandshakeResult result = evaluate(Request.valid().header("Sec-WebSocket-Protocol", "base64"));
    assertEquals("base64", result.subprotocol());
    assertEquals("base64", result.headers().get("Sec-WebSocket-Protocol"));
  }

  @Test
  void serverPreferenceWins() {
    // The client prefers base64; the server's list puts binary first.
    Request request = Request.valid().header("Sec-WebSocket-Protocol", "base64, binary");
    assertEquals("binary", evaluate(request).subprotocol());
    CodecSettings base64First =
        new CodecSettings(1024, 1024, List.of("base64", "binary"), 1000);
    Request binaryFirst = Request.valid().header("Sec-WebSocket-Protocol", "binary,base64");
    assertEquals("base64", Handshake.evaluate(binaryFirst, base64First).subprotocol());
  }

  @Test
  void subprotocolsOverSeveralLines() {
    Request request =
        Request.valid()
            .header("Sec-WebSocket-Protocol", "chat")
            .header("sec-websocket-protocol", " base64 ");
    HandshakeResult result = evaluate(request);
    assertEquals("base64", result.subprotocol());
    assertEquals("base64", result.headers().get("Sec-WebSocket-Protocol"));
  }

  @Test
  void noSupportedSubprotocol() {
    // Names are case-sensitive, RFC 7936.
    assertRejected(
        Request.valid().header("Sec-WebSocket-Protocol", "chat, Binary"),
        400,
        "No supported subprotocol offered: chat, Binary; supported: binary, base64");
    CodecSettings binaryOnly = new CodecSettings(1024, 1024, List.of("binary"), 1000);
    HandshakeResult result =
        Handshake.evaluate(Request.valid().header("Sec-WebSocket-Protocol", "base64"), binaryOnly);
    assertEquals(400, result.status());
    assertEquals("No supported subprotocol offered: base64; supported: binary", result.reason());
  }

  @Test
  void emptySubprotocolHeaderOffersNothing() {
    HandshakeResult result = evaluate(Request.valid().header("Sec-WebSocket-Protocol", " , "));
    assertEquals("binary", result.subprotocol());
    assertFalse(result.headers().containsKey("Sec-WebSocket-Protocol"));
  }

  @Test
  void validationOrder() {
    // Everything wrong; then fixed one rule at a time, the next rule in the order decides.
    Request request = new Request();
    request.method = "POST";
    request.version = "HTTP/1.0";
    request.header("Sec-WebSocket-Protocol", "chat");
    assertRejected(request, 405, "Method POST not allowed, only GET");
    request.method = "GET";
    assertRejected(request, 400, "HTTP/1.1 or higher required, not HTTP/1.0");
    request.version = "HTTP/1.1";
    assertRejected(request, 400, "Host header missing");
    request.header("Host", "localhost");
    assertRejected(request, 400, "Upgrade header must contain websocket");
    request.header("Upgrade", "websocket");
    assertRejected(request, 400, "Connection header must contain upgrade");
    request.header("Connection", "Upgrade");
    assertRejected(request, 426, "Sec-WebSocket-Version missing, 13 required");
    request.header("Sec-WebSocket-Version", "13");
    assertRejected(request, 400, "Sec-WebSocket-Key header missing");
    request.header("Sec-WebSocket-Key", RFC_KEY);
    assertRejected(
        request, 400, "No supported subprotocol offered: chat; supported: binary, base64");
    request.header("Sec-WebSocket-Protocol", "binary");
    assertTrue(evaluate(request).accepted());
  }

  private static HandshakeResult evaluate(Request request) {
    return Handshake.evaluate(request, CodecSettings.DEFAULTS);
  }

  private static void assertRejected(Request request, int status, String reason) {
    HandshakeResult result = evaluate(request);
    assertEquals(status, result.status(), result.reason());
    assertEquals(reason, result.reason());
    assertFalse(result.accepted());
    assertNull(result.subprotocol());
  }

  /** A request as the HTTP layer would hand it over; header names in any case. */
  private static final class Request implements HandshakeRequest {
    String method = "GET";
    String version = "HTTP/1.1";
    private final List<String[]> headers = new ArrayList<>();

    /** RFC 6455 §1.2's example request, without its subprotocols. */
    static Request valid() {
      return new Request()
          .header("Host", "server.example.com")
          .header("Upgrade", "websocket")
          .header("Connection", "Upgrade")
          .header("Sec-WebSocket-Key", RFC_KEY)
          .header("Origin", "http://example.com")
          .header("Sec-WebSocket-Version", "13");
    }

    Request header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    Request without(String name) {
      headers.removeIf(header -> header[0].equalsIgnoreCase(name));
      return this;
    }

    Request replace(String name, String value) {
      return without(name).header(name, value);
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public String protocolVersion() {
      return version;
    }

    @Override
    public String uri() {
      return "/chat";
    }

    @Override
    public List<String> headers(String name) {
      return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
    }
  }
}
