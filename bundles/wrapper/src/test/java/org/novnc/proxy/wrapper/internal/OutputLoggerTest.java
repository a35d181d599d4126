package org.novnc.proxy.wrapper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;

/** A command's output becomes one log event per line, stdout at INFO and stderr at WARN. */
class OutputLoggerTest {

  /** Records level and message of every event. */
  static final class RecordingLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;
    final List<String> events = new ArrayList<>();

    RecordingLogger() {
      this.name = "org.novnc.proxy.wrapper.test";
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected synchronized void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
        Throwable t) {
      events.add(level + " " + org.slf4j.helpers.MessageFormatter.basicArrayFormat(pattern, args));
    }

    @Override public boolean isTraceEnabled() { return true; }
    @Override public boolean isTraceEnabled(Marker m) { return true; }
    @Override public boolean isDebugEnabled() { return true; }
    @Override public boolean isDebugEnabled(Marker m) { return true; }
    @Override public boolean isInfoEnabled() { return true; }
    @Override public boolean isInfoEnabled(Marker m) { return true; }
    @Override public boolean isWarnEnabled() { return true; }
    @Override public boolean isWarnEnabled(Marker m) { return true; }
    @Override public boolean isErrorEnabled() { return true; }
    @Override public boolean isErrorEnabled(Marker m) { return true; }
  }

  private static List<String> run(byte[] input, OutputLogger.Level level) throws InterruptedException {
    RecordingLogger log = new RecordingLogger();
    Thread t = OutputLogger.start(new ByteArrayInputStream(input), log, level, "test-output");
    t.join(5000);
    return log.events;
  }

  @Test
  void oneEventPerLine() throws Exception {
    byte[] in = "first\nsecond\r\n\nlast without newline".getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of("INFO first", "INFO second", "INFO ", "INFO last without newline"), run(in, OutputLogger.Level.INFO));
    assertEquals(List.of("WARN oops"), run("oops\n".getBytes(StandardCharsets.UTF_8), OutputLogger.Level.WARN));
    for (OutputLogger.Level level : OutputLogger.Level.values()) {
      assertEquals(List.of(level + " at " + level), run(("at " + level + "\n").getBytes(StandardCharsets.UTF_8), level));
    }
  }

  @Test
  void placeholdersInOutputAreNotFormatted() throws Exception {
    assertEquals(List.of("INFO {} and {}"), run("{} and {}\n".getBytes(StandardCharsets.UTF_8), OutputLogger.Level.INFO));
  }

  @Test
  void longLinesAreCutSoMemoryStaysBounded() throws Exception {
    byte[] in = new byte[OutputLogger.MAX_LINE * 2 + 100];
    java.util.Arrays.fill(in, (byte) 'x');
    List<String> events = run(in, OutputLogger.Level.INFO);
    assertEquals(3, events.size());
    assertEquals("INFO ".length() + OutputLogger.MAX_LINE, events.get(0).length());
    assertEquals("INFO ".length() + 100, events.get(2).length());
  }
}
