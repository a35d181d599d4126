package org.novnc.proxy.demo.internal;

import static org.novnc.proxy.demo.internal.RfbProtocol.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFB handshake on one connection (§7.1, §7.3.1), as an explicit state machine on the event loop:
 * ProtocolVersion (3.3, 3.7 and 3.8 clients; 3.5 and other 3.x as 3.3), security (None or VNC
 * Authentication, whichever the configuration asks for: 3.3 clients are told it as a U32),
 * SecurityResult (with a reason string for 3.8), ClientInit. Then the connection is handed to an
 * {@link RfbSession} and this handler leaves the pipeline; bytes already received go on to the
 * session's {@link ClientMessageDecoder}.
 */
final class RfbHandshake extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(RfbHandshake.class);
  private static final Pattern VERSION = Pattern.compile("RFB (\\d{3})\\.(\\d{3})\n");
  /** A client that has not finished the handshake by then is dropped. */
  static final long TIMEOUT_SECONDS = 30;

  private enum State { VERSION, SECURITY_TYPE, AUTH_RESPONSE, CLIENT_INIT, DONE }

  private final DemoServer server;
  private final Desktop desktop;
  /** The VNC password at the time the client connected, or null for no authentication. */
  private final byte[] password;
  private final String peer;
  private State state = State.VERSION;
  private int minor;
  private byte[] challenge;
  private ScheduledFuture<?> timeout;

  RfbHandshake(DemoServer server, Desktop desktop, String password, String peer) {
    this.server = server;
    this.desktop = desktop;
    this.password = password == null ? null : VncAuth.passwordBytes(password);
    this.peer = peer;
  }

  private int securityType() {
    return password == null ? SECURITY_NONE : SECURITY_VNC_AUTH;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(VERSION_3_8));
    timeout = ctx.executor().schedule(() -> {
      if (state != State.DONE) {
        LOG.info("{}: no RFB handshake within {} s; closing", peer, TIMEOUT_SECONDS);
        state = State.DONE;
        ctx.close();
      }
    }, TIMEOUT_SECONDS, TimeUnit.SECONDS);
    super.channelActive(ctx);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    switch (state) {
      case VERSION -> {
        if (in.readableBytes() >= VERSION_LENGTH) {
          version(ctx, in.readCharSequence(VERSION_LENGTH, StandardCharsets.ISO_8859_1).toString());
        }
      }
      case SECURITY_TYPE -> {
        if (in.isReadable()) {
          securityType(ctx, in.readUnsignedByte());
        }
      }
      case AUTH_RESPONSE -> {
        if (in.readableBytes() >= CHALLENGE_LENGTH) {
          byte[] response = new byte[CHALLENGE_LENGTH];
          in.readBytes(response);
          authResponse(ctx, response);
        }
      }
      case CLIENT_INIT -> {
        if (in.isReadable()) {
          in.readUnsignedByte(); // shared-flag: every client shares the one desktop anyway
          handOver(ctx);
        }
      }
      case DONE -> in.skipBytes(in.readableBytes());
    }
  }

  private void version(ChannelHandlerContext ctx, String text) {
    Matcher m = VERSION.matcher(text);
    if (!m.matches() || Integer.parseInt(m.group(1)) != 3 || Integer.parseInt(m.group(2)) < 3) {
      LOG.info("{}: not an RFB 3.x client (ProtocolVersion '{}'); closing", peer, text.trim());
      finish(ctx, null);
      return;
    }
    int asked = Integer.parseInt(m.group(2));
    minor = asked >= 8 ? 8 : asked == 7 ? 7 : 3;
    if (server.connectionCount() > DemoServer.MAX_CONNECTIONS) {
      LOG.info("{}: refused, {} connections are open", peer, DemoServer.MAX_CONNECTIONS);
      ByteBuf b = ctx.alloc().buffer();
      if (minor == 3) {
        b.writeInt(SECURITY_INVALID);
      } else {
        b.writeByte(0);
      }
      writeString(b, "too many connections");
      finish(ctx, b);
      return;
    }
    ByteBuf b = ctx.alloc().buffer(4);
    if (minor == 3) {
      b.writeInt(securityType());
      if (securityType() == SECURITY_VNC_AUTH) {
        challenge = VncAuth.challenge();
        b.writeBytes(challenge);
        state = State.AUTH_RESPONSE;
      } else {
        state = State.CLIENT_INIT;
      }
    } else {
      b.writeByte(1).writeByte(securityType());
      state = State.SECURITY_TYPE;
    }
    ctx.writeAndFlush(b);
  }

  private void securityType(ChannelHandlerContext ctx, int type) {
    if (type != securityType()) {
      LOG.info("{}: chose security type {}, offered was {}; closing", peer, type, securityType());
      failSecurity(ctx, "security type " + type + " was not offered");
      return;
    }
    if (type == SECURITY_NONE) {
      state = State.CLIENT_INIT;
      if (minor == 8) {
        ctx.writeAndFlush(ctx.alloc().buffer(4).writeInt(RESULT_OK)); // 3.7 sends no result for None
      }
      return;
    }
    challenge = VncAuth.challenge();
    state = State.AUTH_RESPONSE;
    ctx.writeAndFlush(Unpooled.wrappedBuffer(challenge.clone()));
  }

  private void authResponse(ChannelHandlerContext ctx, byte[] response) {
    if (!VncAuth.verify(password, challenge, response)) {
      LOG.warn("{}: VNC authentication failed (wrong password)", peer);
      failSecurity(ctx, "Authentication failed: wrong password");
      return;
    }
    state = State.CLIENT_INIT;
    ctx.writeAndFlush(ctx.alloc().buffer(4).writeInt(RESULT_OK));
  }

  /** SecurityResult failed; 3.8 adds the reason. Then the connection closes. */
  private void failSecurity(ChannelHandlerContext ctx, String reason) {
    ByteBuf b = ctx.alloc().buffer();
    b.writeInt(RESULT_FAILED);
    if (minor == 8) {
      writeString(b, reason);
    }
    finish(ctx, b);
  }

  private static void writeString(ByteBuf b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.writeInt(bytes.length).writeBytes(bytes);
  }

  /** Writes {@code last} (if any), then closes; input from here on is discarded. */
  private void finish(ChannelHandlerContext ctx, ByteBuf last) {
    state = State.DONE;
    if (last == null) {
      ctx.close();
    } else {
      ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void handOver(ChannelHandlerContext ctx) {
    state = State.DONE;
    RfbSession session = new RfbSession(ctx.channel(), desktop, peer);
    desktop.execute(() -> desktop.attach(session));
    ctx.channel().closeFuture().addListener(f -> desktop.execute(() -> desktop.detach(session)));
    ctx.pipeline().addAfter(ctx.name(), "rfb-messages", new ClientMessageDecoder(peer, session::receive, session::writable));
    ctx.pipeline().remove(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.info("{}: connection error during the handshake: {}", peer, cause.toString());
    ctx.close();
  }
}
