package org.novnc.proxy.itests;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP server for one connection that streams {@code size} pattern bytes down while it reads
 * {@code size} bytes up and checks them against the other pattern.
 */
public final class BulkTarget implements AutoCloseable {
  private final ServerSocket server;
  private final int size;
  private final CompletableFuture<String> upResult = new CompletableFuture<>();

  public BulkTarget(int size) throws IOException {
    this.size = size;
    server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serve, "bulk-target");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** "ok", or what was wrong with the bytes that came up. */
  public CompletableFuture<String> upResult() {
    return upResult;
  }

  /** Byte {@code i} of the stream with the given seed: not periodic over short spans. */
  public static byte pattern(int seed, long i) {
    long x = (i + seed) * 0x9E3779B97F4A7C15L;
    return (byte) (x >>> 56 ^ x >>> 29);
  }

  public static byte[] patternBytes(int seed, long offset, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = pattern(seed, offset + i);
    }
    return b;
  }

  private void serve() {
    try (Socket s = server.accept()) {
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = s.getOutputStream();
          for (int off = 0; off < size; off += 65536) {
            out.write(patternBytes(1, off, Math.min(65536, size - off)));
          }
          out.flush();
        } catch (IOException e) {
          upResult.complete("down write failed: " + e);
        }
      }, "bulk-target-writer");
      writer.setDaemon(true);
      writer.start();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] buf = new byte[65536];
      for (int off = 0; off < size; ) {
        int n = Math.min(buf.length, size - off);
        in.readFully(buf, 0, n);
        for (int i = 0; i < n; i++) {
          if (buf[i] != pattern(2, off + i)) {
            upResult.complete("byte " + (off + i) + " differs");
            return;
          }
        }
        off += n;
      }
      upResult.complete("ok");
      writer.join(30_000);
    } catch (IOException | InterruptedException e) {
      upResult.complete("failed: " + e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
