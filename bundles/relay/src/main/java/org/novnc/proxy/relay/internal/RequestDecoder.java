package org.novnc.proxy.relay.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request parser, made to hand over one request per read: requests pipelined behind it
 * stay as bytes in the parser's buffer (bounded by one socket read) until {@link #next} asks for
 * the next one, so a client that pipelines thousands of requests and reads no replies costs one
 * reply in flight, not thousands.
 */
final class RequestDecoder extends HttpRequestDecoder {
  /** Request line 4 KiB, all headers 32 KiB (lines and count: {@link HttpGate}), content chunks 8 KiB (bodies are refused). */
  RequestDecoder() {
    super(4096, 32 * 1024, 8192);
    setSingleDecode(true);
  }

  /** Parses the next request already received, if any, and passes it on as a read would. */
  void next(ChannelHandlerContext own) throws Exception {
    channelRead(own, Unpooled.EMPTY_BUFFER);
  }
}
