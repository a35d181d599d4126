package org.novnc.proxy.codec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * RFC 6455 constants and the two small computations every side of the protocol needs.
 *
 * <p>Base framing protocol, RFC 6455 §5.2:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 *  :                     Payload Data continued ...                :
 *  + - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - +
 *  |                     Payload Data continued ...                |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Multi-byte lengths are in network byte order. A length of 0–125 is the payload length; 126
 * means a 16-bit length follows, 127 a 64-bit length whose most significant bit is 0. The minimal
 * encoding must be used. Frames from a client are always masked; frames from a server never are.
 */
public final class WebSocketProtocol {

  /** The GUID appended to {@code Sec-WebSocket-Key} before hashing, RFC 6455 §1.3. */
  public static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  // Byte 0 of the header.
  /** The frame is the last of its message. */
  static final int B0_FLAG_FIN = 0b1000_0000;
  /** Reserved for extensions; none are negotiated, so always 0. */
  static final int B0_FLAG_RSV = 0b0111_0000;
  /** The frame's opcode. */
  static final int B0_MASK_OPCODE = 0b0000_1111;

  // Byte 1 of the header.
  /** The payload is masked and a 4-byte masking key follows the length. */
  static final int B1_FLAG_MASK = 0b1000_0000;
  /** The 7-bit payload length, or one of the two markers below. */
  static final int B1_MASK_LENGTH = 0b0111_1111;

  /** Largest length that fits the 7-bit field; also the limit for control frame payloads. */
  static final int PAYLOAD_SHORT_MAX = 125;
  /** 7-bit length marker: a 16-bit length follows. */
  static final int PAYLOAD_LENGTH_16 = 126;
  /** 7-bit length marker: a 64-bit length follows. */
  static final int PAYLOAD_LENGTH_64 = 127;
  /** Largest length that fits the 16-bit field. */
  static final int PAYLOAD_MEDIUM_MAX = 0xFFFF;

  // Opcodes, RFC 6455 §5.2 and §11.8. 0x3-0x7 and 0xB-0xF are reserved.
  /** Continues the message that the previous non-final data frame started. */
  public static final int OPCODE_CONTINUATION = 0x0;
  /** Starts a text message: UTF-8, checked by the receiver. */
  public static final int OPCODE_TEXT = 0x1;
  /** Starts a binary message. */
  public static final int OPCODE_BINARY = 0x2;
  /** Close: optional 2-byte code and UTF-8 reason, RFC 6455 §5.5.1. */
  public static final int OPCODE_CLOSE = 0x8;
  /** Ping: the peer answers with a pong carrying the same payload, §5.5.2. */
  public static final int OPCODE_PING = 0x9;
  /** Pong: an answer to a ping, or an unsolicited heartbeat, §5.5.3. */
  public static final int OPCODE_PONG = 0xA;
  /** Opcodes with this bit set are control frames, §5.5. */
  static final int OPCODE_FLAG_CONTROL = 0x8;

  // Close codes, RFC 6455 §7.4.1 and the IANA WebSocket Close Code Number Registry.
  /** The purpose of the connection has been fulfilled. */
  public static final int CLOSE_NORMAL = 1000;
  /** An endpoint is going away: server shutting down, browser leaving the page. */
  public static final int CLOSE_GOING_AWAY = 1001;
  /** The peer broke the framing rules. */
  public static final int CLOSE_PROTOCOL_ERROR = 1002;
  /** A message of a type the endpoint cannot accept. */
  public static final int CLOSE_UNSUPPORTED_DATA = 1003;
  /** Never sent: stands for a close frame that carried no code. */
  public static final int CLOSE_NO_STATUS = 1005;
  /** Never sent: stands for a connection lost without a close frame. */
  public static final int CLOSE_ABNORMAL = 1006;
  /** A text message or close reason that is not UTF-8, or a payload the subprotocol rejects. */
  public static final int CLOSE_INVALID_PAYLOAD = 1007;
  /** A message that violates the endpoint's policy. */
  public static final int CLOSE_POLICY_VIOLATION = 1008;
  /** A frame or message larger than the endpoint accepts. */
  public static final int CLOSE_TOO_BIG = 1009;
  /** Client only: the server did not negotiate an extension the client requires. */
  public static final int CLOSE_MANDATORY_EXTENSION = 1010;
  /** The server met a condition that kept it from fulfilling the request. */
  public static final int CLOSE_INTERNAL_ERROR = 1011;
  /** The server is overloaded; the client should reconnect later. */
  public static final int CLOSE_TRY_AGAIN_LATER = 1013;
  /** The proxy could not reach, or lost, its upstream (here: the VNC server). */
  public static final int CLOSE_BAD_GATEWAY = 1014;

  private WebSocketProtocol() {}

  /**
   * Returns the {@code Sec-WebSocket-Accept} value for a client's {@code Sec-WebSocket-Key}:
   * base64(SHA-1(key + GUID)), RFC 6455 §4.2.2. The key is used as given, without trimming.
   */
  public static String acceptKey(String secWebSocketKey) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] keyAndGuid = (secWebSocketKey + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII);
      return Base64.getEncoder().encodeToString(sha1.digest(keyAndGuid));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }

  /**
   * Whether a close code may appear in a close frame, RFC 6455 §7.4 and the IANA registry: the
   * assigned codes 1000–1003 and 1007–1014, and the application ranges 3000–4999. 1004 is
   * reserved, 1005, 1006 and 1015 stand for conditions and are never sent, everything else below
   * 3000 is unassigned and 5000 and up is undefined.
   */
  public static boolean isValidCloseCodeOnWire(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }

  /** Whether an opcode is a control opcode (close, ping, pong or reserved 0xB-0xF), §5.5. */
  static boolean isControl(int opcode) {
    return (opcode & OPCODE_FLAG_CONTROL) != 0;
  }

  /** Whether an opcode is one that RFC 6455 defines. */
  static boolean isDefined(int opcode) {
    return opcode <= OPCODE_BINARY || (opcode >= OPCODE_CLOSE && opcode <= OPCODE_PONG);
  }
}
