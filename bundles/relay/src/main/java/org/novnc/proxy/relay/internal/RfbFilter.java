package org.novnc.proxy.relay.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.novnc.proxy.rfb.ClientMessages;
import org.novnc.proxy.rfb.ProxyHandshake;
import org.novnc.proxy.rfb.RfbException;

/**
 * The RFB layer of one session, present only when its proxy needs one (a target password, view
 * only): the handshake runs through {@link ProxyHandshake} (the proxy answers the server's
 * security, the browser sees None), then the browser's messages through {@link ClientMessages}:
 * passed, or dropped for a view-only session when they are input. The server's bytes after
 * ServerInit are passed through untouched (the relay's zero-copy path).
 */
final class RfbFilter {
  /** A view-only session passes these and drops every other framed type. */
  private static final boolean[] VIEW_ONLY_PASSES = new boolean[256];

  static {
    for (int t : new int[] {ClientMessages.SET_PIXEL_FORMAT, ClientMessages.SET_ENCODINGS, ClientMessages.FRAMEBUFFER_UPDATE_REQUEST,
        ClientMessages.ENABLE_CONTINUOUS_UPDATES, ClientMessages.CLIENT_FENCE}) {
      VIEW_ONLY_PASSES[t] = true;
    }
  }

  private final ProxyHandshake handshake;
  private final ClientMessages messages = new ClientMessages();
  private final boolean viewOnly;
  private final RecordWriter.Session recorder;
  private boolean initRecorded;
  private long dropped;

  /**
   * @param password the target's password, or null; cleared here
   * @param toServer where bytes for the server go (the target connection is up whenever the handshake writes)
   * @param toClient where bytes for the browser go (framed by the caller)
   */
  RfbFilter(char[] password, boolean viewOnly, Consumer<ByteBuf> toServer, Consumer<ByteBuf> toClient) {
    this(null, password, viewOnly, null, toServer, toClient);
  }

  /**
   * @param username for VeNCrypt Plain, or null
   * @param recorder where the session is recorded, or null
   */
  RfbFilter(String username, char[] password, boolean viewOnly, RecordWriter.Session recorder, Consumer<ByteBuf> toServer,
      Consumer<ByteBuf> toClient) {
    this.viewOnly = viewOnly;
    this.recorder = recorder;
    this.handshake = new ProxyHandshake(username, password, viewOnly, new ProxyHandshake.Output() {
      @Override
      public void toServer(byte[] bytes) {
        toServer.accept(Unpooled.wrappedBuffer(bytes));
      }

      @Override
      public void toClient(byte[] bytes) {
        toClient.accept(Unpooled.wrappedBuffer(bytes));
      }
    });
    if (password != null) {
      Arrays.fill(password, '\0');
    }
  }

  void start() {
    handshake.start();
  }

  boolean viewOnly() {
    return viewOnly;
  }

  /** Input messages a view-only session did not pass on. */
  long dropped() {
    return dropped;
  }

  /** Whether the server's side failed and the browser is still to be told (when it has sent its version or choice). */
  boolean failurePending() {
    return handshake.failure() != null && !handshake.failureSent();
  }

  /** Why the server's side failed (told to the browser or not), or null. */
  String failurePendingReason() {
    return handshake.failure();
  }

  /** Why the server's side failed, once the browser has been told; else null. */
  String failed() {
    return handshake.failureSent() ? handshake.failure() : null;
  }

  /**
   * Bytes from the server: the handshake takes what is its; returns the rest (a slice of
   * {@code data}, retained) for the browser, or null when nothing is left. {@code data} is released.
   */
  ByteBuf fromServer(ByteBuf data) throws RfbException {
    if (handshake.done()) {
      if (recorder != null) {
        recorder.server(data);
      }
      return data;
    }
    ByteBuf rest;
    try {
      ByteBuffer nio = data.nioBuffer();
      int used = handshake.fromServer(nio);
      rest = used == data.readableBytes() ? null : data.retainedSlice(data.readerIndex() + used, data.readableBytes() - used);
    } finally {
      data.release();
    }
    if (handshake.failure() != null && rest != null) {
      rest.release(); // after a refusal nothing more of the server's reaches the browser
      return null;
    }
    if (recorder != null) {
      if (!initRecorded && handshake.serverInit() != null) {
        initRecorded = true; // the recording starts with the ServerInit: nothing of the handshake before it
        ByteBuf init = Unpooled.wrappedBuffer(handshake.serverInit());
        recorder.server(init);
        init.release();
      }
      if (rest != null && initRecorded) {
        recorder.server(rest);
      }
    }
    return rest;
  }

  /**
   * Bytes from the browser (one WebSocket payload piece): the handshake's go to it, then each
   * message is passed to {@code pass} (slices of {@code data}, retained) or dropped. {@code data} is released.
   */
  void fromClient(ByteBuf data, Consumer<ByteBuf> pass) throws RfbException {
    try {
      ByteBuffer nio = data.nioBuffer();
      int base = nio.position();
      if (!handshake.done()) {
        int used = handshake.fromClient(nio);
        nio.position(base + used);
        if (!nio.hasRemaining()) {
          return;
        }
        if (!handshake.done()) {
          throw new RfbException("the viewer sent data before the handshake asked for it");
        }
      }
      int offset = data.readerIndex() - base;
      messages.scan(nio, (type, from, to, end) -> {
        if (recorder != null && (type == ClientMessages.SET_PIXEL_FORMAT || type == ClientMessages.SET_ENCODINGS || recorder.input())) {
          ByteBuf piece = data.slice(offset + from, to - from);
          recorder.client(piece); // a player needs the pixel format and encodings; input only with record.input
        }
        if (!viewOnly || VIEW_ONLY_PASSES[type]) {
          pass.accept(data.retainedSlice(offset + from, to - from));
        } else if (end) {
          dropped++;
        }
      });
    } finally {
      data.release();
    }
  }

  void close() {
    handshake.close();
    if (recorder != null) {
      recorder.end();
    }
  }
}
