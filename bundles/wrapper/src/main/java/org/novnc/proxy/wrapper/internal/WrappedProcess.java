package org.novnc.proxy.wrapper.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * One run of a wrapped command: the process started with rebind.so preloaded, its port moved,
 * its environment marked, and one thread each logging its stdout and stderr. Stdin is
 * {@code /dev/null}, so a command that asks a question gets end-of-file instead of hanging.
 */
final class WrappedProcess {
  private final Process process;
  private final int movedPort;
  private final Thread stdout;
  private final Thread stderr;

  private WrappedProcess(Process process, int movedPort, Thread stdout, Thread stderr) {
    this.process = process;
    this.movedPort = movedPort;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts {@code settings.argv()} in {@code settings.directory()}.
   *
   * @param rebindSo the extracted rebind.so
   * @param movedPort where rebind.so moves {@code settings.port()}
   * @param marker the environment variables that mark the wrapper's processes
   * @param output the logger of the command's output ({@code org.novnc.proxy.wrapper.NAME})
   * @throws IOException if the program cannot be run (not found, not executable, ...)
   */
  static WrappedProcess start(WrapperSettings settings, Path rebindSo, int movedPort, ProcessMarker marker, Logger output)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(settings.argv())
        .directory(settings.directory().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    Map<String, String> wanted = environment(env, settings, rebindSo, movedPort, marker);
    env.clear();
    env.putAll(wanted);
    Process p = pb.start();
    String thread = "novnc-wrapper-" + settings.name() + "-" + p.pid();
    return new WrappedProcess(p, movedPort,
        OutputLogger.start(p.getInputStream(), output, OutputLogger.Level.INFO, thread + "-stdout"),
        OutputLogger.start(p.getErrorStream(), output, settings.stderrLevel(), thread + "-stderr"));
  }

  /**
   * The command's environment: {@code inherited}, then the {@code env.*} settings, then
   * rebind.so's variables (both spellings), {@code LD_PRELOAD} with rebind.so first (existing
   * entries kept), and the marker variables.
   */
  static Map<String, String> environment(Map<String, String> inherited, WrapperSettings settings, Path rebindSo,
      int movedPort, ProcessMarker marker) {
    Map<String, String> env = new HashMap<>(inherited);
    env.putAll(settings.environment());
    String so = rebindSo.toAbsolutePath().toString();
    String preload = env.getOrDefault("LD_PRELOAD", "").trim();
    boolean listed = Arrays.asList(preload.split("[ :]+")).contains(so);
    env.put("LD_PRELOAD", listed ? preload : preload.isEmpty() ? so : so + " " + preload);
    String oldPort = Integer.toString(settings.port());
    String newPort = Integer.toString(movedPort);
    env.put("REBIND_PORT_OLD", oldPort);
    env.put("REBIND_PORT_NEW", newPort);
    env.put("REBIND_OLD_PORT", oldPort);
    env.put("REBIND_NEW_PORT", newPort);
    env.put(ProcessMarker.ID_VARIABLE, marker.id());
    env.put(ProcessMarker.OWNER_VARIABLE, marker.owner());
    return env;
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  int movedPort() {
    return movedPort;
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** The exit status; only once the process has exited. */
  int exitValue() {
    return process.exitValue();
  }

  /**
   * Waits up to {@code limit} for the output threads to finish, which they do once every holder of
   * the pipes is gone. Returns false if one is still running (a process that escaped the wrapper
   * holds the pipe; the thread is a daemon and ends with that process).
   */
  boolean awaitOutput(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Thread t : new Thread[] {stdout, stderr}) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !stdout.isAlive() && !stderr.isAlive();
  }
}
