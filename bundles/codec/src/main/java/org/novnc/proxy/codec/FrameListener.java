package org.novnc.proxy.codec;

import java.nio.ByteBuffer;

/**
 * What a {@link FrameDecoder} found in the bytes it was given. Called on the decoding thread,
 * before {@link FrameDecoder#decode} returns. The decoder answers nothing itself: the listener
 * sends pongs and the closing handshake's reply, via {@link FrameEncoder}.
 */
public interface FrameListener {

  /**
   * A chunk of a data message's payload, unmasked in place, as soon as it arrived.
   *
   * <p>{@code payload} is a view of the very memory of the buffer passed to {@code decode}, not a
   * slice: its position and limit are absolute positions in that buffer, so {@code
   * payload.position() - inputStart} is the chunk's offset in the caller's own buffer. It is valid
   * until the caller reuses that buffer; keep a reference only as long as the buffer itself.
   *
   * <p>A frame split over several reads arrives as several chunks. An empty frame arrives as one
   * empty chunk, so message boundaries are always visible.
   *
   * @param text whether the message is a text message (UTF-8, already checked) or binary; the
   *     same for every chunk of a message
   * @param messageStart whether this is the first chunk of a message
   * @param messageEnd whether this is the last chunk of the message's final frame
   */
  void onData(ByteBuffer payload, boolean text, boolean messageStart, boolean messageEnd);

  /** A ping with its payload (0–125 bytes); the buffer is the listener's to keep. */
  void onPing(ByteBuffer payload);

  /** A pong with its payload (0–125 bytes); the buffer is the listener's to keep. */
  void onPong(ByteBuffer payload);

  /**
   * The peer's close frame, already checked. The decoder ignores everything after it.
   *
   * @param code the close code, or {@link WebSocketProtocol#CLOSE_NO_STATUS} if the frame had no
   *     payload
   * @param reason the UTF-8 reason, or "" if none
   */
  void onClose(int code, String reason);
}
