package org.novnc.proxy.relay.internal;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.novnc.proxy.rfb.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one proxy's session recordings ({@code record = DIR}) off the event loops: sessions hand
 * over retained buffers, one thread writes them. Bounded: at most {@link #MAX_PENDING} bytes wait;
 * beyond that a session's records are dropped and its recording marked incomplete, so a slow or
 * full disk never stalls or breaks a session.
 */
final class RecordWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RecordWriter.class);
  static final long MAX_PENDING = 32L * 1024 * 1024;

  /** How often retention is enforced besides after each recording. */
  static final long SWEEP_MINUTES = 10;

  private final Audit audit;
  private final String pid;
  private final Path root;
  private final long maxAgeDays;
  private final long maxBytes;
  private final java.util.concurrent.ScheduledExecutorService thread;
  /** Files being written (never removed by retention); only on the writer thread. */
  private final java.util.Set<Path> open = new java.util.HashSet<>();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong ids = new AtomicLong();

  /**
   * @param maxAgeDays recordings older than this many days are removed; 0 keeps them
   * @param maxBytes the proxy's recordings together stay under this many bytes (oldest removed first); 0: no limit
   */
  RecordWriter(String pid, Path root, long maxAgeDays, long maxBytes) {
    this(pid, root, maxAgeDays, maxBytes, new Audit(pid, () -> null));
  }

  /** @param audit where an incomplete recording is reported */
  RecordWriter(String pid, Path root, long maxAgeDays, long maxBytes, Audit audit) {
    this.audit = audit;
    this.pid = pid;
    this.root = root;
    this.maxAgeDays = maxAgeDays;
    this.maxBytes = maxBytes;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "novnc-record-" + pid);
      t.setDaemon(true);
      return t;
    });
    if (maxAgeDays > 0 || maxBytes > 0) {
      thread.scheduleWithFixedDelay(this::sweep, 0, SWEEP_MINUTES, java.util.concurrent.TimeUnit.MINUTES);
    }
  }

  /** Whether this writer serves {@code dir} with these limits. */
  boolean same(Path dir, long age, long bytes) {
    return root.equals(dir) && maxAgeDays == age && maxBytes == bytes;
  }

  /** Writer thread: removes this proxy's recordings past {@code record.max.age}, then the oldest beyond {@code record.max.bytes}. */
  private void sweep() {
    if (maxAgeDays <= 0 && maxBytes <= 0) {
      return;
    }
    Path mine = root.resolve(proxyName(pid));
    if (!Files.isDirectory(mine)) {
      return;
    }
    java.util.List<Path> files;
    try (java.util.stream.Stream<Path> walk = Files.walk(mine, 2)) {
      files = walk.filter(p -> p.getFileName().toString().endsWith(Recording.EXTENSION) && !open.contains(p)).toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      LOG.warn("{}: recordings in {} cannot be listed for retention: {}", pid, mine, e.toString());
      return;
    }
    record Kept(Path path, long modified, long size) {}
    java.util.List<Kept> kept = new java.util.ArrayList<>();
    long cutoff = System.currentTimeMillis() - java.util.concurrent.TimeUnit.DAYS.toMillis(maxAgeDays);
    int removed = 0;
    for (Path p : files) {
      try {
        long modified = Files.getLastModifiedTime(p).toMillis();
        if (maxAgeDays > 0 && modified < cutoff) {
          Files.deleteIfExists(p);
          removed++;
        } else {
          kept.add(new Kept(p, modified, Files.size(p)));
        }
      } catch (IOException e) {
        // gone meanwhile, or unreadable: left alone
      }
    }
    if (maxBytes > 0) {
      long total = 0;
      for (Kept k : kept) {
        total += k.size();
      }
      kept.sort(java.util.Comparator.comparingLong(Kept::modified));
      for (Kept k : kept) {
        if (total <= maxBytes) {
          break;
        }
        try {
          Files.deleteIfExists(k.path());
          total -= k.size();
          removed++;
        } catch (IOException e) {
          // left alone
        }
      }
    }
    if (removed > 0) {
      LOG.info("{}: retention removed {} recording(s) (record.max.age {} days, record.max.bytes {})", pid, removed, maxAgeDays, maxBytes);
    }
  }

  /** The proxy's name in paths: what follows {@code ~} in its PID (a named factory configuration), else the PID. */
  static String proxyName(String pid) {
    int cut = pid.indexOf('~');
    String name = cut >= 0 ? pid.substring(cut + 1) : pid.startsWith(RelayComponent.PID + "-")
        ? pid.substring(RelayComponent.PID.length() + 1) : pid;
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** A new session's recording; its file is created by the writer thread. */
  Session open(String target, String user, boolean input) {
    return new Session(target, user, input, ids.incrementAndGet());
  }

  Path root() {
    return root;
  }

  void stop() {
    thread.shutdown();
  }

  /** One session's recording. Methods are called on the session's event loop. */
  final class Session {
    private final long started = System.nanoTime();
    private final LocalDateTime start = LocalDateTime.now();
    private final String target;
    private final String user;
    private final boolean input;
    private final long id;
    private volatile boolean incomplete;
    private boolean ended;
    private long bytes;
    // only on the writer thread
    private FileChannel file;
    private Path path;
    private boolean failed;

    private Session(String target, String user, boolean input, long id) {
      this.target = target;
      this.user = user;
      this.input = input;
      this.id = id;
    }

    boolean input() {
      return input;
    }

    /** Bytes from the server (the ServerInit first); {@code data} is retained here and released by the writer. */
    void server(ByteBuf data) {
      record(Recording.SERVER, data);
    }

    /** A viewer message (or a piece of one); {@code data} is retained here and released by the writer. */
    void client(ByteBuf data) {
      record(Recording.CLIENT, data);
    }

    private void record(byte kind, ByteBuf data) {
      int n = data.readableBytes();
      if (ended || incomplete) {
        return;
      }
      if (pending.addAndGet(n) > MAX_PENDING) {
        pending.addAndGet(-n);
        incomplete = true;
        LOG.warn("{}: recording of session {} falls behind the disk (more than {} MiB waiting); it goes on incomplete", pid, id,
            MAX_PENDING >> 20);
        audit.recordingIncomplete(String.valueOf(root), user, "the disk fell behind");
        return;
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      ByteBuf kept = data.retainedDuplicate();
      bytes += n;
      submit(() -> {
        try {
          write(kind, millis, kept.nioBuffers());
        } finally {
          pending.addAndGet(-n);
          kept.release();
        }
      }, kept, n);
    }

    /** The session is over: the trailer, then the file is closed (a session that recorded nothing leaves no file). */
    void end() {
      if (ended) {
        return;
      }
      ended = true;
      if (bytes == 0) {
        return;
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      long total = bytes;
      submit(() -> {
        if (!failed) {
          String trailer = "{\"end\":\"" + LocalDateTime.now() + "\",\"milliseconds\":" + millis + ",\"bytes\":" + total
              + ",\"complete\":" + !incomplete + "}";
          write(Recording.TRAILER, millis, new ByteBuffer[] {ByteBuffer.wrap(trailer.getBytes(StandardCharsets.UTF_8))});
        }
        closeFile();
      }, null, 0);
    }

    private void submit(Runnable task, ByteBuf kept, int n) {
      try {
        thread.execute(task);
      } catch (RejectedExecutionException e) {
        if (kept != null) {
          pending.addAndGet(-n);
          kept.release();
        }
      }
    }

    /** Writer thread: one record; the first creates the file with its header. */
    private void write(byte kind, long millis, ByteBuffer[] data) {
      if (failed) {
        return;
      }
      try {
        if (file == null) {
          create();
        }
        int length = 0;
        for (ByteBuffer b : data) {
          length += b.remaining();
        }
        ByteBuffer[] all = new ByteBuffer[data.length + 1];
        all[0] = Recording.recordHeader(kind, millis, length);
        System.arraycopy(data, 0, all, 1, data.length);
        long left = length + Recording.RECORD_HEADER;
        while (left > 0) {
          left -= file.write(all);
        }
      } catch (IOException e) {
        failed = true;
        incomplete = true;
        LOG.warn("{}: recording {} of session {} failed ({}); the session goes on, the recording is incomplete", pid,
            path == null ? root : path, id, e.toString());
        audit.recordingIncomplete(String.valueOf(path == null ? root : path), user, "write failed: " + e.getMessage());
        closeFile();
      }
    }

    private void create() throws IOException {
      String day = start.format(DateTimeFormatter.ISO_LOCAL_DATE);
      Path dir = root.resolve(proxyName(pid)).resolve(day);
      Files.createDirectories(dir);
      String who = user == null ? "anonymous" : user.replaceAll("[^A-Za-z0-9._@-]", "_");
      path = dir.resolve(start.format(DateTimeFormatter.ofPattern("HHmmss")) + "-" + who + "-" + id + Recording.EXTENSION);
      file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      open.add(path);
      String header = Json.object("proxy", pid, "target", target, "user", user, "start", start.toString(), "id", id, "input", input);
      ByteBuffer h = Recording.fileHeader(header);
      while (h.hasRemaining()) {
        file.write(h);
      }
    }

    private void closeFile() {
      if (file != null) {
        try {
          file.close();
        } catch (IOException e) {
          // nothing more to write
        }
        file = null;
        open.remove(path);
        sweep();
      }
    }
  }
}
