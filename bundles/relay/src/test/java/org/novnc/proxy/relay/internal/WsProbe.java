package org.novnc.proxy.relay.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A WebSocket client for relay tests that reports what arrives as ASCII, or how it was closed. */
final class WsProbe {
  private WsProbe() {}

  /**
   * Opens {@code uri}, sends {@code send} unless null, and completes with the text received once it
   * is {@code n} characters or more, or with "closed CODE: REASON"; the socket is dropped then.
   */
  static CompletableFuture<String> open(URI uri, String send, int n) {
    CompletableFuture<String> result = new CompletableFuture<>();
    StringBuilder got = new StringBuilder();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(uri, new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            got.append(StandardCharsets.US_ASCII.decode(data));
            if (got.length() >= n) {
              result.complete(got.toString());
            }
            w.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            result.complete("closed " + code + ": " + reason);
            return null;
          }
        }).orTimeout(5, TimeUnit.SECONDS).join();
    if (send != null) {
      ws.sendBinary(ByteBuffer.wrap(send.getBytes(StandardCharsets.US_ASCII)), true).join();
    }
    result.whenComplete((text, failure) -> ws.abort());
    return result;
  }

  /** {@link #open} on {@code ws://127.0.0.1:port/websockify}, waited for (10 s at most). */
  static String exchange(int port, String send, int n) {
    return open(URI.create("ws://127.0.0.1:" + port + "/websockify"), send, n).orTimeout(10, TimeUnit.SECONDS).join();
  }
}
