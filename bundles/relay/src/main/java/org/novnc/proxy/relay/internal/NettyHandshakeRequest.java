package org.novnc.proxy.relay.internal;

import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import org.novnc.proxy.codec.HandshakeRequest;

/** Netty's parsed request line and headers, seen through the codec's handshake interface. */
record NettyHandshakeRequest(HttpRequest request) implements HandshakeRequest {
  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public String protocolVersion() {
    return request.protocolVersion().text();
  }

  @Override
  public String uri() {
    return request.uri();
  }

  @Override
  public List<String> headers(String name) {
    return request.headers().getAll(name);
  }
}
