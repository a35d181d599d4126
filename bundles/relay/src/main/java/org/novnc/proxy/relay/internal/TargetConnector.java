package org.novnc.proxy.relay.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * Opens a session's connection to its target: TCP, with a host name looked up off the event loop
 * ({@link EventLoops#resolve}), or a Unix domain socket. The outcome is reported on {@code loop}.
 */
final class TargetConnector {
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  /** What becomes of a connection attempt. */
  interface Outcome {
    void connected(Channel channel);

    /** {@code why}: what to tell the browser, e.g. "Connection refused" or "unknown host". */
    void failed(String why);
  }

  private TargetConnector() {}

  @SuppressWarnings("unchecked")
  static ChannelOption<Object> unchecked(ChannelOption<?> option) {
    return (ChannelOption<Object>) option;
  }

  /**
   * Connects {@code handler}'s channel to {@code target} on {@code loop}; the channel starts with
   * reads off. {@code stillWanted} is asked after a lookup, before connecting.
   */
  static void connect(EventLoops loops, EventLoop loop, HostPort target, ChannelHandler handler,
      BooleanSupplier stillWanted, Outcome outcome) {
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(target.unix() ? loops.domainChannelType() : loops.channelType())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, RelayListener.WATER_MARK)
        .option(ChannelOption.RCVBUF_ALLOCATOR, RelayListener.READS)
        .handler(handler);
    ChannelFutureListener done = f -> {
      if (f.isSuccess()) {
        outcome.connected(f.channel());
      } else {
        outcome.failed(f.cause() == null ? "cancelled" : f.cause().getMessage());
      }
    };
    if (target.unix()) {
      bootstrap.connect(loops.domainAddress(target.path())).addListener(done);
      return;
    }
    bootstrap.option(ChannelOption.TCP_NODELAY, true);
    loops.keepAlive().forEach((option, value) -> bootstrap.option(unchecked(option), value));
    loops.resolve(target.host()).whenComplete((address, failure) -> {
      // An IP literal is answered at once, on the loop; a looked-up name comes back to it.
      Runnable next = () -> {
        if (failure != null) {
          Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
          outcome.failed(cause instanceof UnknownHostException ? "unknown host" : String.valueOf(cause.getMessage()));
        } else if (stillWanted.getAsBoolean()) {
          bootstrap.connect(new InetSocketAddress(address, target.port())).addListener(done);
        }
      };
      if (loop.inEventLoop()) {
        next.run();
      } else {
        loop.execute(next);
      }
    });
  }
}
