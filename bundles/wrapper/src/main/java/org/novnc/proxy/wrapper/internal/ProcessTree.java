package org.novnc.proxy.wrapper.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Everything a wrapped command started, and how to end it.
 *
 * <p>A process belongs to the command if it is the command's process, one of its descendants, or
 * any process whose environment holds the command's marker ({@code NOVNC_WRAPPER_ID=<uuid>}, set
 * by the wrapper and inherited by every child). The marker is what finds daemons: a program that
 * double-forks or calls {@code setsid} re-parents its server to init, out of the descendant tree,
 * but keeps its environment. It is read from {@code /proc/PID/environ}, the environment a process
 * was started with, so a later {@code unsetenv} does not hide it. A program that execs with an
 * emptied environment, or overwrites its environment block, escapes the marker.
 *
 * <p>Ending is TERM to all, a grace period, then KILL to whatever is left (including processes
 * forked meanwhile), each step bounded in time. {@link ProcessHandle} checks the start time of a
 * process before signalling it, so a recycled PID is never signalled.
 */
final class ProcessTree {
  private static final Path PROC = Path.of("/proc");
  private static final long POLL_NANOS = Duration.ofMillis(25).toNanos();

  /** What {@link #end} did: how many processes got TERM, how many needed KILL, how many survived. */
  record Ending(int terminated, int killed, int survivors) {}

  private ProcessTree() {}

  /**
   * The live processes of the command: {@code root} (if given and alive), its descendants, and
   * every process marked with {@code marker} together with its descendants.
   */
  static List<ProcessHandle> members(ProcessHandle root, String marker) {
    Map<Long, ProcessHandle> found = new LinkedHashMap<>();
    if (root != null && running(root)) {
      add(found, root);
    }
    for (ProcessHandle p : marked(marker)) {
      add(found, p);
    }
    return List.copyOf(found.values());
  }

  private static void add(Map<Long, ProcessHandle> found, ProcessHandle p) {
    if (found.putIfAbsent(p.pid(), p) == null) {
      p.descendants().filter(ProcessTree::running).forEach(d -> found.putIfAbsent(d.pid(), d));
    }
  }

  /** Live processes (other than this JVM) whose environment holds {@code marker}, e.g. {@code NOVNC_WRAPPER_ID=...}. */
  static List<ProcessHandle> marked(String marker) {
    List<ProcessHandle> result = new ArrayList<>();
    byte[] wanted = marker.getBytes(StandardCharsets.UTF_8);
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, ProcessTree::isPidDirectory)) {
      for (Path dir : dirs) {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (pid != self && environmentHolds(dir.resolve("environ"), wanted)) {
          ProcessHandle.of(pid).filter(ProcessTree::running).ifPresent(result::add);
        }
      }
    } catch (IOException e) {
      // no /proc (not Linux): only the descendant tree is known
    }
    return result;
  }

  private static boolean isPidDirectory(Path p) {
    String name = p.getFileName().toString();
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  /** True if one NUL-separated entry of the environ file equals {@code wanted}. */
  private static boolean environmentHolds(Path environ, byte[] wanted) {
    byte[] env;
    try {
      env = Files.readAllBytes(environ);
    } catch (IOException | SecurityException e) {
      return false; // gone meanwhile, or another user's process: not ours to end
    }
    int start = 0;
    for (int i = 0; i <= env.length; i++) {
      if (i == env.length || env[i] == 0) {
        if (i - start == wanted.length && java.util.Arrays.equals(env, start, i, wanted, 0, wanted.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  /**
   * Alive and not a zombie: a killed orphan whose new parent does not reap it stays in the process
   * table as a zombie, which {@link ProcessHandle#isAlive()} still reports as alive.
   */
  static boolean running(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(PROC.resolve(p.pid() + "/stat"), StandardCharsets.US_ASCII);
      int close = stat.lastIndexOf(')'); // "pid (comm) S ...": comm may contain spaces and parentheses
      return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
    } catch (IOException e) {
      return p.isAlive();
    }
  }

  /**
   * Ends the command: TERM to every member, up to {@code grace} for them to exit, then KILL to
   * every member still there (found again, so children forked meanwhile are included), and up to
   * {@code killWait} for those to go. Returns within about {@code grace + killWait} plus the time
   * of two {@code /proc} scans.
   */
  static Ending end(ProcessHandle root, String marker, Duration grace, Duration killWait) {
    List<ProcessHandle> members = members(root, marker);
    if (members.isEmpty()) {
      return new Ending(0, 0, 0);
    }
    members.forEach(ProcessHandle::destroy);
    await(members, grace);
    List<ProcessHandle> left = members(root, marker); // again: children may have been forked meanwhile
    if (left.isEmpty()) {
      return new Ending(members.size(), 0, 0);
    }
    left.forEach(ProcessHandle::destroyForcibly);
    await(left, killWait);
    int survivors = members(root, marker).size();
    return new Ending(members.size(), left.size(), survivors);
  }

  /** Waits, polling, until none of {@code processes} runs or {@code limit} has passed. */
  private static boolean await(List<ProcessHandle> processes, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      if (processes.stream().noneMatch(ProcessTree::running)) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(POLL_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
