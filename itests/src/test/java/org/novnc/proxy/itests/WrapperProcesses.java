package org.novnc.proxy.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The machine's processes as /proc shows them: which carry a wrapper's marker, which run a program. */
public final class WrapperProcesses {
  private WrapperProcesses() {}

  /** Live (non-zombie) processes whose environment holds {@code NOVNC_WRAPPER_ID=id}. */
  public static List<Long> marked(String id) {
    String entry = "NOVNC_WRAPPER_ID=" + id;
    return matching("environ", entries -> entries.contains(entry));
  }

  /** Live (non-zombie) processes with an argument containing {@code text}. */
  public static List<Long> withArgument(String text) {
    return matching("cmdline", entries -> entries.stream().anyMatch(a -> a.contains(text)));
  }

  private static List<Long> matching(String file, Predicate<List<String>> test) {
    List<Long> pids = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"),
        p -> p.getFileName().toString().matches("[0-9]+"))) {
      for (Path dir : dirs) {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (pid != self && !zombie(dir) && test.test(entries(dir.resolve(file)))) {
          pids.add(pid);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return pids;
  }

  private static List<String> entries(Path file) {
    try {
      return List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\0"));
    } catch (IOException e) {
      return List.of(); // gone meanwhile
    }
  }

  private static boolean zombie(Path dir) {
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
      int close = stat.lastIndexOf(')');
      return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
    } catch (IOException e) {
      return true; // gone
    }
  }

  /** Last resort after a failed test: KILL what is left, so one failure does not leak into the next. */
  public static void kill(List<Long> pids) {
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
