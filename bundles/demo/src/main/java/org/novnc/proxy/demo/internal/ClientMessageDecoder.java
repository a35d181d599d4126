package org.novnc.proxy.demo.internal;

import static org.novnc.proxy.demo.internal.RfbProtocol.*;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads client messages after the handshake, on the connection's event loop. A message is parsed
 * only once all of it has arrived (the reader index is left alone until then); the text of a
 * ClientCutText is skipped as it arrives, whatever its length, so it is never buffered. Each message goes to the
 * session. A protocol error closes the connection with one log line.
 */
final class ClientMessageDecoder extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(ClientMessageDecoder.class);

  private final String peer;
  private final Consumer<ClientMessage> sink;
  private final Runnable onWritable;
  /** Bytes of a ClientCutText still to skip. */
  private long skip;
  private boolean failed;

  /**
   * @param peer the client, for log lines
   * @param sink where each message goes (the session)
   * @param onWritable called when the channel drains below its low water mark
   */
  ClientMessageDecoder(String peer, Consumer<ClientMessage> sink, Runnable onWritable) {
    this.peer = peer;
    this.sink = sink;
    this.onWritable = onWritable;
  }

  /** A message this server cannot take: the connection ends. */
  static final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
      super(message);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (!failed && in.isReadable()) {
      if (skip > 0) {
        int n = (int) Math.min(skip, in.readableBytes());
        in.skipBytes(n);
        skip -= n;
        continue;
      }
      ClientMessage message;
      try {
        message = next(in);
      } catch (ProtocolException e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        LOG.warn("{}: {}; closing the connection", peer, e.getMessage());
        ctx.close();
        return;
      }
      if (message == null) {
        return; // need more
      }
      sink.accept(message);
    }
  }

  /** The next whole message, or null (and the reader index unchanged) when it has not all arrived. */
  private ClientMessage next(ByteBuf in) throws ProtocolException {
    int start = in.readerIndex();
    int available = in.readableBytes();
    int type = in.getUnsignedByte(start);
    switch (type) {
      case MSG_SET_PIXEL_FORMAT -> {
        if (available < 4 + PixelFormat.LENGTH) {
          return null;
        }
        in.skipBytes(4);
        PixelFormat format = PixelFormat.read(in);
        String problem = format.problem();
        if (problem != null) {
          throw new ProtocolException("SetPixelFormat " + format + ": " + problem);
        }
        return new ClientMessage.SetPixelFormat(format);
      }
      case MSG_SET_ENCODINGS -> {
        if (available < 4) {
          return null;
        }
        int count = in.getUnsignedShort(start + 2);
        if (available < 4 + 4 * count) {
          return null;
        }
        in.skipBytes(4);
        int[] encodings = new int[count];
        for (int i = 0; i < count; i++) {
          encodings[i] = in.readInt();
        }
        return new ClientMessage.SetEncodings(encodings);
      }
      case MSG_FRAMEBUFFER_UPDATE_REQUEST -> {
        if (available < 10) {
          return null;
        }
        in.skipBytes(1);
        boolean incremental = in.readUnsignedByte() != 0;
        Rect area = new Rect(in.readUnsignedShort(), in.readUnsignedShort(), in.readUnsignedShort(),
            in.readUnsignedShort());
        return new ClientMessage.UpdateRequest(incremental, area);
      }
      case MSG_KEY_EVENT -> {
        if (available < 8) {
          return null;
        }
        in.skipBytes(1);
        boolean down = in.readUnsignedByte() != 0;
        in.skipBytes(2);
        return new ClientMessage.KeyEvent(down, in.readInt());
      }
      case MSG_POINTER_EVENT -> {
        if (available < 6) {
          return null;
        }
        in.skipBytes(1);
        return new ClientMessage.PointerEvent(in.readUnsignedByte(), in.readUnsignedShort(), in.readUnsignedShort());
      }
      case MSG_CLIENT_CUT_TEXT -> {
        if (available < 8) {
          return null;
        }
        in.skipBytes(4);
        int length = in.readInt();
        // a negative length is the extended clipboard's; either way its bytes are skipped
        skip = Math.abs((long) length);
        return new ClientMessage.ClientCutText(skip);
      }
      case MSG_SET_DESKTOP_SIZE -> {
        if (available < 8) {
          return null;
        }
        int screens = in.getUnsignedByte(start + 6);
        if (available < 8 + Screen.LENGTH * screens) {
          return null;
        }
        in.skipBytes(2);
        int width = in.readUnsignedShort();
        int height = in.readUnsignedShort();
        in.skipBytes(2);
        List<Screen> list = new ArrayList<>(screens);
        for (int i = 0; i < screens; i++) {
          list.add(Screen.read(in));
        }
        return new ClientMessage.SetDesktopSize(width, height, List.copyOf(list));
      }
      default -> throw new ProtocolException("unknown client message type " + type);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      onWritable.run();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.info("{}: connection error: {}", peer, cause.toString());
    ctx.close();
  }
}
