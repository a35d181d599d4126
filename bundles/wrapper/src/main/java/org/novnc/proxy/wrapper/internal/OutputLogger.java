package org.novnc.proxy.wrapper.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * One thread that copies a command's stdout or stderr into the log, a line at a time, at the level
 * given (stdout INFO; stderr WARN unless {@code stderr.level} says otherwise). The thread ends when
 * every process holding the pipe has closed it (the wrapper ends them all on stop). Lines longer than {@value #MAX_LINE} bytes are logged in pieces,
 * so a command that never writes a newline cannot grow memory.
 */
final class OutputLogger implements Runnable {
  static final int MAX_LINE = 8192;

  /** The level lines are logged at. */
  enum Level {
    ERROR, WARN, INFO, DEBUG;

    void log(Logger log, String text) {
      switch (this) {
        case ERROR -> log.error("{}", text);
        case WARN -> log.warn("{}", text);
        case INFO -> log.info("{}", text);
        case DEBUG -> log.debug("{}", text);
      }
    }
  }

  private final InputStream in;
  private final Logger log;
  private final Level level;

  private OutputLogger(InputStream in, Logger log, Level level) {
    this.in = in;
    this.log = log;
    this.level = level;
  }

  /** Starts the daemon thread {@code threadName} copying {@code in} to {@code log} at {@code level}. */
  static Thread start(InputStream in, Logger log, Level level, String threadName) {
    Thread t = new Thread(new OutputLogger(in, log, level), threadName);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    byte[] buf = new byte[4096];
    try (in) {
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n') {
            emit(line);
          } else if (line.size() >= MAX_LINE) {
            emit(line);
            line.write(b);
          } else {
            line.write(b);
          }
        }
      }
    } catch (IOException e) {
      // the pipe was closed under us at stop: nothing more to read
    }
    if (line.size() > 0) {
      emit(line);
    }
  }

  private void emit(ByteArrayOutputStream line) {
    int len = line.size();
    byte[] b = line.toByteArray();
    if (len > 0 && b[len - 1] == '\r') {
      len--;
    }
    String text = new String(b, 0, len, StandardCharsets.UTF_8);
    line.reset();
    level.log(log, text);
  }
}
