package org.novnc.proxy.demo.internal;

import static org.novnc.proxy.demo.internal.RfbProtocol.*;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.novnc.proxy.demo.internal.PseudoRects.SizeReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One viewer after the handshake. Everything but {@link #receive} and {@link #writable} runs on the
 * desktop thread, so the state needs no locks.
 *
 * <p>Updates are demand driven: the desktop reports damage (and window moves, as copies) to every
 * session; a session keeps what its client has not seen and writes one FramebufferUpdate only when
 * the client has asked for one and its channel is writable. Nothing is queued for a slow client: its
 * damage just grows (and coalesces) until it asks again.
 *
 * <p>Size changes go out in an update of their own (no pixel data, as ExtendedDesktopSize requires),
 * followed at once by a full update of the new framebuffer.
 */
final class RfbSession {
  private static final Logger LOG = LoggerFactory.getLogger(RfbSession.class);
  /** Client messages waiting for the desktop thread before the connection stops being read. */
  static final int INPUT_HIGH_WATER = 256;
  static final int INPUT_LOW_WATER = 64;
  private static final AtomicInteger NUMBERS = new AtomicInteger();

  private final Channel channel;
  private final Desktop desktop;
  private final String peer;
  private final AtomicInteger queued = new AtomicInteger();
  /** Pointer state the desktop keeps per viewer (drawing, dragging). */
  final PointerState pointer;

  private PixelFormat format = PixelFormat.SERVER;
  private ClientEncodings encodings = ClientEncodings.NONE;
  private final EncoderSet encoders = new EncoderSet();
  private final Region damage = new Region();
  private final Region requested = new Region();
  private boolean updateRequested;
  private Rect copyFrom;
  private Rect copyTo;
  private int clientWidth;
  private int clientHeight;
  private final ArrayDeque<SizeReply> sizeReplies = new ArrayDeque<>();
  private boolean cursorPending;
  private boolean namePending;
  private boolean closed;

  RfbSession(Channel channel, Desktop desktop, String peer) {
    this.channel = channel;
    this.desktop = desktop;
    this.peer = peer;
    this.pointer = new PointerState(NUMBERS.getAndIncrement());
  }

  String peer() {
    return peer;
  }

  /** Desktop-thread view of the pointer: buttons, position, what a press started. */
  static final class PointerState {
    final int number;
    int buttons;
    int x;
    int y;
    boolean drawing;
    boolean dragging;
    int grabX;
    int grabY;

    PointerState(int number) {
      this.number = number;
    }
  }

  // ---- event loop side ----

  /** Hands a client message to the desktop thread; stops reading while too many are waiting. */
  void receive(ClientMessage message) {
    if (queued.incrementAndGet() >= INPUT_HIGH_WATER && channel.config().isAutoRead()) {
      channel.config().setAutoRead(false);
    }
    desktop.execute(() -> {
      try {
        handle(message);
      } finally {
        if (queued.decrementAndGet() == INPUT_LOW_WATER && !channel.config().isAutoRead()) {
          channel.config().setAutoRead(true);
        }
      }
    });
  }

  /** The channel drained below its low water mark: an update held back may go now. */
  void writable() {
    desktop.execute(desktop::requestFlush);
  }

  // ---- desktop thread ----

  /** ServerInit (§7.3.2): framebuffer size, the server's pixel format, the desktop name. */
  void start(Frame frame, String name) {
    clientWidth = frame.width();
    clientHeight = frame.height();
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    ByteBuf b = channel.alloc().buffer(24 + nameBytes.length);
    b.writeShort(frame.width()).writeShort(frame.height());
    PixelFormat.SERVER.write(b);
    b.writeInt(nameBytes.length).writeBytes(nameBytes);
    channel.writeAndFlush(b);
    LOG.info("{}: viewer connected", peer);
  }

  private void handle(ClientMessage message) {
    if (closed) {
      return;
    }
    if (message instanceof ClientMessage.SetPixelFormat m) {
      format = m.format();
      damage.add(new Rect(0, 0, clientWidth, clientHeight)); // what the client has is in the old format
      cursorPending = encodings.cursor();
      LOG.debug("{}: pixel format {}", peer, format);
    } else if (message instanceof ClientMessage.SetEncodings m) {
      ClientEncodings previous = encodings;
      encodings = ClientEncodings.of(m.encodings());
      encoders.configure(encodings);
      cursorPending |= encodings.cursor() && !previous.cursor();
      LOG.debug("{}: encodings {}", peer, encodings);
    } else if (message instanceof ClientMessage.UpdateRequest m) {
      Rect area = m.area().intersect(new Rect(0, 0, clientWidth, clientHeight));
      if (!m.incremental()) {
        damage.add(area);
        if (encodings.extendedDesktopSize()) {
          // the client learns the layout (and that SetDesktopSize works) from this answer
          sizeReplies.add(desktop.sizeReply(EDS_REASON_SERVER, EDS_STATUS_OK));
        }
      }
      requested.add(area);
      updateRequested = true;
      desktop.requestFlush();
    } else if (message instanceof ClientMessage.KeyEvent m) {
      desktop.key(this, m.down(), m.keysym());
    } else if (message instanceof ClientMessage.PointerEvent m) {
      desktop.pointer(this, m.buttons(), m.x(), m.y());
    } else if (message instanceof ClientMessage.SetDesktopSize m) {
      desktop.requestSize(this, m.width(), m.height(), m.screens());
    } else if (message instanceof ClientMessage.ClientCutText m) {
      LOG.debug("{}: ignored {} bytes of clipboard text", peer, m.length());
    }
  }

  boolean extendedDesktopSize() {
    return encodings.extendedDesktopSize();
  }

  /** The desktop changed there. */
  void damage(Rect r) {
    damage.add(r);
  }

  /**
   * The desktop's pixels in {@code from} now are at {@code to} (same size). A client that takes
   * CopyRect gets a copy; what it had not yet seen inside {@code from} moves along and is sent after
   * the copy. Consecutive moves of the same area make one copy.
   */
  void copy(Rect from, Rect to) {
    if (!encodings.copyRect() || (copyTo != null && !copyTo.equals(from))) {
      damage.add(to);
      return;
    }
    damage.add(damage.intersect(from).translate(to.x() - from.x(), to.y() - from.y()));
    if (copyTo == null) {
      copyFrom = from;
    }
    copyTo = to;
  }

  /** An ExtendedDesktopSize answer this client is owed (only clients that asked for them get any). */
  void sizeReply(SizeReply reply) {
    if (encodings.extendedDesktopSize()) {
      sizeReplies.add(reply);
    }
  }

  void nameChanged() {
    namePending = encodings.desktopName();
  }

  /**
   * Writes what the client is owed, if its channel takes it now: size answers at once (they are
   * due as soon as possible), pixels only when asked for; after a size change the new
   * framebuffer's pixels follow at once.
   */
  void flush(Frame frame, String name) {
    if (closed || !channel.isActive() || !channel.isWritable()) {
      return;
    }
    try {
      if (writeSizeUpdate(frame)) {
        updateRequested = true;
      }
      if (updateRequested && writeDataUpdate(frame, name)) {
        updateRequested = false;
        requested.clear();
      }
    } catch (RuntimeException e) {
      LOG.error("{}: encoding an update failed; closing the connection", peer, e);
      channel.close();
      close();
    }
  }

  /**
   * The update of size changes: ExtendedDesktopSize answers, or a DesktopSize; no pixel data.
   *
   * @return whether the client's framebuffer size changed
   */
  private boolean writeSizeUpdate(Frame frame) {
    boolean sizeChanged = frame.width() != clientWidth || frame.height() != clientHeight;
    boolean plainResize = !encodings.extendedDesktopSize() && encodings.desktopSize() && sizeChanged;
    if (sizeReplies.isEmpty() && !plainResize) {
      return false;
    }
    ByteBuf b = channel.alloc().buffer(64);
    b.writeByte(MSG_FRAMEBUFFER_UPDATE).writeByte(0).writeShort(plainResize ? 1 : sizeReplies.size());
    if (plainResize) {
      PseudoRects.desktopSize(b, frame.width(), frame.height());
    } else {
      for (SizeReply r : sizeReplies) {
        PseudoRects.extendedDesktopSize(b, r);
      }
    }
    sizeReplies.clear();
    channel.writeAndFlush(b);
    if (!sizeChanged || !encodings.resizable()) {
      return false;
    }
    // the client's framebuffer is new and undefined: all of it is damaged, all of it wanted
    clientWidth = frame.width();
    clientHeight = frame.height();
    copyFrom = null;
    copyTo = null;
    damage.clear();
    damage.add(frame.bounds());
    requested.clear();
    requested.add(frame.bounds());
    return true;
  }

  private boolean writeDataUpdate(Frame frame, String name) {
    Rect visible = frame.bounds().intersect(new Rect(0, 0, clientWidth, clientHeight));
    if (copyTo != null && !(visible.contains(copyFrom) && visible.contains(copyTo))) {
      damage.add(copyTo);
      copyFrom = null;
      copyTo = null;
    }
    Region send = damage.intersect(requested).intersect(visible);
    boolean cursor = cursorPending && encodings.cursor();
    boolean rename = namePending && encodings.desktopName();
    if (send.isEmpty() && copyTo == null && !cursor && !rename) {
      return false;
    }
    ByteBuf b = channel.alloc().buffer(4096);
    try {
      b.writeByte(MSG_FRAMEBUFFER_UPDATE).writeByte(0);
      int countAt = b.writerIndex();
      b.writeShort(0);
      int count = 0;
      if (cursor) {
        PseudoRects.cursor(b, CursorShape.ARROW_CURSOR, format);
        count++;
      }
      if (rename) {
        PseudoRects.desktopName(b, name);
        count++;
      }
      if (copyTo != null) {
        Encoder.header(b, copyTo, ENC_COPY_RECT);
        b.writeShort(copyFrom.x()).writeShort(copyFrom.y());
        count++;
      }
      Encoder encoder = encoders.get(encodings.preferred());
      List<Rect> rects = send.rects();
      for (Rect r : rects) {
        count += encoder.encode(frame, r, format, b);
      }
      b.setShort(countAt, count);
      damage.subtract(send);
      copyFrom = null;
      copyTo = null;
      cursorPending = false;
      namePending = false;
      channel.writeAndFlush(b);
      b = null;
      return true;
    } finally {
      if (b != null) {
        b.release();
      }
    }
  }

  /** The connection is gone: releases the zlib streams and the JPEG writer. */
  void close() {
    if (!closed) {
      closed = true;
      encoders.close();
    }
  }
}
