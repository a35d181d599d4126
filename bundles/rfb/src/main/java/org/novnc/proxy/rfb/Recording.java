package org.novnc.proxy.rfb;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The recording format of the proxy (extension {@code .nvprec}): one session's RFB streams with
 * millisecond timestamps, enough to play it back.
 *
 * <pre>
 *   magic      "NVPREC1\n" (8 bytes)
 *   header     u32 length, then UTF-8 JSON: proxy, target, user, start (ISO-8601), id, input (bool)
 *   records    u8 kind, u32 milliseconds since start, u32 length, length bytes
 *                'S' bytes from the server, from its ServerInit on (never the handshake before it)
 *                'C' a message from the viewer: SetPixelFormat and SetEncodings always (a player
 *                    needs them to decode), input (key, pointer, clipboard) only with record.input
 *                'T' the trailer, last: UTF-8 JSON: end, milliseconds, bytes, complete (false when
 *                    the writer could not keep up or the disk failed and records were dropped)
 * </pre>
 *
 * A file without its trailer is a recording cut short (the proxy stopped); every record before the
 * cut is whole or absent. Credentials and authentication bytes are never in it.
 */
public final class Recording {
  public static final byte[] MAGIC = "NVPREC1\n".getBytes(StandardCharsets.US_ASCII);
  public static final byte SERVER = 'S';
  public static final byte CLIENT = 'C';
  public static final byte TRAILER = 'T';
  public static final String EXTENSION = ".nvprec";
  /** Header of a record: kind, time, length. */
  public static final int RECORD_HEADER = 9;

  private Recording() {}

  /** The header of a record of {@code kind} at {@code millis} with {@code length} bytes. */
  public static ByteBuffer recordHeader(byte kind, long millis, int length) {
    ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER);
    b.put(kind).putInt((int) Math.min(millis, 0xFFFFFFFFL)).putInt(length).flip();
    return b;
  }

  /** The magic and the header record of a recording. */
  public static ByteBuffer fileHeader(String json) {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + h.length);
    b.put(MAGIC).putInt(h.length).put(h).flip();
    return b;
  }

  /** One record as read back. */
  public record Entry(byte kind, long millis, byte[] data) {}

  /** Reads a recording record by record (tests, tools, the player's server side). */
  public static final class Reader implements AutoCloseable {
    private final DataInputStream in;
    private final String header;

    public Reader(InputStream stream) throws IOException {
      this.in = new DataInputStream(stream);
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException("not a novnc-proxy recording (no NVPREC1 magic)");
      }
      byte[] h = new byte[in.readInt()];
      in.readFully(h);
      header = new String(h, StandardCharsets.UTF_8);
    }

    /** The header's JSON. */
    public String header() {
      return header;
    }

    /** The next record, or null at the end of the file (a recording cut short ends without a trailer). */
    public Entry next() throws IOException {
      int kind;
      try {
        kind = in.readUnsignedByte();
      } catch (EOFException e) {
        return null;
      }
      try {
        long millis = in.readInt() & 0xFFFFFFFFL;
        byte[] data = new byte[in.readInt()];
        in.readFully(data);
        return new Entry((byte) kind, millis, data);
      } catch (EOFException e) {
        return null; // a record cut short by a crash
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
