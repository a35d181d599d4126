package org.novnc.proxy.itests;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * An independent WebSocket client (the JDK's {@code java.net.http.WebSocket}) that collects what
 * it receives and how it was closed.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
  /** The close frame received: code and reason. */
  public record Close(int code, String reason) {}

  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private WebSocket socket;
  private long expected = -1;
  private CompletableFuture<byte[]> expectation;

  public static WsClient connect(int port) {
    return connect(URI.create("ws://127.0.0.1:" + port + "/websockify"));
  }

  public static WsClient connect(URI uri) {
    WsClient client = new WsClient();
    client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(uri, client).orTimeout(10, TimeUnit.SECONDS).join();
    return client;
  }

  public WebSocket socket() {
    return socket;
  }

  public void send(byte[] data) {
    socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** Waits until {@code n} bytes in all have arrived and returns them (and nothing more). */
  public byte[] awaitBytes(int n, long seconds) {
    CompletableFuture<byte[]> f;
    synchronized (this) {
      expected = n;
      expectation = new CompletableFuture<>();
      f = expectation;
      check();
    }
    return f.orTimeout(seconds, TimeUnit.SECONDS).join();
  }

  public Close awaitClose(long seconds) {
    return closed.orTimeout(seconds, TimeUnit.SECONDS).join();
  }

  public synchronized int receivedCount() {
    return received.size();
  }

  public synchronized void reset() {
    received.reset();
  }

  private void check() {
    if (expectation != null && received.size() >= expected) {
      byte[] all = received.toByteArray();
      received.reset();
      received.write(all, (int) expected, all.length - (int) expected);
      byte[] head = java.util.Arrays.copyOf(all, (int) expected);
      CompletableFuture<byte[]> f = expectation;
      expectation = null;
      f.complete(head);
    }
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    synchronized (this) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      received.writeBytes(b);
      check();
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.completeExceptionally(error);
    synchronized (this) {
      if (expectation != null) {
        expectation.completeExceptionally(error);
      }
    }
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }
}
