package org.novnc.proxy.wrapper.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.novnc.proxy.wrapper.internal.WrapperSettings.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one wrapped command through its life: start it under rebind.so, wait for it to listen on
 * the moved port, publish the target, react to its exit as the mode says, and end it and all it
 * started on {@link #stop()}. Every state change happens on the supervisor's own thread, so the
 * state needs no locks; SCR's thread only waits (bounded) in {@link #stop()}.
 *
 * <p>In {@code exit} and {@code respawn} mode, when the command exits, whatever it left running
 * (found by the marker, see {@link ProcessTree}) is ended too, so a respawned command finds its
 * port free; in {@code ignore} mode it is left alone until the wrapper stops.
 */
final class CommandSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(CommandSupervisor.class);

  /** Where the supervisor announces the target; the component registers a service. */
  interface Publisher {
    /**
     * Publishes the target at {@code host:port}, run as process {@code pid}, replacing any earlier
     * one; {@code serving} tells, cheaply, whether the command still holds the listening socket.
     */
    void publish(String host, int port, long pid, BooleanSupplier serving);

    /** Withdraws the target, if one is published. */
    void withdraw();
  }

  /** How long to wait for what. */
  record Timing(Duration startTimeout, Duration stopGrace, Duration killWait, Duration probeFast, Duration probeSlow) {
    static final Timing DEFAULT = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(2),
        Duration.ofMillis(100), Duration.ofSeconds(1));

    /** The longest {@link CommandSupervisor#stop()} takes: a leftover kill in progress, then ours. */
    Duration stopBound() {
      return stopGrace.plus(killWait).multipliedBy(2).plusSeconds(3);
    }
  }

  private final String pid;
  private final WrapperSettings settings;
  private final Path rebindSo;
  private final Publisher publisher;
  private final RespawnPolicy respawns;
  private final Timing timing;
  private final ProcessMarker marker;
  private final Logger output;
  private final ScheduledExecutorService executor;
  private volatile boolean stopped;

  // confined to the executor thread
  private WrappedProcess current;
  private WrappedProcess publishedBy;
  private ScheduledFuture<?> probe;
  private long probeDeadline;
  private boolean warnedSlow;
  private boolean warnedForeign;

  /**
   * @param pid the configuration PID, for log lines
   * @param rebindSo the extracted rebind.so
   * @param marker the environment variables that mark every process of this wrapper
   */
  CommandSupervisor(String pid, WrapperSettings settings, Path rebindSo, ProcessMarker marker, Publisher publisher,
      RespawnPolicy respawns, Timing timing) {
    this.pid = pid;
    this.settings = settings;
    this.rebindSo = rebindSo;
    this.marker = marker;
    this.publisher = publisher;
    this.respawns = respawns;
    this.timing = timing;
    this.output = LoggerFactory.getLogger("org.novnc.proxy.wrapper." + settings.name());
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "novnc-wrapper-" + settings.name());
      t.setDaemon(true);
      return t;
    });
  }

  /** Ends what an earlier Karaf left running for this configuration, then starts the command; returns at once. */
  void start() {
    submit(() -> {
      ProcessTree.Ending e = ProcessTree.end(null, marker.ownerEntry(), timing.stopGrace(), timing.killWait());
      if (e.terminated() > 0) {
        LOG.warn("{}: ended {} process(es) an earlier run left behind (Karaf ended without stopping them; {})", pid,
            e.terminated(), marker.ownerEntry());
      }
      report(e);
      launch();
    });
  }

  /**
   * Ends the command and everything it started (TERM, grace, KILL), withdraws the target and ends
   * the supervisor's thread. Returns within {@link Timing#stopBound()}.
   */
  void stop() {
    stopped = true;
    try {
      Future<?> done = executor.submit(this::shutdown);
      done.get(timing.stopBound().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // already stopped
    } catch (TimeoutException e) {
      LOG.error("{}: stopping \"{}\" did not finish in {} s; ending what is left from here", pid, settings.command(),
          timing.stopBound().toSeconds());
      ProcessTree.end(null, marker(), timing.stopGrace(), timing.killWait());
    } catch (ExecutionException e) {
      LOG.error("{}: stopping \"{}\" failed ({}); ending what is left from here", pid, settings.command(),
          e.getCause().toString());
      ProcessTree.end(null, marker(), timing.stopGrace(), timing.killWait());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessTree.end(null, marker(), Duration.ZERO, timing.killWait());
    } finally {
      executor.shutdownNow();
      publisher.withdraw();
    }
  }

  private String marker() {
    return marker.idEntry();
  }

  private void submit(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // stopped meanwhile: nothing more happens
    }
  }

  private void launch() {
    if (stopped) {
      return;
    }
    WrappedProcess run;
    try {
      run = WrappedProcess.start(settings, rebindSo, LoopbackPorts.free(), marker, output);
    } catch (IOException e) {
      publisher.withdraw();
      LOG.error("{}: command = '{}' cannot be run: {}; this wrapper does not start", pid, settings.command(),
          e.getMessage());
      return;
    }
    current = run;
    LOG.info("{}: started \"{}\" as pid {}; port {} moves to 127.0.0.1:{}", pid, settings.command(), run.pid(),
        settings.port(), run.movedPort());
    run.onExit().whenComplete((p, t) -> submit(() -> exited(run)));
    probeDeadline = System.nanoTime() + timing.startTimeout().toNanos();
    warnedSlow = false;
    warnedForeign = false;
    scheduleProbe(run, timing.probeFast());
  }

  private void scheduleProbe(WrappedProcess run, Duration delay) {
    try {
      probe = executor.schedule(() -> probe(run), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // stopped meanwhile
    }
  }

  private void cancelProbe() {
    if (probe != null) {
      probe.cancel(false);
      probe = null;
    }
  }

  /**
   * Looks for the moved port listening in one of the command's own processes; publishes it, or
   * looks again later. A socket on that port held by any other process is not the command's.
   */
  private void probe(WrappedProcess run) {
    if (stopped || run != current) {
      return;
    }
    int moved = run.movedPort();
    Optional<LoopbackPorts.Listener> found = LoopbackPorts.ownedListener(moved,
        () -> ProcessTree.members(run.handle(), marker()));
    if (found.isPresent()) {
      LoopbackPorts.Listener listener = found.get();
      publishedBy = run;
      publisher.publish(listener.host(), moved, run.pid(), () -> LoopbackPorts.stillOwned(listener));
      LOG.info("{}: \"{}\" listens on {}:{} (its port {}); target '{}' published", pid, settings.command(),
          listener.host(), moved, settings.port(), settings.name());
      scheduleWatch(run, listener);
      return;
    }
    if (!warnedForeign && LoopbackPorts.listeningHost(moved).isPresent()) { // the tables read again only until said
      warnedForeign = true;
      LOG.warn("{}: a process that is not \"{}\" listens on its moved port {}; it is not published", pid,
          settings.command(), moved);
    }
    boolean alive = ProcessTree.running(run.handle());
    if (!alive && settings.mode() != Mode.IGNORE) {
      return; // exited() decides
    }
    if (!alive && ProcessTree.marked(marker()).isEmpty()) {
      probe = null;
      LOG.warn("{}: \"{}\" exited and left nothing running that listens on port {}; target '{}' not published",
          pid, settings.command(), settings.port(), settings.name());
      return;
    }
    if (!warnedSlow && System.nanoTime() - probeDeadline >= 0) {
      warnedSlow = true;
      LOG.warn("{}: nothing listens on port {} (moved to 127.0.0.1:{}) {} s after starting \"{}\"; still waiting. "
              + "Is port the port this command binds, and is the program dynamically linked (rebind.so cannot move "
              + "static or Go programs)?", pid, settings.port(), moved, timing.startTimeout().toSeconds(),
          settings.command());
      if (publishedBy != null) {
        publishedBy = null;
        publisher.withdraw(); // the target of an earlier run: nothing listens there any more
      }
    }
    scheduleProbe(run, warnedSlow ? timing.probeSlow() : timing.probeFast());
  }

  private void scheduleWatch(WrappedProcess run, LoopbackPorts.Listener listener) {
    try {
      probe = executor.schedule(() -> watch(run, listener), timing.probeSlow().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // stopped meanwhile
    }
  }

  /** The published socket must stay the command's: once it is closed the target goes at once. */
  private void watch(WrappedProcess run, LoopbackPorts.Listener listener) {
    if (stopped || run != current || publishedBy != run) {
      return;
    }
    if (LoopbackPorts.stillOwned(listener)) {
      scheduleWatch(run, listener);
      return;
    }
    publishedBy = null;
    publisher.withdraw();
    LOG.info("{}: \"{}\" no longer listens on {}:{}; target '{}' withdrawn", pid, settings.command(), listener.host(),
        listener.port(), settings.name());
    scheduleProbe(run, timing.probeSlow());
  }

  /** The command's process has exited: act as the mode says. */
  private void exited(WrappedProcess run) {
    if (stopped || run != current) {
      return;
    }
    String how = ended(run.exitValue());
    switch (settings.mode()) {
      case IGNORE -> {
        if (publishedBy == run) {
          LOG.info("{}: \"{}\" (pid {}) {}; mode ignore: target '{}' stays", pid, settings.command(), run.pid(), how,
              settings.name());
        } else {
          LOG.info("{}: \"{}\" (pid {}) {}; mode ignore: still waiting for port {} to listen", pid, settings.command(),
              run.pid(), how, settings.port());
        }
      }
      case EXIT -> {
        finish(run);
        LOG.info("{}: \"{}\" (pid {}) {}; mode exit: target '{}' removed", pid, settings.command(), run.pid(), how,
            settings.name());
      }
      case RESPAWN -> respawn(run, how);
    }
  }

  private void respawn(WrappedProcess run, String how) {
    cancelProbe();
    if (publishedBy != null) {
      // withdrawn before anything else: until the new run listens, nothing on the old port is the command's
      publishedBy = null;
      publisher.withdraw();
    }
    endLeftovers(run);
    if (respawns.tryRespawn()) {
      LOG.warn("{}: \"{}\" (pid {}) {}; respawning ({} of {} within {} s)", pid, settings.command(), run.pid(), how,
          respawns.recent(), respawns.limit(), settings.respawnWindow().toSeconds());
      launch();
      return;
    }
    finish(run);
    LOG.error("{}: \"{}\" (pid {}) {} after {} respawns within {} s (respawn.limit = {}, respawn.window = {}); "
            + "giving up: target '{}' removed", pid, settings.command(), run.pid(), how, respawns.recent(),
        settings.respawnWindow().toSeconds(), settings.respawnLimit(), settings.respawnWindow().toSeconds(),
        settings.name());
  }

  /** The command is over for good: no target, nothing left running. */
  private void finish(WrappedProcess run) {
    cancelProbe();
    current = null;
    publishedBy = null;
    publisher.withdraw();
    endLeftovers(run);
  }

  private void endLeftovers(WrappedProcess run) {
    ProcessTree.Ending e = ProcessTree.end(null, marker(), timing.stopGrace(), timing.killWait());
    if (e.terminated() > 0) {
      LOG.info("{}: ended {} process(es) left behind by \"{}\" ({} needed KILL)", pid, e.terminated(),
          settings.command(), e.killed());
    }
    report(e);
    run.awaitOutput(Duration.ofMillis(500));
  }

  private void shutdown() {
    cancelProbe();
    publishedBy = null;
    publisher.withdraw();
    WrappedProcess run = current;
    current = null;
    ProcessTree.Ending e = ProcessTree.end(run == null ? null : run.handle(), marker(), timing.stopGrace(),
        timing.killWait());
    LOG.info("{}: stopped \"{}\": {} process(es) ended ({} needed KILL)", pid, settings.command(), e.terminated(),
        e.killed());
    report(e);
    if (run != null) {
      run.awaitOutput(Duration.ofSeconds(1));
    }
  }

  private void report(ProcessTree.Ending e) {
    if (e.survivors() > 0) {
      LOG.error("{}: {} process(es) of \"{}\" survived KILL (marked {})", pid, e.survivors(), settings.command(),
          marker());
    }
  }

  /** "exited with status 1", "was killed by signal 9" (the JDK reports a signal as 128 + number). */
  static String ended(int status) {
    if (status > 128 && status < 128 + 65) {
      return "was killed by signal " + (status - 128);
    }
    return "exited with status " + status;
  }
}
